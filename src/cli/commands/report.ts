/**
 * @module cli/commands/report — `longwriter report run1 run2 … --out report.html`: several eval runs
 * side by side in one self-contained HTML page (and optionally a Markdown table), with the paper's
 * published numbers as labelled reference rows on request.
 */
import type { CommandModule } from "yargs";
import { ConfigError } from "../../errors.js";
import type { EvalRun } from "../../eval/eval-run.js";
import { readEvalRun } from "../../eval/read-eval-run.js";
import { writeFileAtomic } from "../../io/atomic-file.js";
import { renderReportHtml } from "../../eval/report-html.js";
import { renderScoresMarkdown } from "../../eval/scores-markdown.js";
import { runCommand } from "../run-command.js";

interface ReportArgs {
  runs: string[];
  out: string;
  markdown?: string | undefined;
  published: boolean;
  title?: string | undefined;
  label?: string[] | undefined;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: "report <runs..>",
  describe: "Render eval runs side by side: self-contained HTML (tables, scatter, bars) and a Markdown table",
  builder: (yargs) =>
    yargs
      .positional("runs", { type: "string", array: true, describe: "Run folders (or their scores.json)", demandOption: true })
      .options({
        out: { type: "string", default: "report.html", describe: "HTML file to write" },
        markdown: { type: "string", requiresArg: true, describe: "Also write the Markdown table to this file ('-' for stdout)" },
        published: { type: "boolean", default: false, describe: "Add the paper's published LongBench-Write numbers as labelled reference rows" },
        title: { type: "string", describe: "Page title" },
        label: { type: "string", array: true, describe: "Rename runs in order (one --label per run)" },
      })
      .example("$0 report runs/a runs/b --published --out report.html --markdown -", "Compare two runs with the paper's numbers"),
  handler: runCommand(async (args: ReportArgs) => {
    const runs: EvalRun[] = [];
    for (const path of args.runs) runs.push(await readEvalRun(path));
    if (args.label) {
      if (args.label.length > runs.length) throw new ConfigError(`${args.label.length} --label values for ${runs.length} runs`);
      args.label.forEach((label, i) => (runs[i]!.label = label));
    }
    const html = renderReportHtml({ runs, published: args.published, title: args.title || undefined });
    await writeFileAtomic(args.out, html);
    process.stderr.write(`wrote ${args.out} (${runs.length} run${runs.length === 1 ? "" : "s"})\n`);
    if (args.markdown) {
      const markdown = renderScoresMarkdown({ runs, published: args.published });
      if (args.markdown === "-") process.stdout.write(markdown);
      else {
        await writeFileAtomic(args.markdown, markdown);
        process.stderr.write(`wrote ${args.markdown}\n`);
      }
    }
  }),
};
