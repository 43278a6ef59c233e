/**
 * @module io/write-records — write canonical records (or raw rows) to a file chosen by extension
 * (`.jsonl`, `.json` array, `.parquet`), in a chosen format, atomically: a failed run leaves nothing.
 */
import { extname } from "node:path";
import { ConfigError, ToolkitError } from "../errors.js";
import { getAdapter } from "./adapters/detect-format.js";
import { formatKind, isPreferencePair, type CanonicalRecord, type FormatName, type RawRecord } from "./adapters/format.js";
import { withAtomicFile } from "./atomic-file.js";
import { sftColumns, type ColumnSpec } from "./column-spec.js";
import { hasToolContent } from "./adapters/tool-definitions.js";
import { writeJsonl } from "./jsonl.js";
import type { ParquetCodec } from "./parquet-codecs.js";
import { writeParquet } from "./parquet-write.js";

type Rows<T> = Iterable<T> | AsyncIterable<T>;

/** Parquet columns of the preference layouts (prompt/chosen/rejected conversational, then the rest). */
const PAIR_TAIL: readonly ColumnSpec[] = [
  { name: "id", type: "string" },
  { name: "score_chosen", type: "double", nullable: true },
  { name: "score_rejected", type: "double", nullable: true },
  { name: "signals", type: "json", nullable: true },
  { name: "reason", type: "string", nullable: true },
  { name: "source", type: "string", nullable: true },
  { name: "meta", type: "json", nullable: true },
];

/** TRL explicit-prompt pairs in Parquet: `prompt`, `chosen`, `rejected` as `list<struct<role, content>>`. */
export const TRL_COLUMNS: readonly ColumnSpec[] = Object.freeze([
  { name: "prompt", type: "messages" },
  { name: "chosen", type: "messages" },
  { name: "rejected", type: "messages" },
  ...PAIR_TAIL,
]);

/** UltraFeedback-binarized pairs in Parquet: `prompt` text, whole `chosen`/`rejected` conversations. */
export const ULTRAFEEDBACK_COLUMNS: readonly ColumnSpec[] = Object.freeze([
  { name: "prompt", type: "string" },
  { name: "chosen", type: "messages" },
  { name: "rejected", type: "messages" },
  ...PAIR_TAIL,
]);

/**
 * The Parquet columns for a format; formats with `{from, value}` turns or pair lists are JSON-only.
 * `tools`: the SFT rows have tool content (see `sftColumns`).
 */
export function parquetColumnsForFormat(format: FormatName, tools = false): readonly ColumnSpec[] {
  switch (format) {
    case "messages":
      return sftColumns(tools);
    case "trl":
      return TRL_COLUMNS;
    case "ultrafeedback":
      return ULTRAFEEDBACK_COLUMNS;
    default:
      throw new ConfigError(`format "${format}" cannot be written as Parquet; use .jsonl or .json, or --to messages / trl / ultrafeedback`);
  }
}

export interface WriteRawOptions {
  /** Format of the rows (picks the Parquet columns). @default "messages" */
  format?: FormatName | undefined;
  /** Parquet codec. @default "SNAPPY" */
  codec?: ParquetCodec | undefined;
  /** Parquet row-group size in bytes of text. */
  rowGroupBytes?: number | undefined;
  /**
   * messages as Parquet: use the tool-call columns (`SFT_TOOL_COLUMNS`). Without it, a row with tool
   * calls or a `tools` field fails the write (naming the row) rather than losing them. @default false
   */
  tools?: boolean | undefined;
}

/** Output extensions `writeRawRecords` accepts, for messages. */
export const SUPPORTED_OUTPUTS = ".jsonl, .ndjson, .json (array) or .parquet";

/** Checks that `path` has an extension we can write, before any work is done. */
export function assertWritablePath(path: string, format?: FormatName): void {
  const extension = extname(path).toLowerCase();
  if (extension === ".parquet") {
    if (format !== undefined) parquetColumnsForFormat(format);
    return;
  }
  if (extension !== ".jsonl" && extension !== ".ndjson" && extension !== ".json") {
    throw new ConfigError(`${path}: unsupported output type "${extension || "(no extension)"}"; expected ${SUPPORTED_OUTPUTS}`);
  }
}

/** Writes raw rows (already in the output format) by extension, atomically. Returns the row count. */
export async function writeRawRecords(path: string, rows: Rows<RawRecord>, options: WriteRawOptions = {}): Promise<number> {
  const extension = extname(path).toLowerCase();
  assertWritablePath(path, options.format ?? "messages");
  if (extension === ".parquet") {
    const format = options.format ?? "messages";
    const tools = options.tools ?? false;
    const info = await writeParquet({
      file: path,
      columns: parquetColumnsForFormat(format, tools),
      rows: format === "messages" && !tools ? refuseToolRows(path, rows) : rows,
      codec: options.codec,
      rowGroupBytes: options.rowGroupBytes,
    });
    return info.rows;
  }
  if (extension === ".json") return writeJsonArray(path, rows);
  return writeJsonl(path, rows);
}

/** Error code of a Parquet write without the tool-call columns that met a row with tool content. */
export const NEEDS_TOOL_COLUMNS = "needs_tool_columns";

/** Passes rows through, failing on the first one with tool content (which the plain SFT columns would lose). */
async function* refuseToolRows(path: string, rows: Rows<RawRecord>): AsyncGenerator<RawRecord> {
  let row = 0;
  for await (const raw of rows as AsyncIterable<RawRecord>) {
    row += 1;
    const messages = Array.isArray(raw.messages) ? (raw.messages as Array<Record<string, unknown>>) : [];
    if ((raw.tools !== undefined && raw.tools !== null) || messages.some((m) => m?.role === "tool" || (m?.tool_calls !== undefined && m.tool_calls !== null))) {
      throw new ToolkitError(`${path}: row ${row} has tool calls or tools, which need the tool-call columns (write option tools: true)`, {
        code: NEEDS_TOOL_COLUMNS,
      });
    }
    yield raw;
  }
}

/** Writes a JSON array (one 2-space indented element per block, as LLaMA-Factory ships its data), atomically. */
export async function writeJsonArray(path: string, rows: Rows<unknown>): Promise<number> {
  return withAtomicFile(path, async (out) => {
    let count = 0;
    let buffer = "[";
    for await (const row of rows as AsyncIterable<unknown>) {
      buffer += `${count === 0 ? "\n  " : ",\n  "}${JSON.stringify(row, null, 2).replace(/\n/g, "\n  ")}`;
      count += 1;
      if (buffer.length >= 1 << 20) {
        await out.write(buffer);
        buffer = "";
      }
    }
    buffer += count === 0 ? "]\n" : "\n]\n";
    await out.write(buffer);
    return count;
  });
}

export interface WriteRecordsOptions extends Omit<WriteRawOptions, "format"> {
  /** Output format. @default "messages" for SFT records, "trl" for preference pairs */
  to?: FormatName | undefined;
}

export interface WriteRecordsResult {
  file: string;
  format: FormatName;
  written: number;
}

/**
 * Writes canonical records to `path` in format `to` (by extension: JSONL, JSON array or Parquet),
 * atomically. Every record must be of the format's kind; a record the format cannot express (e.g. a
 * multi-turn completion as sharegpt-preference) fails the write, naming the record.
 *
 * @example
 * await writeRecords("train.parquet", [{ id: "a", messages: [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hello" }] }]);
 */
export async function writeRecords(path: string, records: Rows<CanonicalRecord>, options: WriteRecordsOptions = {}): Promise<WriteRecordsResult> {
  const iterator = toAsyncIterator(records);
  const first = await iterator.next();
  const format: FormatName = options.to ?? (!first.done && isPreferencePair(first.value) ? "trl" : "messages");
  assertWritablePath(path, format);
  const adapter = getAdapter(format);
  const kind = formatKind(format);
  async function* rows(): AsyncGenerator<RawRecord> {
    let next = first;
    while (!next.done) {
      const record = next.value;
      if ((isPreferencePair(record) ? "preference" : "sft") !== kind) {
        throw new ToolkitError(`record ${record.id} is ${kind === "sft" ? "a preference pair" : "an SFT record"}; format "${format}" holds ${kind} records`);
      }
      yield (adapter.fromCanonical as (r: CanonicalRecord) => RawRecord)(record);
      next = await iterator.next();
    }
  }
  // Parquet needs its columns before the first row: an array is checked for tool content up front.
  const tools = options.tools ?? (Array.isArray(records) && records.some((r) => !isPreferencePair(r) && hasToolContent(r)));
  const written = await writeRawRecords(path, rows(), { ...options, format, tools });
  return { file: path, format, written };
}

function toAsyncIterator<T>(source: Rows<T>): AsyncIterator<T> | Iterator<T> {
  if (Symbol.asyncIterator in source) return (source as AsyncIterable<T>)[Symbol.asyncIterator]();
  return (source as Iterable<T>)[Symbol.iterator]();
}
