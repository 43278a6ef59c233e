/**
 * @module dpo/run-export — `runExport`: preference data in (a pairs dataset dir, a preference file in any
 * supported format, or for KTO a file of `{messages, label}` feedback), a trainer's format out. The
 * library form of `longwriter export`.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../errors.js";
import { readRawRecords, readRecords } from "../io/read-records.js";
import type { PreferencePair } from "../schemas/preference-pair.js";
import { isKtoFeedback, ktoRowFromFeedback, writeKtoJsonl } from "./export-kto.js";
import { exportKto, exportLlamaFactory, exportOpenAiDpo, exportTrl, type ExportResult, type ExportTarget } from "./export-pairs.js";
import { readPairsDataset } from "./read-pairs-dataset.js";

export interface RunExportOptions {
  input: string;
  to: ExportTarget;
  /** A JSONL file, or for llama-factory a directory. */
  out: string;
  /** llama-factory: the dataset's name in dataset_info.json. @default from the input's name */
  name?: string | undefined;
}

/**
 * @example
 * const result = await runExport({ input: "out/dpo", to: "trl", out: "dpo-trl.jsonl" });
 */
export async function runExport({ input, to, out, name }: RunExportOptions): Promise<ExportResult> {
  if (to === "kto" && (await isFeedbackFile(input))) {
    // Unpaired feedback (kto_en_demo.json style): one KTO row per record.
    const rows = (async function* () {
      for await (const { file, line, record } of readRawRecords(input)) yield ktoRowFromFeedback(record, { file, line });
    })();
    const counts = await writeKtoJsonl({ rows, out });
    return { target: "kto", rows: counts.rows, files: [out] };
  }
  if (to === "kto") return exportKto({ pairs: await openPairs(input), out });
  if (to === "trl" || to === "orpo" || to === "simpo") return exportTrl({ pairs: await openPairs(input), out, target: to });
  if (to === "openai-dpo") return exportOpenAiDpo({ pairs: await openPairs(input), out });
  const datasetName = name ?? defaultName(input);
  return exportLlamaFactory({ pairs: await openPairs(input), outDir: out, name: datasetName });
}

async function openPairs(input: string): Promise<AsyncIterable<PreferencePair>> {
  const isDatasetDir = await stat(join(input, "manifest.json")).then(
    (s) => s.isFile(),
    () => false,
  );
  if (isDatasetDir) return (await readPairsDataset({ dir: input })).pairs();
  return (async function* () {
    for await (const { record } of readRecords(input, { kind: "preference" })) yield record;
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
