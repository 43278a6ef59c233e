import { describe, expect, it } from "vitest";
import type { SftRecord } from "../../schemas/sft-record.js";
import { buildRowFilter, chainFilters } from "./build-row-filter.js";
import type { TextTools } from "./text-tools.js";

const row = (prompt: string, answer: string, extra: SftRecord["messages"] = []): SftRecord => ({
  id: "r",
  messages: [...extra, { role: "user", content: prompt }, { role: "assistant", content: answer }],
});
const words = (n: number) => Array.from({ length: n }, () => "word").join(" ");

describe("buildRowFilter", () => {
  it("enables nothing for an empty spec", () => {
    expect(buildRowFilter({ spec: undefined })).toBeUndefined();
    expect(buildRowFilter({ spec: {} })).toBeUndefined();
  });

  it("applies min/max words to the final assistant turn", () => {
    const filter = buildRowFilter({ spec: { minWords: 10, maxWords: 20 } })!;
    expect(filter(row("q", words(9)))).toBe("words<10");
    expect(filter(row("q", words(10)))).toBeNull();
    expect(filter(row("q", words(21)))).toBe("words>20");
    expect(filter({ id: "x", messages: [{ role: "user", content: "only a question" }] })).toBe("no-answer");
  });

  it("requires an explicit length and scores S_l against it", () => {
    const filter = buildRowFilter({ spec: { requireLength: true, minLengthScore: 80 } })!;
    expect(filter(row("Write a story.", words(500)))).toBe("no-required-length");
    expect(filter(row("Write a 100-word story.", words(100)))).toBeNull();
    expect(filter(row("Write a 100-word story.", words(60)))).toBe("length-score<80"); // S_l 66.7
    expect(filter(row("写一篇100字的短文", "字".repeat(95)))).toBeNull();
  });

  it("checks in a fixed order (roles, language, length) and reports the first failure", () => {
    const tools: TextTools = { requiredLength: () => "ambiguous", detectLanguage: (text) => (/[\u4e00-\u9fff]/.test(text) ? "zh" : "en") };
    const filter = buildRowFilter({ spec: { roles: { noSystem: true }, languages: ["zh"], requireLength: true }, tools })!;
    expect(filter(row("hello", "hi", [{ role: "system", content: "s" }]))).toBe("roles:system-turn");
    expect(filter(row("hello", "hi"))).toBe("language:en");
    expect(filter(row("你好", "hi"))).toBe("ambiguous-required-length");
  });

  it("chains the global filter before a source's own", () => {
    const global = buildRowFilter({ spec: { minWords: 5 } });
    const own = buildRowFilter({ spec: { maxWords: 3 } });
    const both = chainFilters([global, own])!;
    expect(both(row("q", words(2)))).toBe("words<5");
    expect(both(row("q", words(6)))).toBe("words>3");
    expect(chainFilters([undefined, undefined])).toBeUndefined();
  });
});
