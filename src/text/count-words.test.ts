import { describe, expect, it } from "vitest";
import { createRandom } from "../util/seeded-random.js";
import { countWords, countWordsUtf8, wasmWordCounterAvailable } from "./count-words.js";

/** No lone surrogate (with the `u` flag a pair is one code point, so \p{Cs} matches only a lone half). */
const isWellFormed = (text: string): boolean => !/\p{Cs}/u.test(text);

/**
 * The definition, independently: Chinese characters, plus ASCII-letter runs with no Unicode word character on
 * either side (what Python's \b[a-zA-Z]+\b matches). Lookbehind/lookahead see whole code points.
 */
const reference = (text: string): number =>
  (text.match(/[\u4e00-\u9fff]/g)?.length ?? 0) + (text.match(/(?<![\p{L}\p{N}_])[a-zA-Z]+(?![\p{L}\p{N}_])/gu)?.length ?? 0);

describe("countWords (LongBench-Write's length)", () => {
  it.each([
    ["", 0],
    ["hello world", 2],
    ["don't", 2],
    ["café", 0],
    ["naïve", 0],
    ["中文abc", 2],
    ["abc中文", 2],
    ["abc123", 0],
    ["under_score", 0],
    ["hello, 世界!", 3],
    ["ｆｕｌｌ width", 1],
    ["日本語のテキスト", 3],
    ["한국어 text", 1],
    ["𠀀 astral", 1],
    ["e\u0301t\u00e9 plain", 2],
    ["abc\ud800", 1], // a lone surrogate is not a word character
    ["\udc00abc\ud800def", 2],
    ["abc😀", 1], // an emoji (a surrogate pair) is not \w
    ["abc𝐀", 0], // U+1D400 MATHEMATICAL BOLD CAPITAL A is a letter (\w): no boundary
    ["word", 1], // a run that ends the text
  ])("%j → %i", (text, expected) => {
    expect(countWords(text)).toBe(expected);
    // On UTF-8 bytes too, where the text has some (a lone surrogate has no UTF-8 form).
    if (isWellFormed(text)) expect(countWordsUtf8(Buffer.from(text, "utf8"))).toBe(expected);
  });

  it("agrees with the definition written as a Unicode regex on 20,000 seeded random strings (surrogates, marks, digits, _, CJK)", () => {
    const rng = createRandom({ seed: 13, label: "count-words-fuzz" });
    const pools = [
      "abcxyzABCXYZ",
      " \t\n\u3000",
      "0123456789",
      "_",
      "中文字\u4e00\u9fff\u4dff\ua000",
      "éßİ\u0301\u0308\u20dd",
      "\ud83d\ude00\ud840\udc00\ud835\udc00", // surrogate pairs (drawn by code unit: halves become lone surrogates)
      "½²Ⅻ١０",
      "'’-.,",
      "한テｆ",
    ];
    let disagreements = 0;
    let wellFormed = 0;
    const examples: string[] = [];
    for (let n = 0; n < 20_000; n++) {
      let text = "";
      const length = rng.nextUint32() % 24;
      for (let j = 0; j < length; j++) {
        if (rng.nextFloat() < 0.1)
          text += String.fromCharCode(rng.nextUint32() % 0x10000); // any code unit
        else {
          const pool = pools[rng.nextUint32() % pools.length]!;
          text += pool[rng.nextUint32() % pool.length];
        }
      }
      const expected = reference(text);
      let bytesDisagree = false;
      if (isWellFormed(text)) {
        wellFormed += 1;
        // A slice from the middle of a larger buffer, as the mixer counts a turn in place.
        const bytes = Buffer.from(`xx ${text} yy`, "utf8");
        bytesDisagree = countWordsUtf8(bytes, 3, bytes.length - 3) !== expected;
      }
      if (countWords(text) !== expected || bytesDisagree) {
        disagreements += 1;
        if (examples.length < 5) examples.push(JSON.stringify(text));
      }
    }
    expect(examples).toEqual([]);
    expect(disagreements).toBe(0);
    expect(wellFormed).toBeGreaterThan(5_000);
  });
  it("counts long mostly-ASCII UTF-8 four bytes at a time as it counts them one by one, at every alignment", () => {
    // Text long enough for the word scan, where the rare characters (digits, "_", non-ASCII, CJK, 4-byte
    // letters and emoji) fall on every position of a 32-bit word, start runs, end runs and sit inside them.
    const rng = createRandom({ seed: 29, label: "count-words-utf8-scan" });
    const common = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ       .,;:'\"!?()-\n\t@[]^`{}~\u007f";
    const rare = ["0", "7", "_", "é", "ß", "中", "文", "\u3000", "—", "𝐀", "😀", "\u0010", "ｆ", "٣"];
    let checked = 0;
    for (let n = 0; n < 3_000; n++) {
      let text = "";
      const length = 32 + (rng.nextUint32() % 300);
      const rareShare = [0, 0.01, 0.05, 0.3][n % 4]!;
      while (text.length < length) {
        text += rng.nextFloat() < rareShare ? rare[rng.nextUint32() % rare.length]! : common[rng.nextUint32() % common.length]!;
      }
      const expected = countWords(text);
      const encoded = Buffer.from(text, "utf8");
      // The text at byte offsets 0–7 of a larger plain Uint8Array, and as a Buffer of its own.
      for (let offset = 0; offset < 8; offset++) {
        const bytes = new Uint8Array(offset + encoded.length + 5);
        bytes.set(encoded, offset);
        bytes.fill(0x61, 0, offset); // letters right before and after: the count must not see them
        bytes.fill(0x61, offset + encoded.length);
        expect(countWordsUtf8(bytes, offset, offset + encoded.length), `${JSON.stringify(text)} at offset ${offset}`).toBe(expected);
        checked += 1;
      }
      expect(countWordsUtf8(encoded)).toBe(expected);
    }
    expect(checked).toBe(24_000);
    // Whole words of each kind, the path a long English text mostly takes.
    expect(countWordsUtf8(Buffer.from("The quick brown fox jumps over the lazy dog. ".repeat(100)))).toBe(900);
    expect(countWordsUtf8(Buffer.from("abcd".repeat(100)))).toBe(1);
    expect(countWordsUtf8(Buffer.from("abc1".repeat(100)))).toBe(0);
    expect(countWordsUtf8(Buffer.from("ab, ".repeat(100)))).toBe(100);
  });

  it("counts 16 bytes and more with the wasm counter (SIMD), as the definition does, at every block position", () => {
    expect(wasmWordCounterAvailable()).toBe(true);
    const rng = createRandom({ seed: 31, label: "count-words-wasm" });
    // Letters and separators, and rare characters that start, end and taint runs across the 16-byte blocks:
    // digits, "_", Latin letters beyond ASCII, CJK inside and outside the counted range, Unicode spaces,
    // letters and emoji beyond the BMP, and code points seen for the first time (Armenian, Thai, Devanagari
    // letters; "※" and "‽", which are not word characters).
    const common = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ      .,;'\n";
    const rare = ["0", "9", "_", "é", "ß", "中", "\u9fff", "\u4dff", "\ua000", "\u3000", "—", "𝐀", "😀", "𠀀", "ա", "ก", "क", "١", "ｆ", "※", "‽"];
    let checked = 0;
    for (let n = 0; n < 2_000; n++) {
      const length = 64 + (rng.nextUint32() % 700);
      const rareShare = [0, 0.02, 0.1, 0.5][n % 4]!;
      let text = "";
      while (text.length < length) text += rng.nextFloat() < rareShare ? rare[rng.nextUint32() % rare.length]! : common[rng.nextUint32() % common.length]!;
      const expected = reference(text);
      const encoded = Buffer.from(text, "utf8");
      expect(countWordsUtf8(encoded), JSON.stringify(text)).toBe(expected);
      // Inside a larger buffer, with letters on both sides that must not be counted.
      const padded = Buffer.concat([Buffer.from("xyz"), encoded, Buffer.from("abc")]);
      expect(countWordsUtf8(padded, 3, padded.length - 3), JSON.stringify(text)).toBe(expected);
      checked += 1;
    }
    expect(checked).toBe(2_000);
    // Runs that end exactly at a block's end, cross it, and are tainted on either side of it.
    for (const [text, expected] of [
      [`${"a".repeat(16)} ${"b".repeat(47)}`, 2],
      [`${"a".repeat(15)}1${"b".repeat(48)}`, 0],
      [`${"a".repeat(16)}1 ${"b".repeat(46)}`, 1],
      [`${"a".repeat(31)}_${" ".repeat(32)}`, 0],
      [`${"a".repeat(16)}${" ".repeat(16)}${"c".repeat(16)}7${" ".repeat(15)}`, 1],
      [`${"中".repeat(30)}abc`, 30], // 中 is a word character: no boundary before "abc"
      [`${"中".repeat(30)} abc`, 31],
    ] as const) {
      expect(countWordsUtf8(Buffer.from(text)), text).toBe(expected);
      expect(countWords(text), text).toBe(expected);
    }
  });
});
