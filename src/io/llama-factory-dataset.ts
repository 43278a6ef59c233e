/**
 * @module io/llama-factory-dataset — a dataset in a LLaMA-Factory data dir: `<outDir>/<name>.json` (a JSON
 * array) and its entry in `<outDir>/dataset_info.json`, merged into the file's other entries. Used for
 * SFT conversations (ShareGPT with `function_call` / `observation` turns and `tools`) and, by
 * `dpo/export-pairs`, for ranking pairs.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError, InputError } from "../errors.js";
import type { SftRecord } from "../schemas/sft-record.js";
import { sharegptAdapter } from "./adapters/sharegpt.js";
import { withAtomicFile, writeFileAtomic } from "./atomic-file.js";

type Rows<T> = AsyncIterable<T> | Iterable<T>;

/** What a written dataset saw, for its `dataset_info.json` entry. */
export interface LlamaFactoryRowsSeen {
  fileName: string;
  /** Some row has a `system` field. */
  hasSystem: boolean;
  /** Some row has a `tools` field. */
  hasTools: boolean;
}

/**
 * Writes `rows` (already in LLaMA-Factory's layout) as `<outDir>/<name>.json`, then sets `<name>` in
 * `dataset_info.json` to `entry(seen)`. Both files are written atomically; an unreadable
 * `dataset_info.json` stops the export before anything is written.
 */
export async function writeLlamaFactoryDataset({
  outDir,
  name,
  rows,
  entry,
}: {
  outDir: string;
  name: string;
  rows: Rows<Record<string, unknown>>;
  entry: (seen: LlamaFactoryRowsSeen) => Record<string, unknown>;
}): Promise<{ rows: number; files: string[] }> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new ConfigError(`dataset name "${name}" must be letters, digits, ".", "_" or "-"`);
  const fileName = `${name}.json`;
  const dataFile = join(outDir, fileName);
  const infoFile = join(outDir, "dataset_info.json");
  let info: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(await readFile(infoFile, "utf8"));
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new InputError({ file: infoFile }, "expected a JSON object of datasets");
    info = parsed as Record<string, unknown>;
  } catch (error) {
    if (error instanceof InputError) throw error;
    if ((error as NodeJS.ErrnoException).code !== "ENOENT")
      throw new InputError({ file: infoFile }, `cannot read: ${(error as Error).message}`, { cause: error });
  }
  const seen: LlamaFactoryRowsSeen = { fileName, hasSystem: false, hasTools: false };
  const count = await withAtomicFile(dataFile, async (file) => {
    let written = 0;
    await file.write("[");
    for await (const row of rows as AsyncIterable<Record<string, unknown>>) {
      if (row.system !== undefined) seen.hasSystem = true;
      if (row.tools !== undefined) seen.hasTools = true;
      await file.write(`${written === 0 ? "\n" : ",\n"}${JSON.stringify(row)}`);
      written += 1;
    }
    await file.write(written === 0 ? "]\n" : "\n]\n");
    return written;
  });
  info[name] = entry(seen);
  await writeFileAtomic(infoFile, `${JSON.stringify(info, null, 2)}\n`);
  return { rows: count, files: [dataFile, infoFile] };
}

/**
 * The `dataset_info.json` entry of a ShareGPT SFT file: LLaMA-Factory's default tags (`human`, `gpt`,
 * `function_call`, `observation`, `system`) are what `sharegpt` writes, so only the columns are named.
 */
export function llamaFactorySftInfo({ fileName, hasSystem, hasTools }: LlamaFactoryRowsSeen): Record<string, unknown> {
  return {
    file_name: fileName,
    formatting: "sharegpt",
    columns: { messages: "conversations", ...(hasSystem ? { system: "system" } : {}), ...(hasTools ? { tools: "tools" } : {}) },
  };
}

/**
 * SFT records for LLaMA-Factory: ShareGPT rows (tool calls as `function_call` / `observation` turns, the
 * row's `tools` as JSON text of the bare function schemas), without `meta`, plus the dataset_info entry.
 * A record ShareGPT cannot hold (see `sharegptAdapter`) fails the export, naming it.
 */
export async function exportLlamaFactorySft({
  records,
  outDir,
  name,
}: {
  records: Rows<SftRecord>;
  outDir: string;
  name: string;
}): Promise<{ rows: number; files: string[] }> {
  async function* rows(): AsyncGenerator<Record<string, unknown>> {
    for await (const record of records as AsyncIterable<SftRecord>) {
      const { meta: _meta, ...row } = sharegptAdapter.fromCanonical(record);
      yield row;
    }
  }
  return writeLlamaFactoryDataset({ outDir, name, rows: rows(), entry: llamaFactorySftInfo });
}
