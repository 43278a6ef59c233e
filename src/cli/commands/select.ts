/**
 * @module cli/commands/select — `longwriter select <file> --out <file>`: keep the instructions that
 * need long answers (rules, optionally an LLM classifier) as Instruction records.
 */
import type { CommandModule } from "yargs";
import { ConfigError } from "../../errors.js";
import { chooseSplit } from "../../io/dataset-splits.js";
import { runSelect, type ClassifyMode } from "../../select/run-select.js";
import { llmClientOptionsFromArgs, llmOptions, type LlmArgs } from "../llm-options.js";
import { runCommand } from "../run-command.js";

interface SelectArgs extends Omit<LlmArgs, "model"> {
  model?: string | undefined;
  file: string;
  out: string;
  rejects?: string | undefined;
  "min-length": number;
  classify: ClassifyMode;
  "classifier-prompt"?: string | undefined;
  "skip-invalid": boolean;
  split?: string | undefined;
  json: boolean;
}

export const selectCommand: CommandModule<object, SelectArgs> = {
  command: "select <file>",
  describe: "Select instructions that need long answers (≥ --min-length) as Instruction records",
  builder: (yargs) =>
    yargs
      .positional("file", {
        type: "string",
        demandOption: true,
        describe: "Instructions: JSONL/JSON/Parquet rows with prompt, Alpaca instruction(+input), or messages/conversations",
      })
      .options({
        out: { type: "string", demandOption: true, describe: "Selected Instruction records (JSONL, input order)" },
        rejects: { type: "string", describe: "Dropped rows with their reason (JSONL)" },
        "min-length": { type: "number", default: 2000, describe: "Answer length to require (words; characters for Chinese)" },
        classify: {
          choices: ["none", "undecided", "all"] as const,
          default: "none" as ClassifyMode,
          describe: "Ask an LLM: never, only when the prompt states no length, or for every prompt (needs --model)",
        },
        "classifier-prompt": { type: "string", describe: "Own classifier template ({{instruction}}; reply JSON)" },
        "skip-invalid": { type: "boolean", default: false, describe: "Skip rows without an instruction instead of stopping" },
        split: { type: "string", describe: "For a dataset dir: the split to read (default train, with a note when the dir has other splits), or all" },
        json: { type: "boolean", default: false, describe: "Print a JSON summary on stdout" },
        ...llmOptions,
        model: { ...llmOptions.model, demandOption: false, describe: "Classifier model (with --classify)" },
      })
      .example("$0 select wildchat.jsonl --out long.jsonl", "rules only")
      .example("$0 select pool.jsonl --out long.jsonl --classify undecided --model gpt-4o-mini", "rules, then an LLM for prompts without a stated length")
      .epilog(
        'Rules: a stated length ("3000 words", "5000字", "两千字") ≥ --min-length keeps a prompt, a smaller one drops it; ' +
          "without one, a writing task (write/compose … essay/story/report, 写/撰写 … 文章/小说/报告) with a long-output cue " +
          "(detailed, comprehensive, chapter, 长篇, 详细) keeps it. Exact duplicate prompts are dropped.",
      ),
  handler: runCommand(async (args: SelectArgs) => {
    if (!Number.isInteger(args["min-length"]) || args["min-length"] < 1) {
      throw new ConfigError(`--min-length must be a positive integer, got ${args["min-length"]}`);
    }
    if (args.classify !== "none" && !args.model) throw new ConfigError(`--classify ${args.classify} needs --model`);
    const llm = args.classify === "none" ? undefined : await llmClientOptionsFromArgs({ ...args, model: args.model! });
    const choice = await chooseSplit(args.file, args.split);
    if (choice.note) process.stderr.write(`${choice.note}\n`);
    let lastLine = 0;
    const summary = await runSelect({
      input: args.file,
      split: choice.split,
      out: args.out,
      rejects: args.rejects || undefined,
      minLength: args["min-length"],
      classify: args.classify,
      llm,
      classifierPromptFile: args["classifier-prompt"] || undefined,
      skipInvalid: args["skip-invalid"],
      onProgress: ({ read, kept }) => {
        const now = Date.now();
        if (now - lastLine < 2000) return;
        lastLine = now;
        process.stderr.write(`select: ${read} read, ${kept} kept\n`);
      },
    });
    const drops =
      Object.entries(summary.dropped)
        .map(([k, n]) => `${k} ${n}`)
        .join(", ") || "none";
    const by =
      Object.entries(summary.keptBy)
        .map(([k, n]) => `${k} ${n}`)
        .join(", ") || "none";
    process.stderr.write(
      `select: ${summary.kept} of ${summary.read} kept (${by}); dropped: ${drops}` +
        (summary.invalid.length ? `; ${summary.invalid.length} invalid rows skipped` : "") +
        (summary.llm ? `; classifier calls ${summary.llm.calls} (+${summary.llm.replayed} replayed), $${summary.llm.costUsd.toFixed(4)}` : "") +
        `\n  → ${summary.out}\n`,
    );
    if (args.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  }),
};
