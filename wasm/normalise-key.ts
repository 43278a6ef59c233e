// AssemblyScript source of the exact-dedup key's text normaliser (src/mix/exact-dedup.ts loads it for
// `byteTurnsKey`). Build: `npm run build:wasm` (scripts/build-wasm.mjs, with SIMD) writes
// src/mix/normalise-key-wasm.ts; a test compiles it again and checks that the embedded module is this file's.
//
// It writes what `normaliseForKey` makes of a text (whitespace runs as one space, trimmed, lower-cased), as
// UTF-8, from UTF-8. Sixteen bytes at a time where they are printable ASCII with single spaces (not at the
// start of the output, nor after a space): upper-case letters get their 0x20 bit, and the block is stored
// whole. A block that is not goes on the same way up to its first byte that is not, which is taken on its own
// (with the characters after it while they are not ASCII); then sixteen bytes from the next one.
//
// Memory: bytes [0, 64 KiB) are the kind of each BMP code point (0 not known yet, then UNCHANGED, LOWERED,
// WHITESPACE or GIVE_UP); [64 KiB, 320 KiB) for a LOWERED one its lower-case code point (u32). A code point not
// known yet is asked of the caller, which fills both. Text and output go anywhere above, the output with
// room for three bytes per text byte and 16 more.

import { storeUtf8 } from "./utf8";

export { hashKey } from "./key-hash";

const KINDS: usize = 0;
const LOWER: usize = 0x10000;
const UNCHANGED: u32 = 1;
const LOWERED: u32 = 2;
const WHITESPACE: u32 = 3;
/** Characters this normaliser leaves to the caller: Σ (its lower case depends on its neighbours), İ (it lowers to two). */
const GIVE_UP: u32 = 4;

/** The kind of a code point the table does not know (for a BMP one, the caller also fills the tables). */
@external("env", "classify")
declare function classify(codePoint: u32): u32;

/**
 * Normalises the `length` bytes of UTF-8 at `text` into `out`; returns where the output ends, or 0 for text
 * it cannot take (malformed UTF-8, a GIVE_UP character).
 */
export function normalise(text: usize, length: u32, out: usize): usize {
  const start = out;
  const end = text + <usize>length;
  let lastSpace = false;
  const space = i8x16.splat(0x20);
  const upperA = i8x16.splat(0x41);
  const upperZ = i8x16.splat(0x5a);
  let i = text;
  while (i < end) {
    // Plain ASCII goes sixteen bytes at a time: the block is lowered and stored whole, and the output moves on
    // by its bytes up to the first one that needs the character-at-a-time path (a byte ≥ 0x80 or a control
    // character, the second space of a run, a space where the output is empty or ends with one), if any.
    let stop = end;
    if (i + 16 <= end) {
      const v = v128.load(i);
      const spaces = <u32>i8x16.bitmask(i8x16.eq(v, space));
      let stopAt = <u32>i8x16.bitmask(v128.or(v, i8x16.lt_u(v, space))) | (spaces & (spaces << 1));
      if ((spaces & 1) != 0 && (lastSpace || out == start)) stopAt |= 1;
      const upper = v128.and(i8x16.ge_u(v, upperA), i8x16.le_u(v, upperZ));
      v128.store(out, v128.or(v, v128.and(upper, space)));
      if (stopAt == 0) {
        out += 16;
        i += 16;
        lastSpace = (spaces >> 15) != 0;
        continue;
      }
      const clean = <usize>ctz(stopAt);
      if (clean > 0) {
        out += clean;
        i += clean;
        lastSpace = ((spaces >> (<u32>clean - 1)) & 1) != 0;
      }
      // From here one character at a time, while the bytes are not plain ASCII (a run of Chinese stays here).
      stop = i + 1;
    }
    while (i < stop) {
      const b = <u32>load<u8>(i);
      if (b < 0x80) {
        i += 1;
        if (b == 0x20 || (b >= 0x09 && b <= 0x0d)) {
          if (out != start && !lastSpace) {
            store<u8>(out, 0x20);
            out += 1;
            lastSpace = true;
          }
          continue;
        }
        lastSpace = false;
        store<u8>(out, b >= 0x41 && b <= 0x5a ? b + 0x20 : b);
        out += 1;
        continue;
      }
      // CJK ideographs (U+4000–U+9FFF: lead bytes 0xE4–0xE9), most of a Chinese text's characters: always
      // kept as they are (no case, no whitespace, no surrogates or overlong forms under these lead bytes), so
      // a run of them is copied with its continuation bytes checked and no table looked up.
      if (b >= 0xe4 && b <= 0xe9 && i + 3 <= end) {
        const c1 = <u32>load<u8>(i + 1);
        const c2 = <u32>load<u8>(i + 2);
        if ((c1 & 0xc0) == 0x80 && (c2 & 0xc0) == 0x80) {
          store<u8>(out, <u8>b);
          store<u8>(out + 1, <u8>c1);
          store<u8>(out + 2, <u8>c2);
          out += 3;
          i += 3;
          lastSpace = false;
          if (i >= stop && i < end && load<u8>(i) >= 0x80) stop = i + 1;
          continue;
        }
      }
      // A multi-byte character: well-formed UTF-8 only.
      let size: usize;
      let codePoint: u32;
      if (b >= 0xc2 && b <= 0xdf) {
        size = 2;
        codePoint = b & 0x1f;
      } else if (b >= 0xe0 && b <= 0xef) {
        size = 3;
        codePoint = b & 0x0f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        size = 4;
        codePoint = b & 0x07;
      } else return 0;
      if (i + size > end) return 0;
      for (let k: usize = 1; k < size; k++) {
        const next = <u32>load<u8>(i + k);
        if ((next & 0xc0) != 0x80) return 0;
        codePoint = (codePoint << 6) | (next & 0x3f);
      }
      if ((size == 3 && (codePoint < 0x800 || (codePoint >= 0xd800 && codePoint <= 0xdfff))) || (size == 4 && (codePoint < 0x10000 || codePoint > 0x10ffff))) {
        return 0;
      }
      let kind: u32;
      if (codePoint < 0x10000) {
        kind = load<u8>(KINDS + codePoint);
        if (kind == 0) kind = classify(codePoint);
      } else kind = classify(codePoint);
      if (kind == WHITESPACE) {
        if (out != start && !lastSpace) {
          store<u8>(out, 0x20);
          out += 1;
          lastSpace = true;
        }
        i += size;
        if (i >= stop && i < end && load<u8>(i) >= 0x80) stop = i + 1;
        continue;
      }
      if (kind == GIVE_UP) return 0;
      lastSpace = false;
      if (kind == UNCHANGED) {
        for (let k: usize = 0; k < size; k++) store<u8>(out + k, load<u8>(i + k));
        out += size;
      } else {
        // LOWERED: the lower-case code point, a BMP one, as UTF-8.
        out = storeUtf8(out, load<u32>(LOWER + (<usize>codePoint << 2)));
      }
      i += size;
      if (i >= stop && i < end && load<u8>(i) >= 0x80) stop = i + 1;
    }
  }
  return lastSpace ? out - 1 : out;
}
