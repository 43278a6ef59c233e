/**
 * @module text/int32-view — the memory of a byte array as 32-bit words, for scans that take four bytes at a
 * time (word counts, exact-dedup keys): a view per buffer, made once and kept as long as the buffer lives.
 */

/** Bit 7 of every byte of a 32-bit word, as a signed 32-bit integer (0x80808080). */
export const HIGH_BITS = 0x80808080 | 0;

/** Four-byte scans read bytes in memory order as the low to high bytes of a word: only on little-endian machines. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

const views = new WeakMap<ArrayBufferLike, Int32Array>();

/** The whole buffer under `bytes` as 32-bit words (word k holds bytes 4k to 4k + 3 of the buffer). */
export function int32View(bytes: Uint8Array): Int32Array {
  const buffer = bytes.buffer;
  let view = views.get(buffer);
  if (view === undefined) {
    view = new Int32Array(buffer, 0, buffer.byteLength >>> 2);
    views.set(buffer, view);
  }
  return view;
}
