/**
 * @module cli/commands/convert — `longwriter convert <in> <out>`: change container (JSONL, JSON array,
 * Parquet, dataset dir as input) and record format (messages, sharegpt, alpaca, preference formats) in
 * one streaming, atomic pass.
 */
import { cliProgress } from "../cli-progress.js";
import type { CommandModule } from "yargs";
import { ConfigError } from "../../errors.js";
import { convertFile, type ConvertFileResult } from "../../io/adapters/convert-file.js";
import { FORMATS, parseFormatName, type FormatName, type RecordKind } from "../../io/adapters/format.js";
import { chooseSplit } from "../../io/dataset-splits.js";
import { issueToString, type InputIssue } from "../../io/input-issue.js";
import { PARQUET_CODECS, parseParquetCodec } from "../../io/parquet-codecs.js";
import { NOTHING_WRITTEN, runCommand } from "../run-command.js";

interface ConvertArgs {
  input: string;
  output: string;
  from: string;
  to?: string | undefined;
  kind?: RecordKind | undefined;
  "skip-invalid": boolean;
  codec: string;
  json: boolean;
  split?: string | undefined;
  threads?: number | undefined;
}

/** How many skipped rows the human-readable output lists (all of them are in --json). */
const SHOWN_ISSUES = 50;

export const convertCommand: CommandModule<object, ConvertArgs> = {
  command: "convert <input> <output>",
  describe: "Convert records between files (.jsonl, .json, .parquet, dataset dir) and formats (messages, sharegpt, alpaca, DPO layouts)",
  builder: (yargs) =>
    yargs
      .positional("input", { type: "string", demandOption: true, describe: "Input: .jsonl, .json (array or JSON Lines), .parquet, or a dataset dir" })
      .positional("output", { type: "string", demandOption: true, describe: "Output: .jsonl, .json (array) or .parquet; written atomically" })
      .options({
        from: { type: "string", default: "auto", describe: `Input format: auto (detect from the first record) or one of ${FORMATS.join(", ")}` },
        to: {
          type: "string",
          describe: "Output format (default: the canonical layout — messages for SFT records, trl for preference pairs)",
        },
        kind: { choices: ["sft", "preference"] as const, describe: "Only accept records of this kind" },
        "skip-invalid": {
          type: "boolean",
          default: false,
          describe: "Skip rows that cannot be read or converted, and report each one (default: the first such row is an error)",
        },
        split: { type: "string", describe: "For a dataset dir: the split to read (default train, with a note when the dir has other splits), or all" },
        codec: { type: "string", default: "SNAPPY", describe: `Parquet compression (${PARQUET_CODECS.join(", ")})` },
        threads: {
          type: "number",
          describe:
            "Threads for JSONL → Parquet (messages): each reads, encodes and compresses ranges of the input (default: every core); the file is the same for any number",
        },
        json: { type: "boolean", default: false, describe: "Print a machine-readable JSON summary on stdout" },
      })
      .check((args) => {
        if (args.threads !== undefined && !(Number.isInteger(args.threads) && args.threads >= 1 && args.threads <= 256)) {
          throw new Error("--threads must be an integer from 1 to 256");
        }
        return true;
      })
      .example("$0 convert alpaca_en_demo.json sft.parquet", "Alpaca JSON → Parquet with a messages column")
      .example("$0 convert dpo_en_demo.json dpo.jsonl --to trl", "LLaMA-Factory preference → TRL prompt/chosen/rejected")
      .example("$0 convert sft.parquet sft.json --to sharegpt", "Parquet → ShareGPT JSON array for LLaMA-Factory")
      .example("$0 convert out/mix train.json --to sharegpt --split train", "The train split of a dataset dir only (the default, said aloud)")
      .example("$0 convert glaive.json out.jsonl --skip-invalid", "Convert what can be converted; list the rows that cannot")
      .epilog(
        "Formats: messages (OpenAI / LongWriter-6k), sharegpt (conversations of {from, value}), alpaca (instruction/input/output), " +
          "sharegpt-preference (LLaMA-Factory DPO), ultrafeedback (chosen/rejected conversations), trl (prompt/chosen/rejected). " +
          "Rows that cannot be converted (roles that do not alternate, an empty or missing assistant turn, tool turns, unknown roles, " +
          "chosen equal to rejected, ...) stop the run with file:line and the reason; nothing is written. Exit codes: 0 ok, 1 bad input, 2 usage.",
      ),
  handler: runCommand(async (args: ConvertArgs, run) => {
    const from: FormatName | "auto" = args.from === "auto" ? "auto" : parseFormatName(args.from, "--from format");
    const to = args.to === undefined ? undefined : parseFormatName(args.to, "--to format");
    let codec;
    try {
      codec = parseParquetCodec(args.codec);
    } catch (error) {
      throw new ConfigError(`--codec: ${(error as Error).message}`);
    }
    const choice = await chooseSplit(args.input, args.split);
    if (choice.note) process.stderr.write(`${choice.note}\n`);
    const issues: InputIssue[] = [];
    const bar =
      process.stderr.isTTY && !args.json ? new (cliProgress().SingleBar)({ format: "converting | {value} records", stream: process.stderr }) : undefined;
    bar?.start(0, 0);
    let result: ConvertFileResult;
    try {
      result = await convertFile({
        input: args.input,
        output: args.output,
        from,
        to,
        kind: args.kind,
        skipInvalid: args["skip-invalid"],
        issues,
        codec,
        split: choice.split,
        threads: args.threads,
        onProgress: ({ read }) => bar?.update(read),
        signal: run.signal,
      });
    } finally {
      bar?.stop();
    }
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ ...result, issues }, null, 2)}\n`);
      return;
    }
    for (const issue of issues.slice(0, SHOWN_ISSUES)) process.stderr.write(`skipped ${issueToString(issue)}\n`);
    if (issues.length > SHOWN_ISSUES) process.stderr.write(`... and ${issues.length - SHOWN_ISSUES} more skipped rows (--json lists all)\n`);
    const formats = [...new Set(Object.values(result.inputFormats))].join("+") || from;
    process.stdout.write(
      `converted ${result.input} (${formats}) → ${result.output} (${result.outputFormat}): ${result.written} written` +
        `${result.skipped > 0 ? `, ${result.skipped} skipped` : ""}\n`,
    );
  }, NOTHING_WRITTEN),
};
