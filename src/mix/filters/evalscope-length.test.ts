import { describe, expect, it } from "vitest";
import { evalscopeRequiredLength } from "./evalscope-length.js";

describe("evalscopeRequiredLength", () => {
  it.each([
    ["写一篇2000字的文章", 2000],
    ["写一篇五千字的小说", 5000],
    ["请写两万字的报告", 20000],
    ["Write a story of 3000 words.", 3000],
    ["Write a 3,000-word story.", null], // the rule only knows "<digits> words"
    ["写一篇数千字的文章", null], // 数 is not a numeral
    ["Write about cats.", null],
    ["Write about 2,000 words on cats.", null], // "000 words" is a zero, not a length
    ["写一篇800字的文章，再写一篇800字的总结", 800],
    ["写一篇800字的文章和一篇1200字的总结", "ambiguous"],
  ])("%s → %s", (prompt, expected) => {
    expect(evalscopeRequiredLength(prompt)).toBe(expected);
  });
});
