/**
 * @module io/dataset-dir — a dataset directory in the Hugging Face Hub's layout
 * (`data/{split}-{i:05d}-of-{n:05d}.parquet`, `README.md` with `configs:` front matter, `manifest.json`),
 * written atomically (built in a temp dir beside the target, then swapped in) and reproducibly (same
 * input → byte-identical files), and read back split by split.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, normalize, resolve, sep } from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { ConfigError, InputError } from "../errors.js";
import { TOOL_NAME, TOOL_VERSION } from "../version.js";
import { decodeValue, encodeValue, validateColumns, type ColumnSpec } from "./column-spec.js";
import type { CodecOptions, ParquetCodec } from "./parquet-codecs.js";
import { readParquet, type ParquetReadOptions } from "./parquet-read.js";
import { JsonRow, jsonRowObject } from "./json-row.js";
import { writeParquetShards, type RowSource } from "./parquet-write.js";
import { removeStaleTempFiles, tempDirFor } from "./atomic-file.js";
import { writeAllTo } from "./bounded-writes.js";

/** One data file of a dataset dir, as listed in the manifest. */
export interface DatasetFileEntry {
  /** Path relative to the dataset dir, with forward slashes (`data/train-00000-of-00001.parquet`). */
  path: string;
  split: string;
  rows: number;
  bytes: number;
  sha256: string;
}

/** `manifest.json`: what is in the dir and how it was made. Extra fields from the caller sit beside these. */
export interface DatasetManifest {
  tool: { name: string; version: string };
  configName: string;
  codec: ParquetCodec;
  columns: ColumnSpec[];
  /** Rows and files per split, in the order the splits were given. */
  splits: Record<string, { rows: number; files: string[] }>;
  files: DatasetFileEntry[];
  [extra: string]: unknown;
}

/** What the card / extra-file callbacks see: the manifest as it will be written. */
export type DatasetSummary = DatasetManifest;

export interface WriteDatasetDirOptions extends CodecOptions {
  /** Target directory; replaced as a whole on success, untouched on failure. */
  dir: string;
  columns: readonly ColumnSpec[];
  /**
   * Rows per split, in order (`{ train: rows }` or `[{ name: "train", rows }]`); a split may say its rows'
   * total text when it is known ahead (`ParquetWriteOptions.expectedBytes`).
   */
  splits: Record<string, RowSource> | Array<{ name: string; rows: RowSource; textBytes?: number | undefined }>;
  /** @default "SNAPPY" */
  codec?: ParquetCodec | undefined;
  /**
   * Data file format: Parquet shards, or one JSON Lines / JSON array file per split
   * (`data/{split}-00000-of-00001.jsonl`), the layouts the Hub and `datasets` load as they are. @default "parquet"
   */
  dataFormat?: DataFormat | undefined;
  /** @default 48,000,000 estimated uncompressed bytes per row group (about half the Hub viewer's 100,000,000) */
  rowGroupBytes?: number | undefined;
  /** @default 500 MiB per shard */
  maxShardBytes?: number | undefined;
  /** Upper bound on rows per row group. @default 1_000_000 */
  maxRowGroupRows?: number | undefined;
  /** Threads for row groups of `JsonRow`s (see `ParquetWriteOptions.threads`). @default every core */
  threads?: number | undefined;
  /** Target uncompressed Parquet page size. @default 1 MiB */
  pageBytes?: number | undefined;
  /** `config_name` in the card's `configs:`. @default "default" */
  configName?: string | undefined;
  /**
   * The full README.md (YAML front matter with `configs:` + body), or a function given the manifest
   * (row counts are only known after writing). Default: a minimal valid card.
   */
  card?: (string | ((summary: DatasetSummary) => string | Promise<string>)) | undefined;
  /** More files to put in the dir (e.g. an SVG histogram beside the card); relative paths. */
  extraFiles?:
    | Record<string, string | Uint8Array>
    | ((summary: DatasetSummary) => Record<string, string | Uint8Array> | Promise<Record<string, string | Uint8Array>>);
  /** Extra manifest fields (sources, seeds, drops, a timestamp if you want one); must not reuse core keys. */
  manifest?: Record<string, unknown> | undefined;
  /** Called after each row group (for progress). */
  onProgress?: ((progress: { split: string; rows: number }) => void) | undefined;
}

/** Data file formats of a dataset dir. */
export const DATA_FORMATS = ["parquet", "jsonl", "json"] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

const CORE_KEYS = new Set(["tool", "configName", "codec", "columns", "splits", "files", "dataFormat"]);
const SPLIT_NAME = /^\w+(\.\w+)*$/;
export const MANIFEST_FILE = "manifest.json";
export const CARD_FILE = "README.md";
export const DATA_DIR = "data";

/** Shard file name as the Hub names them: `train-00000-of-00003.parquet`. */
export function shardFileName(split: string, index: number, count: number): string {
  return `${split}-${String(index).padStart(5, "0")}-of-${String(count).padStart(5, "0")}.parquet`;
}

/** The `configs:` entry of the card front matter for these splits. */
export function datasetConfigs(splits: readonly string[], configName = "default"): Array<Record<string, unknown>> {
  return [{ config_name: configName, data_files: splits.map((split) => ({ split, path: `${DATA_DIR}/${split}-*` })) }];
}

/**
 * Writes a dataset dir. Splits are written one after another, each streamed into size-capped shards
 * under temp names (n is only known at the end), then renamed; the card, extra files and manifest are
 * added and the finished dir replaces `dir` in one rename. If anything throws (including the row
 * source), no target and no temp dir are left behind, and an existing `dir` is kept as it was.
 *
 * @example
 * const manifest = await writeDatasetDir({ dir: "out/mix", columns: SFT_COLUMNS, splits: { train: rows } });
 */
export async function writeDatasetDir(options: WriteDatasetDirOptions): Promise<DatasetManifest> {
  const { codec = "SNAPPY", configName = "default" } = options;
  validateColumns(options.columns);
  const splits: Array<{ name: string; rows: RowSource; textBytes?: number | undefined }> = Array.isArray(options.splits)
    ? options.splits
    : Object.entries(options.splits).map(([name, rows]) => ({ name, rows }));
  checkSplits(splits.map((s) => s.name));
  for (const key of Object.keys(options.manifest ?? {})) {
    if (CORE_KEYS.has(key)) throw new ConfigError(`manifest field "${key}" is written by the toolkit and cannot be overridden`);
  }
  const target = resolve(options.dir);
  await checkReplaceable(target);
  await mkdir(dirname(target), { recursive: true });
  // Temp dirs (and spools) of runs that were killed are removed first.
  await removeStaleTempFiles(target);
  // mkdir (not mkdtemp, which makes 0700 dirs) so the finished dir gets the umask's permissions (0755 under 022).
  const temp = tempDirFor(target);
  await mkdir(temp);

  try {
    const files: DatasetFileEntry[] = [];
    const splitSummary: DatasetManifest["splits"] = {};
    const dataFormat = options.dataFormat ?? "parquet";
    if (!(DATA_FORMATS as readonly string[]).includes(dataFormat))
      throw new ConfigError(`data format must be one of ${DATA_FORMATS.join(", ")}, got ${String(dataFormat)}`);
    for (const { name, rows, textBytes } of splits) {
      if (dataFormat !== "parquet") {
        const path = `${DATA_DIR}/${name}-00000-of-00001.${dataFormat}`;
        const info = await writeJsonSplit({
          file: join(temp, path),
          rows,
          columns: options.columns,
          format: dataFormat,
          label: `${options.dir} (split ${name})`,
          onRows: (n) => options.onProgress?.({ split: name, rows: n }),
        });
        files.push({ path, split: name, rows: info.rows, bytes: info.bytes, sha256: info.sha256 });
        splitSummary[name] = { rows: info.rows, files: [path] };
        continue;
      }
      const written = await writeParquetShards({
        ...options,
        codec,
        columns: options.columns,
        rows,
        expectedBytes: textBytes,
        label: `${options.dir} (split ${name})`,
        shardPath: (index) => join(temp, DATA_DIR, `.${name}.shard-${index}.parquet`),
        onRowGroup: (p) => options.onProgress?.({ split: name, rows: p.totalRows }),
      });
      const paths: string[] = [];
      let rowCount = 0;
      for (const [index, info] of written.entries()) {
        const path = `${DATA_DIR}/${shardFileName(name, index, written.length)}`;
        await rename(info.file, join(temp, path));
        files.push({ path, split: name, rows: info.rows, bytes: info.bytes, sha256: info.sha256 });
        paths.push(path);
        rowCount += info.rows;
      }
      splitSummary[name] = { rows: rowCount, files: paths };
    }

    const manifest: DatasetManifest = {
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      configName,
      codec,
      columns: options.columns.map(({ name, type, nullable }) => ({ name, type, nullable: !!nullable })),
      ...(dataFormat !== "parquet" ? { dataFormat } : {}),
      splits: splitSummary,
      files,
      ...options.manifest,
    };

    const extra = typeof options.extraFiles === "function" ? await options.extraFiles(manifest) : (options.extraFiles ?? {});
    for (const [path, content] of Object.entries(extra)) {
      const safe = checkExtraPath(path);
      await mkdir(dirname(join(temp, safe)), { recursive: true });
      await writeFile(join(temp, safe), content);
    }
    const card = typeof options.card === "function" ? await options.card(manifest) : (options.card ?? minimalCard(target, manifest));
    checkCard(
      card,
      splits.map((s) => s.name),
    );
    await writeFile(join(temp, CARD_FILE), card);
    await writeFile(join(temp, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);

    await swapIn(temp, target);
    return manifest;
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

/**
 * One split as a JSON Lines file or a JSON array, streamed: each row keeps only the table's columns (in
 * order, validated like Parquet values; `json` columns stay objects). Returns rows, bytes and sha256.
 */
async function writeJsonSplit(args: {
  file: string;
  rows: RowSource;
  columns: readonly ColumnSpec[];
  format: "jsonl" | "json";
  label: string;
  onRows?: (rows: number) => void;
}): Promise<{ rows: number; bytes: number; sha256: string }> {
  const { file, columns, format } = args;
  await mkdir(dirname(file), { recursive: true });
  const hash = createHash("sha256");
  let bytes = 0;
  let count = 0;
  let buffer = format === "json" ? "[" : "";
  const handle = await open(file, "w");
  const flush = async () => {
    const chunk = Buffer.from(buffer, "utf8");
    hash.update(chunk);
    bytes += chunk.length;
    await writeAllTo(handle, chunk);
    buffer = "";
  };
  try {
    for await (const item of args.rows as AsyncIterable<Record<string, unknown> | JsonRow>) {
      count += 1;
      const row = item instanceof JsonRow ? jsonRowObject(item, { file: args.label, row: count }) : item;
      const out: Record<string, unknown> = {};
      for (const column of columns) {
        const value = encodeValue(column, row[column.name], { file: args.label, row: count });
        const where = { file: args.label, row: count };
        // json stays an object; a tool-call chat keeps only the tool fields each turn has (as OpenAI writes it)
        out[column.name] =
          column.type === "json"
            ? (row[column.name] ?? null)
            : column.type === "tool-messages"
              ? decodeValue(column, value, where)
              : typeof value === "bigint"
                ? Number(value)
                : value;
      }
      const text = JSON.stringify(out);
      buffer += format === "json" ? `${count === 1 ? "\n" : ",\n"}${text}` : `${text}\n`;
      if (buffer.length >= 1 << 20) await flush();
      if (count % 1000 === 0) args.onRows?.(count);
    }
    if (format === "json") buffer += count === 0 ? "]\n" : "\n]\n";
    await flush();
  } finally {
    await handle.close();
  }
  args.onRows?.(count);
  return { rows: count, bytes, sha256: hash.digest("hex") };
}

/** A minimal valid card: front matter with `configs:` and a one-paragraph body. */
export function minimalCard(dir: string, manifest: DatasetManifest): string {
  const splits = Object.keys(manifest.splits);
  const front = stringifyYaml({ configs: datasetConfigs(splits, manifest.configName) });
  const counts = splits.map((split) => `${split}: ${manifest.splits[split]!.rows} rows`).join(", ");
  const columns = manifest.columns.map((c) => `\`${c.name}\``).join(", ");
  return `---\n${front}---\n\n# ${basename(dir)}\n\nWritten by ${manifest.tool.name} ${manifest.tool.version} (${counts}; columns ${columns}).\n`;
}

function checkSplits(names: string[]): void {
  if (names.length === 0) throw new ConfigError("a dataset dir needs at least one split");
  const seen = new Set<string>();
  for (const name of names) {
    if (!SPLIT_NAME.test(name)) throw new ConfigError(`split name "${name}" must match ${SPLIT_NAME.source} (letters, digits, _ and dots)`);
    if (seen.has(name)) throw new ConfigError(`split "${name}" given twice`);
    seen.add(name);
  }
}

function checkExtraPath(path: string): string {
  const normal = normalize(path).split(sep).join("/");
  if (isAbsolute(path) || normal.startsWith("../") || normal === ".." || normal === "." || normal === "") {
    throw new ConfigError(`extra file "${path}" must be a relative path inside the dataset dir`);
  }
  if (normal === CARD_FILE || normal === MANIFEST_FILE || normal.startsWith(`${DATA_DIR}/`)) {
    throw new ConfigError(`extra file "${path}" would overwrite the card, the manifest or the data files`);
  }
  return normal;
}

/** The card must carry YAML front matter whose `configs:` lists every split we wrote. */
function checkCard(card: string, splits: string[]): void {
  const match = /^---\r?\n([\s\S]*?)\r?\n---(\r?\n|$)/.exec(card);
  if (!match) throw new ConfigError("the dataset card must start with YAML front matter (--- ... ---) holding configs:");
  let front: unknown;
  try {
    front = parseYaml(match[1]!);
  } catch (cause) {
    throw new ConfigError(`the dataset card's front matter is not valid YAML: ${(cause as Error).message}`, { cause });
  }
  const configs = (front as { configs?: unknown } | null)?.configs;
  if (!Array.isArray(configs)) throw new ConfigError("the dataset card's front matter has no configs: list");
  const listed = new Set<string>();
  for (const config of configs as Array<{ data_files?: Array<{ split?: string }> }>) {
    for (const entry of config?.data_files ?? []) if (entry?.split) listed.add(entry.split);
  }
  const missing = splits.filter((split) => !listed.has(split));
  if (missing.length > 0) throw new ConfigError(`the dataset card's configs: do not list split(s) ${missing.join(", ")}`);
}

/** Refuses to replace something that is not a directory, or a non-empty directory we did not write. */
async function checkReplaceable(target: string): Promise<void> {
  let info;
  try {
    info = await stat(target);
  } catch {
    return;
  }
  if (!info.isDirectory()) throw new ConfigError(`${target} exists and is not a directory`, { exitCode: 1 });
  const entries = await readdir(target);
  if (entries.length > 0 && !entries.includes(MANIFEST_FILE)) {
    throw new ConfigError(`${target} is a non-empty directory without ${MANIFEST_FILE}; refusing to replace it (choose a new or empty dir)`, {
      exitCode: 1,
    });
  }
}

/** Renames `temp` onto `target`; an existing target is moved aside first and removed only after. */
async function swapIn(temp: string, target: string): Promise<void> {
  let aside: string | undefined;
  try {
    await stat(target);
    aside = `${temp}.old`;
    await rename(target, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  try {
    await rename(temp, target);
  } catch (error) {
    if (aside) await rename(aside, target);
    throw error;
  }
  if (aside) await rm(aside, { recursive: true, force: true });
}

/** A dataset dir opened for reading. */
export interface DatasetDir {
  dir: string;
  manifest: DatasetManifest;
  /** Split names in manifest order. */
  splits: string[];
  /** Streams a split's rows file by file; `line` is the row number within `file`. */
  rows<T = Record<string, unknown>>(split: string, options?: ParquetReadOptions<T>): AsyncGenerator<{ file: string; line: number; record: T }>;
}

/**
 * Opens a dataset dir written by `writeDatasetDir`: reads and checks `manifest.json` and that every data
 * file is there with its recorded size (and, with `verify: true`, its sha256).
 */
export async function readDatasetDir(dir: string, { verify = false }: { verify?: boolean } = {}): Promise<DatasetDir> {
  const manifestPath = join(dir, MANIFEST_FILE);
  let manifest: DatasetManifest;
  try {
    manifest = JSON.parse(await readFile(manifestPath, "utf8")) as DatasetManifest;
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code === "ENOENT" ? "no manifest.json (not a dataset dir?)" : `invalid JSON (${(cause as Error).message})`;
    throw new InputError({ file: manifestPath }, reason, { cause });
  }
  if (typeof manifest !== "object" || manifest === null || typeof manifest.splits !== "object" || !Array.isArray(manifest.files)) {
    throw new InputError({ file: manifestPath }, "not a dataset manifest (needs splits and files)");
  }
  for (const entry of manifest.files) {
    if (typeof entry?.path !== "string" || isAbsolute(entry.path) || entry.path.split(/[\\/]/).includes("..")) {
      throw new InputError({ file: manifestPath, field: "files" }, `file path ${JSON.stringify(entry?.path)} is not inside the dataset dir`);
    }
    const file = join(dir, entry.path);
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch (cause) {
      throw new InputError({ file, field: "files" }, "listed in manifest.json but missing", { cause });
    }
    if (size !== entry.bytes) throw new InputError({ file }, `size ${size} differs from the ${entry.bytes} bytes in manifest.json`);
    if (verify && (await sha256File(file)) !== entry.sha256) throw new InputError({ file }, "sha256 differs from manifest.json");
  }
  const splits = Object.keys(manifest.splits);
  return {
    dir,
    manifest,
    splits,
    async *rows<T>(split: string, options: ParquetReadOptions<T> = {}) {
      const entry = manifest.splits[split];
      if (!entry) throw new ConfigError(`${dir} has no split "${split}" (has ${splits.join(", ")})`);
      for (const path of entry.files) {
        const file = join(dir, path);
        if (file.endsWith(".parquet")) {
          for await (const { line, record } of readParquet<T>(file, options)) yield { file, line, record };
        } else {
          const { readRawRecords } = await import("./read-records.js");
          for await (const { line, record } of readRawRecords(file)) yield { file, line, record: record as T };
        }
      }
    },
  };
}

/** sha256 (hex) of a file, streamed. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
