/**
 * @module io/parquet-byte-rows — Parquet rows read with their strings left as UTF-8 bytes, for readers that
 * take a chat row's turns as bytes (the mixer packs them as they are): no string is made of the text and
 * none is encoded back.
 *
 * hyparquet turns byte arrays into strings through its `stringFromBytes` parser; `BYTE_STRING_PARSERS` keeps
 * the bytes instead, and `stringsFromBytes` gives a row back exactly as the default parsers would have given
 * it (the same TextDecoder call), for the rows the byte path does not take. That only holds for files where
 * every byte array that reaches a row went through `stringFromBytes`: `byteStringsFit` says which.
 *
 * `parquetMessagesByteRecord` is the messages adapter's common case on such a row (as io/adapters/messages-bytes
 * is on a JSON line): plain `{role, content}` turns in an order the adapter surely accepts, text that is valid
 * UTF-8, no tools. It gives exactly what decoding the row and `messagesAdapter.toCanonical` give, or undefined,
 * and the caller takes the row the ordinary way.
 */
import { isUtf8 } from "node:buffer";
import type { FileMetaData, SchemaTree } from "hyparquet";
import type { ParquetParsers } from "hyparquet/src/types.js";
import { DEFAULT_PARSERS } from "hyparquet/src/convert.js";
import { parquetSchema } from "hyparquet/src/metadata.js";
import type { AdapterContext, RawRecord } from "./adapters/format.js";
import { byteContentId, byteRole, plainTurnOrder, type ByteSftRecord, type ByteTurn } from "./adapters/messages-bytes.js";
import { readId, readSourceAndMeta } from "./adapters/turns.js";

/** hyparquet's parsers, with strings left as their bytes. */
export const BYTE_STRING_PARSERS: ParquetParsers = { ...DEFAULT_PARSERS, stringFromBytes: (bytes: Uint8Array) => bytes as unknown as string };

/**
 * True when every byte array a row of the file can hold goes through `stringFromBytes` with the default
 * parsers: no fixed-length byte arrays (unannotated ones stay bytes) and no VARIANT groups (their plain
 * byte arrays stay bytes).
 */
export function byteStringsFit(metadata: FileMetaData): boolean {
  const fits = (node: SchemaTree): boolean => {
    const { element } = node;
    if (element.logical_type?.type === "VARIANT") return false;
    if (node.children.length === 0) return element.type !== "FIXED_LEN_BYTE_ARRAY";
    return node.children.every(fits);
  };
  return fits(parquetSchema(metadata));
}

const decoder = new TextDecoder();

/** `value` with every byte string in it decoded, as hyparquet's default `stringFromBytes` decodes it. */
export function stringsFromBytes(value: unknown): unknown {
  if (value instanceof Uint8Array) return decoder.decode(value);
  if (Array.isArray(value)) return value.map(stringsFromBytes);
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = stringsFromBytes((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/**
 * The messages adapter's record for a row read with `BYTE_STRING_PARSERS`, its turns' content the row's own
 * bytes, or undefined when the row is not surely one it accepts as it is. `decodeOthers` decodes the row's
 * columns other than `messages` (their strings already decoded) as the reader decodes a row.
 */
export function parquetMessagesByteRecord(
  object: Record<string, unknown>,
  decodeOthers: (others: Record<string, unknown>) => Record<string, unknown>,
  context: AdapterContext,
): ByteSftRecord | undefined {
  const messages = object.messages;
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  const turns: ByteTurn[] = [];
  for (const turn of messages) {
    if (turn === null || typeof turn !== "object" || Object.keys(turn).length !== 2) return undefined;
    const { role, content } = turn as { role?: unknown; content?: unknown };
    if (!(role instanceof Uint8Array) || !(content instanceof Uint8Array)) return undefined;
    const mapped = byteRole(role);
    // Decoding would drop a leading byte-order mark (TextDecoder does) and replace invalid UTF-8.
    if (mapped === undefined || !isUtf8(content) || (content.length >= 3 && content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf))
      return undefined;
    turns.push({ role: mapped, content });
  }
  if (!plainTurnOrder(turns)) return undefined;
  const others: Record<string, unknown> = {};
  for (const key of Object.keys(object)) if (key !== "messages") others[key] = stringsFromBytes(object[key]);
  if (others.tools !== undefined && others.tools !== null) return undefined;
  let raw: RawRecord;
  let envelope: ReturnType<typeof readSourceAndMeta>;
  try {
    raw = decodeOthers(others) as RawRecord;
    envelope = readSourceAndMeta(raw, ["messages", "tools"], context);
  } catch {
    return undefined; // the ordinary way reports it
  }
  // A missing id is the content hash, taken from the bytes; any other goes through the adapter's rules.
  let id: string;
  try {
    id = raw.id === undefined || raw.id === null || raw.id === "" ? byteContentId(turns) : readId(raw, context, undefined);
  } catch {
    return undefined;
  }
  return { id, turns, ...envelope };
}
