/** @module util/sha256 — sha256 of a string or bytes as lowercase hex (one-shot; stream big files with node:crypto). */
import { createHash } from "node:crypto";

/** @example sha256Hex("abc") // "ba7816bf…" */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
