/** @module judge/sha256-hex — sha256 of a string as lowercase hex. */
import { createHash } from "node:crypto";

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
