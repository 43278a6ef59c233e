/**
 * @module util/plain-bytes — a plain `Uint8Array` view of the same memory as a `Buffer` (or any Uint8Array).
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
