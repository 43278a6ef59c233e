import { describe, expect, it } from "vitest";
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
  ])("%j → %i", (text, expected) => {
    expect(countWords(text)).toBe(expected);
  });
});
