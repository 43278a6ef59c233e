// AssemblyScript source of the toolkit's UTF-8 word counter (src/text/count-words.ts loads it for
// `countWordsUtf8`). Build: `npm run build:wasm` (scripts/build-wasm.mjs, with SIMD) writes
// src/text/count-words-wasm.ts; a test compiles it again and checks that the embedded module is this file's.
//
// It counts what LongBench-Write counts: the characters in U+4E00–U+9FFF, plus the maximal runs of word
// characters (Python's Unicode \w) that hold ASCII letters only. Counted as: runs started, minus runs
// "tainted" by a word character that is not an ASCII letter, plus the CJK characters.
//
// Sixteen bytes of ASCII at a time: lane masks give the letters (L) and the other word characters, digits
// and "_" (O); X = L | O. Runs start where X has a bit the lane below lacks. A run holding an O bit is found
// by adding O to X: the carry runs from the O bit to the top of its run and sets the bit just above it,
// once per run. Across blocks two bits carry over: the last byte was a word character, and its run is
// tainted. Blocks with a byte ≥ 0x80 are taken a character at a time up to their last such byte.
//
// Memory: bytes [0, 64 KiB) are the class of each BMP code point (bit 0 ASCII letter, bit 1 word character,
// bit 2 counted CJK character, bit 7 known), as the caller filled it; a code point not known yet is asked of
// the caller once and remembered. The text goes anywhere above, valid UTF-8, with 16 bytes readable past its end.

const TABLE: usize = 0;
const LETTER: u32 = 1;
const WORD: u32 = 2;
const KNOWN: u32 = 0x80;

/** The class of a code point the table does not know (the caller runs Unicode's \w on it). */
@external("env", "classify")
declare function classify(codePoint: u32): u32;

/** The word count of the `length` bytes of UTF-8 at `start`. */
export function count(start: usize, length: u32): u32 {
  const end = start + <usize>length;
  let runs: u32 = 0;
  let tainted: u32 = 0;
  let cjk: u32 = 0;
  let previousWord: u32 = 0; // the last character was a word character
  let runTainted: u32 = 0; // and its run holds one that is not an ASCII letter
  const lowerA = i8x16.splat(0x61);
  const lowerZ = i8x16.splat(0x7a);
  const digit0 = i8x16.splat(0x30);
  const digit9 = i8x16.splat(0x39);
  const underscore = i8x16.splat(0x5f);
  const caseBit = i8x16.splat(0x20);
  let i = start;
  while (i < end) {
    let stop = end;
    if (i + 16 <= end) {
      const v = v128.load(i);
      const high = <u32>i8x16.bitmask(v);
      if (high == 0) {
        const lowered = v128.or(v, caseBit);
        const letters = <u32>i8x16.bitmask(v128.and(i8x16.ge_u(lowered, lowerA), i8x16.le_u(lowered, lowerZ)));
        const others = <u32>i8x16.bitmask(v128.or(v128.and(i8x16.ge_u(v, digit0), i8x16.le_u(v, digit9)), i8x16.eq(v, underscore)));
        const words = letters | others;
        let taints = others;
        runs += popcnt(words & ~((words << 1) | previousWord));
        if (previousWord != 0) {
          // The run from the block before goes on (its taint enters at bit 0) or ended with that block.
          if ((words & 1) != 0) taints |= runTainted;
          else tainted += runTainted;
        }
        const above = (words + taints) & ~words; // bit 16: the run reaching the block's top is tainted
        tainted += popcnt(above & 0xffff);
        runTainted = (above >> 16) & 1;
        previousWord = (words >> 15) & 1;
        i += 16;
        continue;
      }
      stop = i + <usize>(32 - clz(high)); // past the block's last byte ≥ 0x80
    }
    while (i < stop) {
      const lead = <u32>load<u8>(i);
      let cls: u32;
      if (lead < 0xf0) {
        let code = lead;
        if (lead < 0x80) i += 1;
        else if (lead < 0xe0) {
          code = ((lead & 0x1f) << 6) | (<u32>load<u8>(i + 1) & 0x3f);
          i += 2;
        } else {
          code = ((lead & 0x0f) << 12) | ((<u32>load<u8>(i + 1) & 0x3f) << 6) | (<u32>load<u8>(i + 2) & 0x3f);
          i += 3;
        }
        cls = load<u8>(TABLE + code);
        if (cls < KNOWN) {
          cls = classify(code);
          store<u8>(TABLE + code, <u8>cls);
        }
      } else {
        cls = classify(((lead & 0x07) << 18) | ((<u32>load<u8>(i + 1) & 0x3f) << 12) | ((<u32>load<u8>(i + 2) & 0x3f) << 6) | (<u32>load<u8>(i + 3) & 0x3f));
        i += 4;
      }
      if ((cls & WORD) != 0) {
        if (previousWord == 0) {
          runs += 1;
          runTainted = 0;
        }
        if ((cls & LETTER) == 0) runTainted = 1;
        previousWord = 1;
      } else {
        tainted += previousWord & runTainted;
        runTainted = 0;
        previousWord = 0;
      }
      cjk += (cls >> 2) & 1;
    }
  }
  tainted += previousWord & runTainted;
  return cjk + runs - tainted;
}
