import { describe, expect, it } from "vitest";
import { createRandom } from "../util/seeded-random.js";
import { countWords } from "./count-words.js";

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
  });

  it("agrees with the definition written as a Unicode regex on 20,000 seeded random strings (surrogates, marks, digits, _, CJK)", () => {
    // The definition, independently: Chinese characters, plus ASCII-letter runs with no Unicode word
    // character on either side (what Python's \b[a-zA-Z]+\b matches). Lookbehind/lookahead see whole code points.
    const reference = (text: string): number =>
      (text.match(/[\u4e00-\u9fff]/g)?.length ?? 0) + (text.match(/(?<![\p{L}\p{N}_])[a-zA-Z]+(?![\p{L}\p{N}_])/gu)?.length ?? 0);
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
      if (countWords(text) !== reference(text)) {
        disagreements += 1;
        if (examples.length < 5) examples.push(JSON.stringify(text));
      }
    }
    expect(examples).toEqual([]);
    expect(disagreements).toBe(0);
  });
});
