/**
 * @module util/plain-bytes — a plain `Uint8Array` view of the same memory as a `Buffer` (or any Uint8Array),
 * and short UTF-8 text decoded without making a Buffer.
 *
 * Why: a Buffer's subarrays are Buffers, so text views cut from a file's bytes were Buffers while text
 * unescaped into a scratch array or encoded by TextEncoder were plain Uint8Arrays. Code that sees both kinds
 * (word counts, hyparquet-writer's page loops) runs polymorphic: `countWordsUtf8` over the bench mix's text
 * took 160–187 ms given both kinds against 90–131 ms given one (same bytes, same process).
 */

/** `bytes` itself when it is a plain Uint8Array, else a Uint8Array over the same bytes (no copy). */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Longest text `decodeUtf8` decodes itself when it is ASCII. */
const SHORT_TEXT = 64;

/**
 * `bytes[start, end)` decoded as UTF-8. Short ASCII text (ids, roles, sources, keys: most fields that are not
 * the text itself) is made straight from the bytes; anything else goes through a Buffer view, whose creation
 * costs more than the decoding for a few bytes.
 */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= SHORT_TEXT) {
    let ascii = true;
    for (let i = start; i < end; i++) if (bytes[i]! >= 0x80) ascii = false;
    if (ascii) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString("utf8");
}
