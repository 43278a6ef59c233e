/**
 * @module cli/commands/export — `longwriter export <dir> --to trl|llama-factory|openai-dpo --out <path>`:
 * writes DPO pairs in the layout a trainer reads.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { CommandModule } from "yargs";
import { isKtoFeedback, ktoRowFromFeedback, writeKtoJsonl } from "../../dpo/export-kto.js";
import { EXPORT_TARGETS, exportKto, exportLlamaFactory, exportOpenAiDpo, exportTrl, type ExportResult, type ExportTarget } from "../../dpo/export-pairs.js";
import { readPairsDataset } from "../../dpo/read-pairs-dataset.js";
import { ConfigError } from "../../errors.js";
import { isPreferencePair } from "../../io/adapters/format.js";
import { readDatasetDir } from "../../io/dataset-dir.js";
import { chooseSplit } from "../../io/dataset-splits.js";
import { exportLlamaFactorySft } from "../../io/llama-factory-dataset.js";
import { readRawRecords, readRecords } from "../../io/read-records.js";
import type { SftRecord } from "../../schemas/sft-record.js";
import type { PreferencePair } from "../../schemas/preference-pair.js";
import { runCommand } from "../run-command.js";

interface ExportArgs {
  input: string;
  to: ExportTarget;
  out: string;
  name?: string | undefined;
  json: boolean;
}

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: "export <input>",
  describe:
    "Export for a trainer: TRL DPO/ORPO/SimPO or KTO JSONL, LLaMA-Factory ranking data (or SFT data, tool calls included), OpenAI preference fine-tuning JSONL",
  builder: (yargs) =>
    yargs
      .positional("input", {
        type: "string",
        demandOption: true,
        describe: "A pairs dataset dir (from `longwriter pairs`) or any preference file the adapters read; for llama-factory also an SFT dir or file",
      })
      .options({
        to: { choices: EXPORT_TARGETS, demandOption: true, describe: "Target layout" },
        out: {
          type: "string",
          demandOption: true,
          describe:
            "trl / orpo / simpo / kto / openai-dpo: the .jsonl file to write; llama-factory: the data directory (gets <name>.json and dataset_info.json; SFT data too, tool calls included)",
        },
        name: { type: "string", describe: "llama-factory: dataset name in dataset_info.json (default: the input's base name)" },
        json: { type: "boolean", default: false, describe: "Print a JSON summary on stdout" },
      })
      .example("$0 export dpo-pairs --to trl --out dpo.jsonl", "For TRL's DPOTrainer: load_dataset('json', data_files='dpo.jsonl')")
      .example("$0 export dpo-pairs --to llama-factory --out LLaMA-Factory/data --name longwriter_dpo", "Adds longwriter_dpo to dataset_info.json")
      .example(
        "$0 export out/mix --to llama-factory --out LLaMA-Factory/data --name my_sft",
        "An SFT mix (tool calls as function_call/observation + tools) for LLaMA-Factory",
      )
      .example("$0 export dpo-pairs --to openai-dpo --out openai-dpo.jsonl", "OpenAI preference fine-tuning (method: dpo)")
      .example("$0 export dpo-pairs --to kto --out kto.jsonl", "TRL's KTOTrainer: chosen → label true, rejected → label false")
      .example("$0 export kto_en_demo.json --to kto --out kto.jsonl", "Feedback data ({messages, label}) → KTO rows")
      .epilog(
        "TRL rows keep prompt/chosen/rejected as message lists plus score_chosen, score_rejected, signals and reason " +
          "(DPOTrainer ignores the extras; raise its max_length for long-writing pairs). LLaMA-Factory gets a ShareGPT " +
          "ranking file and a dataset_info.json entry (formatting sharegpt, ranking true), merged into an existing file. " +
          "OpenAI rows are {input: {messages}, preferred_output, non_preferred_output} (a warning counts multi-turn prompts: " +
          "OpenAI learns from the last turn only). orpo and simpo write the trl rows (ORPOTrainer; CPOTrainer with " +
          'loss_type="simpo"). kto writes unpaired {prompt, completion, label} rows for KTOTrainer.',
      ),
  handler: runCommand(async (args: ExportArgs) => {
    let result: ExportResult;
    let sftExport = false;
    if (args.to === "kto" && (await isFeedbackFile(args.input))) {
      // Unpaired feedback (kto_en_demo.json style): one KTO row per record.
      const rows = (async function* () {
        for await (const { file, line, record } of readRawRecords(args.input)) yield ktoRowFromFeedback(record, { file, line });
      })();
      const counts = await writeKtoJsonl({ rows, out: args.out });
      result = { target: "kto", rows: counts.rows, files: [args.out] };
    } else if (args.to === "kto") result = await exportKto({ pairs: await openPairs(args.input), out: args.out });
    else if (args.to === "trl" || args.to === "orpo" || args.to === "simpo")
      result = await exportTrl({ pairs: await openPairs(args.input), out: args.out, target: args.to });
    else if (args.to === "openai-dpo") result = await exportOpenAiDpo({ pairs: await openPairs(args.input), out: args.out });
    else {
      const name = args.name ?? defaultName(args.input);
      const sft = await sftRecordsOf(args.input);
      if (sft) {
        // SFT conversations (tool calls included) as a LLaMA-Factory ShareGPT dataset.
        const written = await exportLlamaFactorySft({ records: sft, outDir: args.out, name });
        sftExport = true;
        result = { target: "llama-factory", ...written };
      } else result = await exportLlamaFactory({ pairs: await openPairs(args.input), outDir: args.out, name });
    }
    for (const warning of result.warnings ?? []) process.stderr.write(`warning: ${warning}\n`);
    if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else process.stdout.write(`exported ${result.rows} ${sftExport ? "records" : "pairs"} as ${result.target} → ${result.files.join(", ")}\n`);
    return 0;
  }),
};

function isDatasetDir(input: string): Promise<boolean> {
  return stat(join(input, "manifest.json")).then(
    (s) => s.isFile(),
    () => false,
  );
}

async function openPairs(input: string): Promise<AsyncIterable<PreferencePair>> {
  if (await isDatasetDir(input)) return (await readPairsDataset({ dir: input })).pairs();
  return (async function* () {
    for await (const { record } of readRecords(input, { kind: "preference" })) yield record;
  })();
}

/**
 * The SFT records of `input` when it holds SFT data (a mix dir: its train split, with a note when it has
 * others; a file: judged by its first record), else undefined (preference data).
 */
async function sftRecordsOf(input: string): Promise<AsyncIterable<SftRecord> | undefined> {
  if (await isDatasetDir(input)) {
    const { manifest } = await readDatasetDir(input);
    if (!manifest.columns.some((c) => c.name === "messages")) return undefined; // a pairs dir
  } else {
    for await (const { record } of readRecords(input)) {
      if (isPreferencePair(record)) return undefined;
      break;
    }
  }
  const choice = await chooseSplit(input, undefined);
  const options = choice.split !== undefined ? { split: choice.split } : {};
  if (choice.note) process.stderr.write(`${choice.note}\n`);
  return (async function* () {
    for await (const { record } of readRecords(input, { ...options, kind: "sft" })) yield record as SftRecord;
  })();
}

/** A file of `{messages, label}` feedback records (the first record decides). */
async function isFeedbackFile(input: string): Promise<boolean> {
  const isDir = await stat(input).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (isDir) return false;
  for await (const { record } of readRawRecords(input)) return isKtoFeedback(record);
  return false;
}

function defaultName(input: string): string {
  const base =
    input
      .replace(/[\\/]+$/, "")
      .split(/[\\/]/)
      .pop() ?? "dpo";
  const name = base
    .replace(/\.(jsonl|json|parquet)$/i, "")
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .replace(/^[._-]+/, "");
  if (!name) throw new ConfigError("cannot derive a dataset name from the input; pass --name");
  return name;
}
