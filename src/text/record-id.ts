/** @module text/record-id — stable content-hash ids, so reruns of a stage line up with earlier output. */
import { sha256Hex } from "../util/sha256.js";

/** sha256 hex of a JSON value serialised with sorted object keys. */
export function stableHash(value: unknown): string {
  return sha256Hex(stableStringify(value));
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
