/**
 * @module io/json-row — a row handed to the Parquet writer as the UTF-8 bytes of a JSON object rather than
 * as a parsed object. Whoever encodes the row group parses it: with `threads > 1` that is a worker thread,
 * so the main thread only moves bytes. `textBytes` must be what `rowTextBytes` gives for the parsed row
 * (the writer cuts row groups by it before parsing, and checks it after), so the file is the same
 * whichever thread parsed it. Writers use (copy or parse) a row's bytes before asking the source for the next
 * row, so a source may hand out views of one reused buffer.
 */
import { InputError, ToolkitError } from "../errors.js";
import { encodeValue, rowTextBytes, type ColumnSpec } from "./column-spec.js";

export class JsonRow {
  /**
   * @param json UTF-8 bytes of one JSON object (keys = column names; other keys are ignored)
   * @param textBytes `rowTextBytes` of the row as it will be written
   * @param overrides fields replacing the parsed ones (e.g. a renamed id)
   */
  constructor(
    readonly json: Uint8Array,
    readonly textBytes: number,
    readonly overrides?: Record<string, unknown>,
  ) {}
}

/** The row a `JsonRow` stands for, parsed, with its overrides applied (for writers that need objects). */
export function jsonRowObject(row: JsonRow, where: { file: string; row: number }): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(row.json.buffer, row.json.byteOffset, row.json.byteLength).toString("utf8"));
  } catch (cause) {
    throw new InputError({ file: where.file, line: where.row }, `invalid JSON row: ${(cause as Error).message}`, { cause });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InputError({ file: where.file, line: where.row }, "row is not an object");
  return row.overrides ? { ...(value as Record<string, unknown>), ...row.overrides } : (value as Record<string, unknown>);
}

/** Parses a JSON row and encodes its columns (`encodeValue`), checking its declared `textBytes`. */
export function encodeJsonRow(
  columns: readonly ColumnSpec[],
  json: Uint8Array,
  textBytes: number,
  overrides: Record<string, unknown> | undefined,
  where: { file: string; row: number },
): unknown[] {
  let row: Record<string, unknown>;
  try {
    row = JSON.parse(Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString("utf8")) as Record<string, unknown>;
  } catch (cause) {
    throw new InputError({ file: where.file, line: where.row }, `invalid JSON row: ${(cause as Error).message}`, { cause });
  }
  if (typeof row !== "object" || row === null || Array.isArray(row)) throw new InputError({ file: where.file, line: where.row }, "row is not an object");
  if (overrides) row = { ...row, ...overrides };
  const encoded = columns.map((column) => encodeValue(column, row[column.name], where));
  const actual = rowTextBytes(columns, encoded);
  if (actual !== textBytes)
    throw new ToolkitError(`${where.file}: row ${where.row} declared ${textBytes} bytes of text but holds ${actual}`, { code: "invalid_state" });
  return encoded;
}
