/**
 * @module mix/key-hash — the exact-dedup key's hash in JavaScript: the function `wasm/key-hash.ts` computes in
 * WebAssembly (that file says how it works), for rows keyed as strings and where wasm SIMD is missing. A fast
 * 64-bit hash, not a cryptographic one: the mixer compares two rows' normalised text before it calls one a
 * duplicate of the other (mix/row-key-table), so a collision costs a comparison, never a row.
 */

const K1 = 0x9e3779b1;
const K2 = 0x85ebca77;
const K3 = 0xc2b2ae3d;
const K4 = 0x27d4eb2f;
const K5 = 0x165667b1;

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

/** The little-endian 32-bit word at `p`. */
const wordAt = (bytes: Uint8Array, p: number): number => bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24);

const lanes = new Int32Array(8);
const LANES_START = [(K1 + K2) | 0, K2 | 0, 0, (0 - K1) | 0, K3 | 0, K4 | 0, K5 | 0, (K1 ^ K3) | 0];

/** Hashes `bytes[start, end)`; writes the two 32-bit halves (unsigned) at `out[at]` and `out[at + 1]`. */
export function hashKeyBytes(bytes: Uint8Array, start: number, end: number, out: Uint32Array, at: number): void {
  const length = end - start;
  lanes.set(LANES_START);
  let p = start;
  for (; p + 32 <= end; p += 32) {
    for (let k = 0; k < 8; k++) lanes[k] = Math.imul(rotl((lanes[k]! + Math.imul(wordAt(bytes, p + 4 * k), K2)) | 0, 13), K1);
  }
  const l = lanes;
  let a =
    (rotl(l[0]!, 1) + rotl(l[1]!, 7) + rotl(l[2]!, 12) + rotl(l[3]!, 18) + rotl(l[4]!, 3) + rotl(l[5]!, 9) + rotl(l[6]!, 14) + rotl(l[7]!, 20) + length) | 0;
  let b =
    Math.imul(l[0]!, K3) ^
    rotl(Math.imul(l[1]!, K4), 5) ^
    rotl(Math.imul(l[2]!, K5), 11) ^
    rotl(Math.imul(l[3]!, K2), 17) ^
    rotl(Math.imul(l[4]!, K3), 21) ^
    rotl(Math.imul(l[5]!, K4), 25) ^
    rotl(Math.imul(l[6]!, K5), 29) ^
    rotl(Math.imul(l[7]!, K1), 31) ^
    length;
  for (; p + 4 <= end; p += 4) {
    const word = wordAt(bytes, p);
    a = Math.imul(rotl((a + Math.imul(word, K3)) | 0, 17), K4);
    b = Math.imul(rotl(b ^ Math.imul(word, K1), 15), K2);
  }
  for (; p < end; p++) {
    const byte = bytes[p]!;
    a = Math.imul(rotl((a + Math.imul(byte, K5)) | 0, 11), K1);
    b = Math.imul(rotl(b ^ Math.imul(byte, K4), 13), K5);
  }
  a ^= a >>> 15;
  a = Math.imul(a, K2);
  a ^= a >>> 13;
  a = Math.imul(a, K3);
  a ^= a >>> 16;
  b ^= b >>> 16;
  b = Math.imul(b, K4);
  b ^= b >>> 13;
  b = Math.imul(b, K5);
  b ^= b >>> 15;
  out[at] = a >>> 0;
  out[at + 1] = b >>> 0;
}
