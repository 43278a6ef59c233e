/**
 * @module dpo/run-export — `runExport`: data in (a pairs dataset dir, a preference file in any supported
 * format, for KTO a file of `{messages, label}` feedback, for llama-factory also SFT data), a trainer's
 * format out. The library form of `longwriter export`: the input's kind decides the path, `to` the format.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError } from "../errors.js";
import { isPreferencePair } from "../io/adapters/format.js";
import { readDatasetDir } from "../io/dataset-dir.js";
import { chooseSplit } from "../io/dataset-splits.js";
import { exportLlamaFactorySft } from "../io/llama-factory-dataset.js";
import { readRawRecords, readRecords } from "../io/read-records.js";
import type { PreferencePair } from "../schemas/preference-pair.js";
import type { SftRecord } from "../schemas/sft-record.js";
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
  /** Notes about the input (which split of a dataset dir was read). */
  onNote?: ((message: string) => void) | undefined;
}

export interface RunExportResult {
  result: ExportResult;
  /** What a row is, as the CLI says it: a preference pair, or (llama-factory from SFT data) a record. */
  rowsAre: "pairs" | "records";
}

/**
 * @example
 * const { result } = await runExport({ input: "out/dpo", to: "trl", out: "dpo-trl.jsonl" });
 */
export async function runExport({ input, to, out, name, onNote }: RunExportOptions): Promise<RunExportResult> {
  if (to === "kto" && (await isFeedbackFile(input))) {
    // Unpaired feedback (kto_en_demo.json style): one KTO row per record.
    const rows = (async function* () {
      for await (const { file, line, record } of readRawRecords(input)) yield ktoRowFromFeedback(record, { file, line });
    })();
    const counts = await writeKtoJsonl({ rows, out });
    return { result: { target: "kto", rows: counts.rows, files: [out] }, rowsAre: "pairs" };
  }
  if (to === "kto") return { result: await exportKto({ pairs: await openPairs(input), out }), rowsAre: "pairs" };
  if (to === "trl" || to === "orpo" || to === "simpo") return { result: await exportTrl({ pairs: await openPairs(input), out, target: to }), rowsAre: "pairs" };
  if (to === "openai-dpo") return { result: await exportOpenAiDpo({ pairs: await openPairs(input), out }), rowsAre: "pairs" };
  const datasetName = name ?? defaultName(input);
  const sft = await sftRecordsOf(input, onNote);
  if (sft) {
    // SFT conversations (tool calls included) as a LLaMA-Factory ShareGPT dataset.
    const written = await exportLlamaFactorySft({ records: sft, outDir: out, name: datasetName });
    return { result: { target: "llama-factory", ...written }, rowsAre: "records" };
  }
  return { result: await exportLlamaFactory({ pairs: await openPairs(input), outDir: out, name: datasetName }), rowsAre: "pairs" };
}

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
async function sftRecordsOf(input: string, onNote: ((message: string) => void) | undefined): Promise<AsyncIterable<SftRecord> | undefined> {
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
  if (choice.note) onNote?.(choice.note);
  return (async function* () {
    for await (const { record } of readRecords(input, { split: choice.split, kind: "sft" })) yield record as SftRecord;
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
