/**
 * @module cli/commands/stats — `longwriter stats <file>`: rows, languages, output-length distribution in
 * words and tokens, share of long outputs, required-length coverage and S_l; a table, `--json`, or an SVG
 * histogram with `--plot`.
 */
import { cliProgress } from "../cli-progress.js";
import type { CommandModule } from "yargs";
import { ConfigError } from "../../errors.js";
import { FORMATS, parseFormatName, type RecordKind } from "../../io/adapters/format.js";
import { issueToString } from "../../io/input-issue.js";
import { renderStatsTable } from "../../stats/render-stats-table.js";
import { runStats, type StatsInputFormat } from "../../stats/run-stats.js";
import { TOKENIZER_HELP } from "../../tokenizers/tokens.js";
import { runCommand } from "../run-command.js";

interface StatsArgs {
  input: string;
  from: string;
  kind?: RecordKind | undefined;
  "skip-invalid": boolean;
  tokens: boolean;
  tokenizer?: string | undefined;
  json: boolean;
  plot?: string | undefined;
  "plot-unit": "words" | "tokens";
  split?: string | undefined;
}

/** Default tokenizer: tiktoken's o200k_base is fast, offline and needs no model download. */
export const DEFAULT_STATS_TOKENIZER = "o200k_base";

export const statsCommand: CommandModule<object, StatsArgs> = {
  command: "stats <input>",
  describe: "Describe a dataset: rows, languages, output lengths (words, tokens), share over 2k/4k/10k words, required-length coverage and S_l",
  builder: (yargs) =>
    yargs
      .positional("input", {
        type: "string",
        demandOption: true,
        describe: "A .jsonl, .json, .parquet file or a dataset dir, in any supported format, or candidates from `sample` / `judge`",
      })
      .options({
        from: { type: "string", default: "auto", describe: `Input format: auto or one of ${FORMATS.join(", ")}, candidates` },
        kind: { choices: ["sft", "preference"] as const, describe: "Only accept records of this kind" },
        "skip-invalid": { type: "boolean", default: false, describe: "Skip rows that cannot be read or converted (each is reported) instead of failing" },
        tokens: {
          type: "boolean",
          default: false,
          describe: `Also count tokens (with --tokenizer, default ${DEFAULT_STATS_TOKENIZER}); off by default so no tokenizer is loaded`,
        },
        tokenizer: {
          type: "string",
          describe: `Token counts with ${TOKENIZER_HELP} (implies --tokens; "none" skips tokens)`,
        },
        json: { type: "boolean", default: false, describe: "Print the statistics as JSON on stdout" },
        plot: { type: "string", describe: "Write a histogram of the output lengths to this SVG file" },
        split: { type: "string", describe: "For a dataset dir: one split, or all (default: every split, each listed separately)" },
        "plot-unit": { choices: ["words", "tokens"] as const, default: "words" as const, describe: "Unit of the --plot histogram" },
      })
      .example("$0 stats LongWriter-6k.jsonl --plot lengths.svg", "Table of statistics and a length histogram")
      .example("$0 stats data/ --tokens --json", "A dataset dir with o200k_base token counts, as JSON")
      .example(
        "$0 stats data/ --tokenizer Qwen/Qwen2.5-7B-Instruct --json",
        "A dataset dir, Qwen2.5 token counts (tokenizer pulled from the Hub once), as JSON",
      )
      .epilog(
        "Lengths are measured on the final assistant turn (for preference pairs: of the chosen side) with LongBench-Write's " +
          "word count (CJK characters + English words). The required length is extracted from the last user prompt " +
          '("5000-word", "2000字", ...); S_l is LongWriter\'s length score (Eq. 1) of the output against it. ' +
          "Language is decided by script (zh/en/other, see detectLanguage). Candidates (`sample` / `judge` output, " +
          "recognised by promptId and response) are measured by their response against the required length `sample` " +
          "recorded, with prompts counted and the judge's quality summarised.",
      ),
  handler: runCommand(async (args: StatsArgs) => {
    const from: StatsInputFormat = args.from === "auto" || args.from === "candidates" ? args.from : parseFormatName(args.from, "--from format");
    // Tokens are counted only when asked for: loading a tokenizer costs more than reading a small file.
    const tokenizer = args.tokenizer === "none" ? undefined : (args.tokenizer ?? (args.tokens ? DEFAULT_STATS_TOKENIZER : undefined));
    if (args["plot-unit"] === "tokens" && tokenizer === undefined) throw new ConfigError("--plot-unit tokens needs --tokens or a --tokenizer");
    if (args.plot !== undefined && !args.plot.toLowerCase().endsWith(".svg")) throw new ConfigError(`--plot: expected an .svg path, got ${args.plot}`);
    const bar = process.stderr.isTTY && !args.json ? new (cliProgress().SingleBar)({ format: "reading | {value} rows", stream: process.stderr }) : undefined;
    bar?.start(0, 0);
    try {
      const { splits: results } = await runStats({
        input: args.input,
        from,
        kind: args.kind,
        skipInvalid: args["skip-invalid"],
        split: args.split,
        tokenizer,
        plot: args.plot,
        plotUnit: args["plot-unit"],
        onProgress: (rows) => bar?.update(rows),
      });
      bar?.stop();
      const label = (split: string | undefined) => (split === undefined ? args.input : `${args.input} [split ${split}]`);
      if (args.json) {
        const plot = args.plot ? { plot: args.plot } : {};
        if (results.length > 1) {
          const splits = Object.fromEntries(results.map((r) => [r.split!, { formats: r.formats, skipped: r.issues.length, issues: r.issues, stats: r.stats }]));
          process.stdout.write(`${JSON.stringify({ file: args.input, splits, ...plot }, null, 2)}\n`);
        } else {
          const r = results[0]!;
          process.stdout.write(
            `${JSON.stringify({ file: args.input, split: r.split, formats: r.formats, skipped: r.issues.length, issues: r.issues, stats: r.stats, ...plot }, null, 2)}\n`,
          );
        }
        return;
      }
      const issues = results.flatMap((r) => r.issues);
      for (const issue of issues.slice(0, 50)) process.stderr.write(`skipped ${issueToString(issue)}\n`);
      if (issues.length > 50) process.stderr.write(`... and ${issues.length - 50} more skipped rows (--json lists all)\n`);
      process.stdout.write(
        results.map((r) => renderStatsTable({ stats: r.stats, file: label(r.split), formats: r.formats, skipped: r.issues.length })).join("\n"),
      );
      if (args.plot) process.stdout.write(`\nwrote ${args.plot}\n`);
    } finally {
      bar?.stop();
    }
  }),
};
