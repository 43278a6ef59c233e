/**
 * @module io/json-row — a row handed to the Parquet writer as the UTF-8 bytes of a JSON object rather than
 * as a parsed object. Whoever encodes the row group parses it: with `threads > 1` that is a worker thread,
 * so the main thread only moves bytes. `textBytes` must be what `rowTextBytes` gives for the parsed row
 * (the writer cuts row groups by it before parsing, and checks it after), so the file is the same
 * whichever thread parsed it. Writers use (copy or parse) a row's bytes before asking the source for the next
 * row, so a source may hand out views of one reused buffer. A plain chat row may also come packed
 * (io/packed-sft-row: its text as the bytes it is written as, nothing to parse), told apart by its first byte.
 */
import { InputError, ToolkitError } from "../errors.js";
import { messagesCell, type MessagesByteReader } from "./adapters/messages-bytes.js";
import { encodeValue, rowTextBytes, SFT_COLUMNS, type ColumnSpec } from "./column-spec.js";
import { isPackedSftRow, packedSftCells, packedSftRecord } from "./packed-sft-row.js";

export class JsonRow {
  /**
   * @param json UTF-8 bytes of one JSON object (keys = column names; other keys are ignored), or a packed
   *   SFT row (`packSftRow`)
   * @param textBytes `rowTextBytes` of the row as it will be written
   * @param overrides fields replacing the parsed ones (e.g. a renamed id)
   * @param stable true when `json` stays valid and unchanged until the write has finished: the writer then
   *   keeps a view of it instead of copying it (by default a source may reuse the bytes for its next row)
   */
  constructor(
    readonly json: Uint8Array,
    readonly textBytes: number,
    readonly overrides?: Record<string, unknown>,
    readonly stable = false,
  ) {}
}

/** The row a `JsonRow` stands for, parsed, with its overrides applied (for writers that need objects). */
export function jsonRowObject(row: JsonRow, where: { file: string; row: number }): Record<string, unknown> {
  const value = rowBytesObject(row.json, where);
  return row.overrides ? { ...value, ...row.overrides } : value;
}

/** A row's bytes (a JSON object, or a packed SFT row) as the object they stand for. */
export function rowBytesObject(bytes: Uint8Array, where: { file: string; row: number }): Record<string, unknown> {
  if (isPackedSftRow(bytes)) return packedSftRecord(bytes) as unknown as Record<string, unknown>;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"));
  } catch (cause) {
    throw new InputError({ file: where.file, line: where.row }, `invalid JSON row: ${(cause as Error).message}`, { cause });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InputError({ file: where.file, line: where.row }, "row is not an object");
  return value as Record<string, unknown>;
}

/**
 * Parses a JSON row and encodes its columns (`encodeValue`), checking its declared `textBytes`. With a
 * `reader`, a row of exactly `SFT_COLUMNS` is read from its bytes when the reader vouches for it (the same
 * cells, its chat text as UTF-8 bytes in the reader's buffer or views of `json`: valid until the reader's
 * next `reset`, and while `json` is, unless the reader copies text).
 */
export function encodeJsonRow(
  columns: readonly ColumnSpec[],
  json: Uint8Array,
  textBytes: number,
  overrides: Record<string, unknown> | undefined,
  where: { file: string; row: number },
  reader?: MessagesByteReader | undefined,
): unknown[] {
  const onlyIdOverride = overrides === undefined || Object.keys(overrides).every((key) => key === "id");
  if (isPackedSftRow(json) && onlyIdOverride && isSftColumns(columns)) {
    // Packed rows hold their cells as they are written: no parsing, only the id to replace.
    const cells = packedSftCells(reader !== undefined ? reader.retain(json) : json);
    if (overrides !== undefined && "id" in overrides) cells[1] = encodeValue(columns[1]!, overrides.id, where);
    return checkedTextBytes(columns, cells, textBytes, where);
  }
  if (reader !== undefined && onlyIdOverride && isSftColumns(columns) && !isPackedSftRow(json)) {
    const cells = sftRowFromBytes(reader, columns, json, textBytes, overrides, where);
    if (cells !== undefined) return cells;
  }
  let row = rowBytesObject(json, where);
  if (overrides) row = { ...row, ...overrides };
  const encoded = columns.map((column) => encodeValue(column, row[column.name], where));
  return checkedTextBytes(columns, encoded, textBytes, where);
}

/** `cells`, once their `rowTextBytes` is found to be the size the row declared (the writer cut its row group by it). */
function checkedTextBytes(columns: readonly ColumnSpec[], cells: unknown[], textBytes: number, where: { file: string; row: number }): unknown[] {
  const actual = rowTextBytes(columns, cells);
  if (actual !== textBytes)
    throw new ToolkitError(`${where.file}: row ${where.row} declared ${textBytes} bytes of text but holds ${actual}`, { code: "invalid_state" });
  return cells;
}

/** True for exactly `SFT_COLUMNS` (the chat layout without tool columns). */
function isSftColumns(columns: readonly ColumnSpec[]): boolean {
  return (
    columns === SFT_COLUMNS ||
    (columns.length === SFT_COLUMNS.length &&
      columns.every(
        (column, i) => column.name === SFT_COLUMNS[i]!.name && column.type === SFT_COLUMNS[i]!.type && !!column.nullable === !!SFT_COLUMNS[i]!.nullable,
      ))
  );
}

/**
 * A JSON row's cells read by the byte reader, as `encodeJsonRow` gives them (an id override applied, the
 * declared text size checked), or undefined: then the row is parsed, and what is wrong with it reported.
 */
function sftRowFromBytes(
  reader: MessagesByteReader,
  columns: readonly ColumnSpec[],
  json: Uint8Array,
  textBytes: number,
  overrides: Record<string, unknown> | undefined,
  where: { file: string; row: number },
): unknown[] | undefined {
  const row = reader.readSftRow(json, 0, json.length);
  if (row === undefined) return undefined;
  const [turns, id, source, meta] = row;
  const cells: unknown[] = [messagesCell(turns), id, source, meta];
  if (overrides !== undefined && "id" in overrides) cells[1] = encodeValue(columns[1]!, overrides.id, where);
  return rowTextBytes(columns, cells) === textBytes ? cells : undefined;
}
