/**
 * @module io/parquet-read — stream the rows of a Parquet file (footer and values through hyparquet, decoded
 * a page at a time by io/parquet-group-stream), with 1-based row numbers that serve as the "line" in
 * errors, like the JSONL reader.
 */
import { open, stat } from "node:fs/promises";
import type { FileMetaData, SchemaTree } from "hyparquet";
import { InputError } from "../errors.js";
import { COLUMNS_METADATA_KEY, decodeValue, type ColumnSpec, type ColumnType } from "./column-spec.js";
import { handleBadRecord, validateRecord, type ReadOptions } from "./input-issue.js";
import type { LocatedRecord } from "./jsonl.js";
import { readDecompressors } from "./parquet-codecs.js";

/** What a Parquet file holds, from its footer alone. */
export interface ParquetInfo {
  file: string;
  rows: number;
  rowGroups: number;
  /** Rows per row group. */
  rowGroupRows: number[];
  /** Column specs: as recorded by our writer, else inferred from the schema (`null` type when unknown). */
  columns: Array<{ name: string; type: ColumnType | null; nullable: boolean }>;
  /** Compression codec of the first column chunk (files we write use one codec throughout). */
  codec: string | null;
  createdBy: string | null;
  metadata: FileMetaData;
}

export interface ParquetReadOptions<T> extends ReadOptions<T> {
  /** Read only these columns (default: all). */
  columns?: string[] | undefined;
}

type Hyparquet = typeof import("hyparquet");
let hyparquet: Promise<Hyparquet> | undefined;

/** hyparquet, loaded when the first Parquet file is read (a run over JSONL never loads it). */
function loadHyparquet(): Promise<Hyparquet> {
  hyparquet ??= import("hyparquet");
  return hyparquet;
}

/** Reads a Parquet footer; a missing, non-Parquet or truncated file is an InputError naming the file. */
export async function readParquetInfo(file: string): Promise<ParquetInfo> {
  const { asyncBufferFromFile, parquetMetadataAsync, parquetSchema } = await loadHyparquet();
  let metadata: FileMetaData;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new InputError({ file }, "not a file");
    if (info.size < 12) throw new InputError({ file }, `not a Parquet file (only ${info.size} bytes)`);
    metadata = await parquetMetadataAsync(await asyncBufferFromFile(file));
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new InputError({ file }, "no such file", { cause: error });
    const detail = error instanceof Error ? error.message : String(error);
    throw new InputError({ file }, `not a Parquet file or truncated (${detail})`, { cause: error });
  }
  const groups = metadata.row_groups.map((group) => Number(group.num_rows));
  return {
    file,
    rows: Number(metadata.num_rows),
    rowGroups: groups.length,
    rowGroupRows: groups,
    columns: columnsOf(metadata, parquetSchema),
    codec: metadata.row_groups[0]?.columns[0]?.meta_data?.codec ?? null,
    createdBy: metadata.created_by ?? null,
    metadata,
  };
}

/**
 * Streams the rows of a Parquet file as `{line, record}` (line = 1-based row number), decoding a page of
 * each column at a time (memory follows the page size, not the row group's). `messages` columns come back
 * as `{role, content}[]`, `json` columns parsed, int64 as numbers when safe. With `schema`, each row is
 * validated (errors name file, row and field).
 *
 * @example
 * for await (const { line, record } of readParquet("train.parquet", { schema: sftRecordSchema })) { ... }
 */
export async function* readParquet<T = Record<string, unknown>>(file: string, options: ParquetReadOptions<T> = {}): AsyncGenerator<LocatedRecord<T>> {
  const info = await readParquetInfo(file);
  const compressors = await readDecompressors();
  const wanted = options.columns;
  if (wanted) {
    const known = new Set(info.columns.map((c) => c.name));
    const missing = wanted.filter((name) => !known.has(name));
    if (missing.length > 0) throw new InputError({ file, field: missing[0] }, `no such column (have ${[...known].join(", ")})`);
  }
  const decodeRow = parquetRowDecoder(info, wanted);
  const { streamRowGroup } = await import("./parquet-group-stream.js");
  const handle = await open(file, "r");
  try {
    let line = 0;
    for (let group = 0; group < info.rowGroups; group++) {
      for await (const batch of streamRowGroup({ handle, file, metadata: info.metadata, group, columns: wanted, compressors })) {
        for (const object of batch) {
          line += 1;
          try {
            const row = decodeRow(object, line);
            const record = options.schema ? validateRecord(options.schema, row, file, line) : (row as T);
            yield { line, record };
          } catch (error) {
            handleBadRecord(error, options);
          }
        }
      }
    }
  } finally {
    await handle.close();
  }
}

/**
 * A function turning one of `streamRowGroup`'s objects into a row as `readParquet` yields it: the columns
 * `wanted` (default: all) in the file's order, typed columns decoded (`messages` as `{role, content}[]`,
 * `json` parsed, int64 as numbers when safe); a bad value is an InputError naming the file, row and column.
 */
export function parquetRowDecoder(info: ParquetInfo, wanted?: readonly string[]): (object: Record<string, unknown>, line: number) => Record<string, unknown> {
  const decoders = info.columns.filter((c) => !wanted || wanted.includes(c.name));
  const { file } = info;
  return (object, line) => {
    const row: Record<string, unknown> = {};
    for (const column of decoders) {
      const value = object[column.name];
      row[column.name] = column.type ? decodeValue(column as ColumnSpec, value, { file, row: line }) : value;
    }
    return row;
  };
}

/** Column specs recorded in our key-value metadata, or inferred from the Parquet schema. */
function columnsOf(metadata: FileMetaData, parquetSchema: Hyparquet["parquetSchema"]): ParquetInfo["columns"] {
  const recorded = metadata.key_value_metadata?.find((kv) => kv.key === COLUMNS_METADATA_KEY)?.value;
  if (recorded) {
    try {
      const parsed = JSON.parse(recorded) as Array<{ name: string; type: ColumnType; nullable?: boolean }>;
      if (Array.isArray(parsed)) return parsed.map(({ name, type, nullable }) => ({ name, type, nullable: !!nullable }));
    } catch {
      // fall through to inference
    }
  }
  return parquetSchema(metadata).children.map((node) => ({
    name: node.element.name,
    type: inferType(node),
    nullable: node.element.repetition_type !== "REQUIRED",
  }));
}

function inferType(node: SchemaTree): ColumnType | null {
  const { element } = node;
  if (node.children.length === 0) {
    switch (element.type) {
      case "BYTE_ARRAY":
        return element.converted_type === "UTF8" || element.logical_type?.type === "STRING" ? "string" : null;
      case "INT32":
        return plainInteger(element) ? "int32" : null;
      case "INT64":
        return plainInteger(element) ? "int64" : null;
      case "DOUBLE":
        return "double";
      case "BOOLEAN":
        return "boolean";
      default:
        return null;
    }
  }
  // list<struct<role, content[, tool fields]>> in the standard 3-level layout
  const isList = element.converted_type === "LIST" || element.logical_type?.type === "LIST";
  const struct = node.children[0]?.children[0];
  const fields = struct?.children.map((child) => child.element.name);
  if (isList && fields?.includes("role") && fields.includes("content")) {
    if (fields.length === 2) return "messages";
    // A chat with OpenAI-style tool fields (written by us or by `datasets`; extra fields decode by name).
    if (fields.includes("tool_calls") || fields.includes("tool_call_id")) return "tool-messages";
  }
  return null;
}

/** An integer without a date/time/decimal annotation (plain, or annotated INTEGER / INT_n / UINT_n). */
function plainInteger(element: SchemaTree["element"]): boolean {
  const logical = element.logical_type?.type;
  const converted = element.converted_type;
  return (logical === undefined || logical === "INTEGER") && (converted === undefined || /^U?INT_/.test(converted));
}
