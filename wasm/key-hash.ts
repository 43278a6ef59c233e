// AssemblyScript source of the exact-dedup key's hash (compiled into wasm/normalise-key.ts's module, which
// exports it). src/mix/key-hash.ts is the same function in JavaScript, for the rows keyed as strings; a
// test holds the two to the same results.
//
// A fast 64-bit hash, not a cryptographic one: the mixer compares the normalised text of two rows whose
// hashes match before it calls one a duplicate, so a collision costs a comparison, never a row.
// Eight 32-bit lanes (two SIMD vectors, for instruction-level parallelism) each take every eighth 32-bit
// little-endian word: lane = rotl(lane + word × K2, 13) × K1. What is left after the last 32-byte stripe
// is folded into the two halves word by word, then byte by byte, and each half is avalanched.

const K1: u32 = 0x9e3779b1;
const K2: u32 = 0x85ebca77;
const K3: u32 = 0xc2b2ae3d;
const K4: u32 = 0x27d4eb2f;
const K5: u32 = 0x165667b1;

@inline
function laneRound(lanes: v128, words: v128): v128 {
  const sum = i32x4.add(lanes, i32x4.mul(words, i32x4.splat(K2)));
  return i32x4.mul(v128.or(i32x4.shl(sum, 13), i32x4.shr_u(sum, 19)), i32x4.splat(K1));
}

/** Hashes the `length` bytes at `start`; writes the two 32-bit halves at `out` and `out + 4`. */
export function hashKey(start: usize, length: u32, out: usize): void {
  const end = start + <usize>length;
  let p = start;
  let low = i32x4(<i32>(K1 + K2), <i32>K2, 0, <i32>(0 - K1));
  let high = i32x4(<i32>K3, <i32>K4, <i32>K5, <i32>(K1 ^ K3));
  while (p + 32 <= end) {
    low = laneRound(low, v128.load(p));
    high = laneRound(high, v128.load(p, 16));
    p += 32;
  }
  const l0 = <u32>i32x4.extract_lane(low, 0);
  const l1 = <u32>i32x4.extract_lane(low, 1);
  const l2 = <u32>i32x4.extract_lane(low, 2);
  const l3 = <u32>i32x4.extract_lane(low, 3);
  const l4 = <u32>i32x4.extract_lane(high, 0);
  const l5 = <u32>i32x4.extract_lane(high, 1);
  const l6 = <u32>i32x4.extract_lane(high, 2);
  const l7 = <u32>i32x4.extract_lane(high, 3);
  let a = rotl<u32>(l0, 1) + rotl<u32>(l1, 7) + rotl<u32>(l2, 12) + rotl<u32>(l3, 18) + rotl<u32>(l4, 3) + rotl<u32>(l5, 9) + rotl<u32>(l6, 14) + rotl<u32>(l7, 20) + length;
  let b = (l0 * K3) ^ rotl<u32>(l1 * K4, 5) ^ rotl<u32>(l2 * K5, 11) ^ rotl<u32>(l3 * K2, 17) ^ rotl<u32>(l4 * K3, 21) ^ rotl<u32>(l5 * K4, 25) ^ rotl<u32>(l6 * K5, 29) ^ rotl<u32>(l7 * K1, 31) ^ length;
  while (p + 4 <= end) {
    const word = load<u32>(p);
    a = rotl<u32>(a + word * K3, 17) * K4;
    b = rotl<u32>(b ^ (word * K1), 15) * K2;
    p += 4;
  }
  while (p < end) {
    const byte = <u32>load<u8>(p);
    a = rotl<u32>(a + byte * K5, 11) * K1;
    b = rotl<u32>(b ^ (byte * K4), 13) * K5;
    p += 1;
  }
  a ^= a >> 15;
  a *= K2;
  a ^= a >> 13;
  a *= K3;
  a ^= a >> 16;
  b ^= b >> 16;
  b *= K4;
  b ^= b >> 13;
  b *= K5;
  b ^= b >> 15;
  store<u32>(out, a);
  store<u32>(out, b, 4);
}
