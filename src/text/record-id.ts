/** @module text/record-id — stable content-hash ids, so reruns of a stage line up with earlier output. */
import { createHash, type Hash } from "node:crypto";

/**
 * sha256 hex of a JSON value serialised with sorted object keys (`stableStringify`). The text is fed to the
 * hash piece by piece instead of being built first: the same digest, without a copy of a long row.
 */
export function stableHash(value: unknown): string {
  const hash = createHash("sha256");
  const sink = new HashSink(hash);
  writeStable(value, sink);
  sink.flush();
  return hash.digest("hex");
}

/**
 * Feeds a hash the UTF-8 of a string in pieces: short pieces are gathered (one native call per few KB),
 * long ones (a row's message text) go in as they are, so the whole serialisation is never built.
 * Pieces are whole JSON tokens, so no surrogate pair is ever split between two calls.
 */
class HashSink {
  private pending = "";
  constructor(private readonly hash: Hash) {}
  push(piece: string): void {
    if (piece.length >= 2048) {
      this.flush();
      this.hash.update(piece);
      return;
    }
    this.pending += piece;
    if (this.pending.length >= 8192) this.flush();
  }
  flush(): void {
    if (this.pending.length === 0) return;
    this.hash.update(this.pending);
    this.pending = "";
  }
}

/** `stableStringify(value)`, written piece by piece into `sink` (same text, same order). */
function writeStable(value: unknown, sink: HashSink): void {
  if (value === null || typeof value !== "object") {
    sink.push(JSON.stringify(value) ?? "null");
    return;
  }
  if (Array.isArray(value)) {
    sink.push("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) sink.push(",");
      writeStable(value[i], sink);
    }
    sink.push("]");
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort(); // by UTF-16 code units
  let first = true;
  sink.push("{");
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    sink.push(`${first ? "" : ","}${JSON.stringify(key)}:`);
    first = false;
    writeStable(item, sink);
  }
  sink.push("}");
}

/**
 * JSON.stringify with object keys sorted at every level (arrays keep their order); undefined properties
 * are left out, and a value JSON cannot represent (undefined in an array, a function) is `null`.
 * Built by string concatenation over sorted keys (no entry arrays): ids and journal keys hash it per row.
 */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort(); // by UTF-16 code units
  let out = "{";
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    out += `${out.length === 1 ? "" : ","}${JSON.stringify(key)}:${stableStringify(item)}`;
  }
  return `${out}}`;
}

/** A short stable id (first 16 hex chars of the sha256) for content without an id of its own. */
export function recordId(value: unknown): string {
  return stableHash(value).slice(0, 16);
}
