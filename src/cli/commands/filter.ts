/**
 * @module cli/commands/filter — `longwriter filter <sft> --out <file>`: LongWriter's post-AgentWrite
 * filters (too short, length score floor, refusals, error text, runaway plans, duplicates).
 */
import type { CommandModule } from "yargs";
import { ConfigError } from "../../errors.js";
import { chooseSplit } from "../../io/dataset-splits.js";
import { runFilter } from "../../select/run-filter.js";
import { runCommand } from "../run-command.js";

interface FilterArgs {
  sft: string;
  out: string;
  rejects?: string | undefined;
  "min-words": number;
  "min-length-score": number;
  "max-plan-steps": number;
  dedupe: boolean;
  "skip-invalid": boolean;
  json: boolean;
  split?: string | undefined;
}

export const filterCommand: CommandModule<object, FilterArgs> = {
  command: "filter <sft>",
  describe: "Drop SFT records that are too short, off-length, refusals, error text, runaway plans or duplicates",
  builder: (yargs) =>
    yargs
      .positional("sft", { type: "string", demandOption: true, describe: "SFT records (JSONL/JSON/Parquet; messages, ShareGPT or Alpaca)" })
      .options({
        out: { type: "string", demandOption: true, describe: "Kept records (JSONL)" },
        rejects: { type: "string", describe: "Dropped records as {reason, detail, record} (JSONL)" },
        "min-words": { type: "number", default: 2000, describe: "Minimum answer length (words; characters for Chinese)" },
        "min-length-score": {
          type: "number",
          default: 80,
          describe: "Floor on S_l (0–100) against the required length when one is known; 0 turns it off",
        },
        "max-plan-steps": { type: "number", default: 50, describe: "Drop AgentWrite records whose plan had more sections" },
        dedupe: { type: "boolean", default: true, describe: "Drop exact duplicate conversations (--no-dedupe keeps them)" },
        "skip-invalid": { type: "boolean", default: false, describe: "Skip unreadable rows instead of stopping" },
        split: { type: "string", describe: "For a dataset dir: the split to read (default train, with a note when the dir has other splits), or all" },
        json: { type: "boolean", default: false, describe: "Print a JSON summary on stdout" },
      })
      .example("$0 filter sft.jsonl --out long.jsonl --rejects dropped.jsonl", "LongWriter's defaults")
      .example("$0 filter long.jsonl --out filtered.jsonl --min-words 0 --min-length-score 80", "a 666-style S_l ≥ 80 subset")
      .epilog(
        'Checks run in this order and the first failure is the counted reason: no_answer, error_text ("Max tries. Failed.", ' +
          "content-policy sentinels, API error bodies), refusal (en/zh openings), runaway_plan, too_short, length_score, duplicate.",
      ),
  handler: runCommand(async (args: FilterArgs) => {
    for (const name of ["min-words", "min-length-score", "max-plan-steps"] as const) {
      if (!Number.isFinite(args[name]) || args[name] < 0) throw new ConfigError(`--${name} must be a number ≥ 0, got ${args[name]}`);
    }
    if (args["min-length-score"] > 100) throw new ConfigError(`--min-length-score is 0–100, got ${args["min-length-score"]}`);
    const choice = await chooseSplit(args.sft, args.split);
    if (choice.note) process.stderr.write(`${choice.note}\n`);
    const summary = await runFilter({
      input: args.sft,
      split: choice.split,
      out: args.out,
      rejects: args.rejects || undefined,
      filterOptions: {
        minWords: args["min-words"],
        minLengthScore: args["min-length-score"],
        maxPlanSteps: args["max-plan-steps"],
        dedupe: args.dedupe,
      },
      skipInvalid: args["skip-invalid"],
    });
    const drops =
      Object.entries(summary.dropped)
        .map(([k, n]) => `${k} ${n}`)
        .join(", ") || "none";
    process.stderr.write(
      `filter: ${summary.kept} of ${summary.read} kept; dropped: ${drops}` +
        (summary.invalid.length ? `; ${summary.invalid.length} invalid rows skipped` : "") +
        `\n  → ${summary.out}${summary.rejects ? `, rejects → ${summary.rejects}` : ""}\n`,
    );
    if (args.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  }),
};
