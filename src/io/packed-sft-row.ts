/**
 * @module io/packed-sft-row — a plain chat row (`SFT_COLUMNS`: turns, id, source, meta) as one compact
 * binary record, for rows that are written once and read back once on the same machine (the mixer's
 * spool). The turns' text is stored as the UTF-8 bytes it will be written as, so reading it back is a few
 * length reads and views: no JSON to scan, no escapes to undo. A packed row starts with a 0 byte, which no
 * JSON text does, so one byte tells a packed row from a JSON one wherever row bytes are taken (`JsonRow`).
 *
 * Layout (lengths are unsigned 32-bit little-endian; NULL_LENGTH stands for a null string):
 *   0x00 · id length · id · source length · source · meta length · meta (its JSON text) · turn count ·
 *   per turn: role (0 system, 1 user, 2 assistant) · content length · content
 */
import { ToolkitError } from "../errors.js";
import { decodeUtf8, plainBytes } from "../util/plain-bytes.js";
import type { SftRecord } from "../schemas/sft-record.js";
import { ROLE_BYTES, type ByteRole, type ByteSftCells, type ByteTurn } from "./adapters/messages-bytes.js";

/** First byte of a packed row. */
export const PACKED_ROW_MARK = 0;
const NULL_LENGTH = 0xffffffff;
const ROLE_CODES: Readonly<Record<ByteRole, number>> = { system: 0, user: 1, assistant: 2 };
const ROLES: readonly ByteRole[] = ["system", "user", "assistant"];

/** Whether `bytes` hold a packed row (rather than a JSON object). */
export function isPackedSftRow(bytes: Uint8Array): boolean {
  return bytes.length > 0 && bytes[0] === PACKED_ROW_MARK;
}

/** At most how many bytes `packSftRow` writes for these fields (strings are measured at 3 bytes a code unit). */
export function packedSftRowBound(id: string, source: string | null, meta: string | null, turns: readonly ByteTurn[]): number {
  let bytes = 1 + 4 * 4 + 3 * (id.length + (source?.length ?? 0) + (meta?.length ?? 0));
  for (const turn of turns) bytes += 5 + turn.content.length;
  return bytes;
}

/**
 * Writes the row into `target` at `offset` (room for `packedSftRowBound` bytes must be there); returns the
 * bytes written.
 */
export function packSftRow(target: Buffer, offset: number, id: string, source: string | null, meta: string | null, turns: readonly ByteTurn[]): number {
  let at = offset;
  target[at++] = PACKED_ROW_MARK;
  const putString = (value: string | null): void => {
    if (value === null) {
      target.writeUInt32LE(NULL_LENGTH, at);
      at += 4;
      return;
    }
    const length = target.write(value, at + 4, "utf8");
    target.writeUInt32LE(length, at);
    at += 4 + length;
  };
  putString(id);
  putString(source);
  putString(meta);
  target.writeUInt32LE(turns.length, at);
  at += 4;
  for (const { role, content } of turns) {
    target[at] = ROLE_CODES[role];
    target.writeUInt32LE(content.length, at + 1);
    target.set(content, at + 5);
    at += 5 + content.length;
  }
  return at - offset;
}

/**
 * Reads a packed row's fields; the turns' content are views of `bytes` (plain Uint8Arrays, even from a Buffer:
 * see util/plain-bytes). Throws on a truncated or unknown row.
 */
export function unpackSftRow(row: Uint8Array): ByteSftCells {
  return readPackedRow(row, false) as ByteSftCells;
}

/**
 * The walk behind `unpackSftRow` and `packedSftCells`: with `asCells`, each turn is made as the writer's cell
 * turn (`messagesCell`: its role as UTF-8 bytes) right away, instead of a `ByteTurn` to be copied into one.
 */
function readPackedRow(row: Uint8Array, asCells: boolean): [Array<ByteTurn | { role: Uint8Array; content: Uint8Array }>, string, string | null, string | null] {
  if (!isPackedSftRow(row)) throw corrupt("it does not start with the packed-row mark");
  // A straight walk over the fields (no closures per row: this runs once per row of a mix, mostly cold).
  const bytes = plainBytes(row);
  const end = bytes.length;
  let at = 1;
  const strings: Array<string | null> = [null, null, null];
  for (let field = 0; field < 3; field++) {
    if (at + 4 > end) throw corrupt("it ends inside a length");
    const size = readUint32(bytes, at);
    at += 4;
    if (size === NULL_LENGTH) continue;
    if (at + size > end) throw corrupt("it ends inside a field");
    strings[field] = decodeUtf8(bytes, at, at + size);
    at += size;
  }
  const [id, source, meta] = strings;
  if (id === null || id === undefined) throw corrupt("its id is null");
  if (at + 4 > end) throw corrupt("it ends inside a length");
  const count = readUint32(bytes, at);
  at += 4;
  const turns: Array<ByteTurn | { role: Uint8Array; content: Uint8Array }> = new Array(count);
  for (let i = 0; i < count; i++) {
    if (at + 1 > end) throw corrupt("it ends inside a field");
    const role = ROLES[bytes[at]!];
    if (role === undefined) throw corrupt(`turn ${i} has an unknown role code`);
    if (at + 5 > end) throw corrupt("it ends inside a length");
    const size = readUint32(bytes, at + 1);
    at += 5;
    if (at + size > end) throw corrupt("it ends inside a field");
    const content = bytes.subarray(at, at + size);
    turns[i] = asCells ? { role: ROLE_BYTES[role], content } : { role, content };
    at += size;
  }
  if (at !== end) throw corrupt("bytes follow its last turn");
  return [turns, id, source ?? null, meta ?? null];
}

/** The little-endian u32 at `at`. */
function readUint32(bytes: Uint8Array, at: number): number {
  return (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
}

/** The cells of `SFT_COLUMNS` for a packed row, as `encodeValue` gives them (roles and content as UTF-8 bytes). */
export function packedSftCells(bytes: Uint8Array): unknown[] {
  return readPackedRow(bytes, true);
}

/** A packed row as the record it stands for (text decoded, meta parsed), for code that works on objects. */
export function packedSftRecord(bytes: Uint8Array): SftRecord {
  const [turns, id, source, meta] = unpackSftRow(bytes);
  return {
    id,
    messages: turns.map(({ role, content }) => ({ role, content: decodeUtf8(content, 0, content.length) })),
    ...(source !== null ? { source } : {}),
    ...(meta !== null ? { meta: JSON.parse(meta) as NonNullable<SftRecord["meta"]> } : {}),
  };
}

const corrupt = (reason: string): ToolkitError => new ToolkitError(`packed row is corrupt: ${reason}`, { code: "invalid_state" });
