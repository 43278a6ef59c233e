/** @module text/record-id — stable content-hash ids, so reruns of a stage line up with earlier output. */
import { sha256Hex } from "../util/sha256.js";

/** sha256 hex of a JSON value serialised with sorted object keys. */
export function stableHash(value: unknown): string {
  return sha256Hex(stableStringify(value));
}

/** JSON.stringify with object keys sorted at every level (arrays keep their order). */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
}

/** A short stable id (first 16 hex chars of the sha256) for content without an id of its own. */
export function recordId(value: unknown): string {
  return stableHash(value).slice(0, 16);
}
