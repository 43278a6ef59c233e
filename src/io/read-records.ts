/**
 * @module io/read-records — read canonical records (SftRecord / PreferencePair) from any supported file:
 * the reader is picked by extension (`.jsonl`, `.json` array or JSON Lines, `.parquet`, a dataset dir),
 * the format adapter by detection on each file's first record (or given explicitly).
 */
import { open, readdir, stat } from "node:fs/promises";
import { extname, join, relative } from "node:path";
import { ConfigError, InputError } from "../errors.js";
import type { PreferencePair } from "../schemas/preference-pair.js";
import type { SftRecord } from "../schemas/sft-record.js";
import { assertFormatKind, describeUndetected, detectFormat, getAdapter } from "./adapters/detect-format.js";
import { formatKind, type CanonicalRecord, type FormatAdapter, type FormatName, type RawRecord, type RecordKind } from "./adapters/format.js";
import { handleBadRecord, type InputIssue } from "./input-issue.js";
import { readJsonArray } from "./json-array.js";
import { readJsonl } from "./jsonl.js";
import { readParquet } from "./parquet-read.js";

/** A raw row with where it came from. */
export interface RawRow {
  file: string;
  /** 1-based line (JSONL), element start line (JSON array) or row (Parquet). */
  line: number;
  record: RawRecord;
}

/** A canonical record with where it came from. */
export interface ReadRecord<T extends CanonicalRecord = CanonicalRecord> {
  file: string;
  line: number;
  record: T;
}

export interface ReadRawOptions {
  /** Skip bad rows (reporting them into `issues`) instead of failing on the first. @default false */
  skipInvalid?: boolean | undefined;
  issues?: InputIssue[] | undefined;
  /**
   * For a dataset dir: read only this split (`datasetDirSplits`), or `"all"` for every split in order
   * (train first). @default every .parquet file in path order
   */
  split?: string | undefined;
}

export interface ReadRecordsOptions extends ReadRawOptions {
  /** The on-disk format; `"auto"` detects it from each file's first record. @default "auto" */
  format?: FormatName | "auto" | undefined;
  /** Accept only records of this kind (detection is limited to its formats). */
  kind?: RecordKind | undefined;
  /** Accept an input with no records at all (else an error). @default false */
  allowEmpty?: boolean | undefined;
  /** Called once per file with the format used for it. */
  onFormat?: ((info: { file: string; format: FormatName; detected: boolean }) => void) | undefined;
}

const JSONL_EXTENSIONS = new Set([".jsonl", ".ndjson"]);
const SNIFF_BYTES = 64 * 1024;

/** The kinds of input path `readRawRecords` accepts, for messages. */
export const SUPPORTED_INPUTS = ".jsonl, .ndjson, .json (array or JSON Lines), .parquet, or a dataset directory of .parquet files";

/**
 * Streams raw rows (plain objects) from a file or dataset dir, choosing the reader by extension.
 * Errors name the file and line; with `skipInvalid` bad rows are reported into `issues` instead.
 */
export async function* readRawRecords(path: string, options: ReadRawOptions = {}): AsyncGenerator<RawRow> {
  let info;
  try {
    info = await stat(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new InputError({ file: path }, code === "ENOENT" ? "file not found" : `cannot read: ${code ?? String(cause)}`, { cause });
  }
  if (info.isDirectory()) {
    let files = options.split === undefined ? await parquetFilesIn(path) : await splitFiles(path, options.split);
    // A dataset dir written with JSON Lines / JSON data files lists them in its manifest.
    if (files.length === 0 && options.split === undefined) files = await splitFiles(path, "all").catch(() => []);
    if (files.length === 0) {
      throw new InputError({ file: path }, "is a directory with no .parquet files (expected a file or a dataset dir with data/*.parquet)");
    }
    const { split: _split, ...fileOptions } = options;
    for (const file of files) {
      if (file.toLowerCase().endsWith(".parquet")) yield* readParquetRows(file, options);
      else yield* readRawRecords(file, fileOptions);
    }
    return;
  }
  if (options.split !== undefined) throw new ConfigError(`${path}: a split can only be chosen in a dataset dir, not in a file`);
  const extension = extname(path).toLowerCase();
  if (extension === ".parquet") {
    yield* readParquetRows(path, options);
    return;
  }
  if (!JSONL_EXTENSIONS.has(extension) && extension !== ".json") {
    throw new ConfigError(`${path}: unsupported input type "${extension || "(no extension)"}"; expected ${SUPPORTED_INPUTS}`, { exitCode: 1 });
  }
  const first = await sniffText(path);
  if (extension === ".json" && first === "[") {
    for await (const { line, record } of readJsonArray<RawRecord>(path, options)) yield { file: path, line, record };
    return;
  }
  try {
    for await (const { line, record } of readJsonl<RawRecord>(path, options)) yield { file: path, line, record };
  } catch (error) {
    // A .json file that is neither an array nor JSON Lines is most often one pretty-printed object.
    if (extension === ".json" && error instanceof InputError && error.line === 1 && error.reason.startsWith("invalid JSON")) {
      throw new InputError({ file: path, line: 1 }, `${error.reason} (a .json file must hold a JSON array of records, or one JSON object per line)`, {
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Reads canonical records. The format is detected from the first record of each file unless given;
 * records that cannot be converted (see the adapters) fail with file, line, field and reason, or are
 * skipped and reported with `skipInvalid`.
 *
 * @example
 * for await (const { record } of readRecords("alpaca_en_demo.json", { kind: "sft" })) console.log(record.messages);
 */
export function readRecords(path: string, options: ReadRecordsOptions & { kind: "sft" }): AsyncGenerator<ReadRecord<SftRecord>>;
export function readRecords(path: string, options: ReadRecordsOptions & { kind: "preference" }): AsyncGenerator<ReadRecord<PreferencePair>>;
export function readRecords(path: string, options?: ReadRecordsOptions): AsyncGenerator<ReadRecord>;
export async function* readRecords(path: string, options: ReadRecordsOptions = {}): AsyncGenerator<ReadRecord> {
  const { format = "auto", onFormat } = options;
  let kind = options.kind;
  if (format !== "auto") assertFormatKind(format, kind);
  const issuesBefore = options.issues?.length ?? 0;
  let rows = 0;
  let currentFile: string | undefined;
  let adapter: FormatAdapter | undefined;
  for await (const raw of readRawRecords(path, options)) {
    rows += 1;
    if (raw.file !== currentFile) {
      currentFile = raw.file;
      adapter = undefined;
    }
    let record: CanonicalRecord;
    try {
      if (adapter === undefined) {
        const detected = format === "auto" ? detectFormat(raw.record, kind) : format;
        if (detected === null) throw new InputError({ file: raw.file, line: raw.line }, describeUndetected(raw.record, kind));
        adapter = getAdapter(detected);
        kind ??= formatKind(detected);
        onFormat?.({ file: raw.file, format: detected, detected: format === "auto" });
      }
      record = adapter.toCanonical(raw.record, { file: raw.file, line: raw.line });
    } catch (error) {
      handleBadRecord(error, options);
      continue;
    }
    yield { file: raw.file, line: raw.line, record };
  }
  const skippedAll = (options.issues?.length ?? 0) > issuesBefore;
  if (rows === 0 && !skippedAll && !options.allowEmpty) {
    throw new InputError({ file: path }, "no records (the input is empty)");
  }
}

/**
 * True when `path` is a JSON Lines file (`.jsonl`, `.ndjson`) that can be read in byte ranges (see
 * io/record-range-pool); its start is checked first, with the errors `readRawRecords` gives (UTF-16, binary).
 * False for everything else (a missing path too: `readRecords` then names the problem).
 */
export async function isSplittableJsonl(path: string): Promise<boolean> {
  if (!JSONL_EXTENSIONS.has(extname(path).toLowerCase())) return false;
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return false;
  await sniffText(path);
  return true;
}

async function splitFiles(dir: string, split: string): Promise<string[]> {
  const { ALL_SPLITS, datasetDirSplits } = await import("./dataset-splits.js");
  const splits = await datasetDirSplits(dir);
  if (split === ALL_SPLITS) return splits.flatMap((s) => s.files);
  const found = splits.find((s) => s.name === split);
  if (!found) throw new ConfigError(`${dir} has no split "${split}" (it has ${splits.map((s) => s.name).join(", ")})`);
  return found.files;
}

async function* readParquetRows(file: string, options: ReadRawOptions): AsyncGenerator<RawRow> {
  for await (const { line, record } of readParquet<RawRecord>(file, options)) yield { file, line, record };
}

/**
 * The .parquet files of a dataset dir (`data/**` first, else the dir itself), sorted by path. Symbolic links
 * are followed (the Hugging Face cache's snapshot dirs hold links to its blobs).
 */
export async function parquetFilesIn(dir: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(current: string, depth: number): Promise<void> {
    const entries = await readdir(current, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const full = join(current, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await stat(full).catch(() => undefined);
        isDir = target?.isDirectory() ?? false;
        isFile = target?.isFile() ?? false;
      }
      if (isDir && depth < 3) await walk(full, depth + 1);
      else if (isFile && entry.name.toLowerCase().endsWith(".parquet")) found.push(full);
    }
  }
  await walk(dir, 0);
  return found.sort((a, b) => {
    const ra = relative(dir, a);
    const rb = relative(dir, b);
    return ra < rb ? -1 : ra > rb ? 1 : 0;
  });
}

/**
 * Checks the start of a text file before parsing: rejects UTF-16 (byte-order mark or NUL bytes) and
 * binary data with a clear reason and line, and returns the first non-blank character ("" when the file
 * holds only whitespace).
 */
async function sniffText(path: string): Promise<string> {
  const handle = await open(path, "r");
  let bytes: Buffer;
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    bytes = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    const order = bytes[0] === 0xff ? "little-endian" : "big-endian";
    throw new InputError(
      { file: path, line: 1 },
      `the file is UTF-16 (${order} byte-order mark); it must be UTF-8 — re-encode it, e.g. iconv -f UTF-16 -t UTF-8`,
    );
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    let line = 1;
    for (let i = 0; i < nul; i++) if (bytes[i] === 0x0a) line += 1;
    const utf16 = nul <= 1 && bytes.length > 3 && (bytes[1] === 0 || bytes[2] === 0 || bytes[3] === 0);
    throw new InputError(
      { file: path, line },
      utf16 ? "the file looks like UTF-16 without a byte-order mark; it must be UTF-8" : "NUL byte in the file (binary data?); expected UTF-8 JSON text",
    );
  }
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  for (let i = start; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return String.fromCharCode(b);
  }
  return "";
}
