import { describe, expect, it } from "vitest";
import { createRandom } from "../util/seeded-random.js";
import { createExactDedup, messagesKey, normaliseForKey } from "./exact-dedup.js";
import { createMinHashDedup, estimateJaccard, minhashSignature } from "./minhash-dedup.js";

const conv = (user: string, assistant: string) => [
  { role: "user" as const, content: user },
  { role: "assistant" as const, content: assistant },
];

describe("exact dedup", () => {
  it("normalises text as /\\s+/g → one space, trim, lower case does (5,000 random strings of every kind of whitespace)", () => {
    const rng = createRandom({ seed: 5, label: "normalise-for-key" });
    const pieces = [" ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u2028", "\u3000", "\ufeff", "\u200b", "a", "B", "中", "İ", "ß", "x y", "\ud83d\ude00"];
    for (let n = 0; n < 5000; n++) {
      let text = "";
      for (let i = rng.nextUint32() % 12; i > 0; i--) text += pieces[rng.nextUint32() % pieces.length]!;
      expect(normaliseForKey(text), JSON.stringify(text)).toBe(text.replace(/\s+/g, " ").trim().toLowerCase());
    }
  });

  it("treats whitespace and case differences as the same row, roles and content changes as different", () => {
    expect(messagesKey(conv("Hello  World", "Hi\n there"))).toBe(messagesKey(conv(" hello world ", "HI THERE")));
    expect(messagesKey(conv("hello world", "hi there"))).not.toBe(messagesKey(conv("hello world", "hi there!")));
    expect(messagesKey([{ role: "user", content: "a" }])).not.toBe(messagesKey([{ role: "assistant", content: "a" }]));
    const dedup = createExactDedup();
    expect(dedup.seen(conv("a b", "c"))).toBe(false);
    expect(dedup.seen(conv("A  B", "c"))).toBe(true);
    expect(dedup.size).toBe(1);
  });
});

const words = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => `w${(i * 7919 + offset) % 5003}`).join(" ");

describe("MinHash near dedup", () => {
  it("estimates Jaccard similarity", () => {
    const base = words(400);
    const near = `${base} extra tail words here`;
    expect(estimateJaccard(minhashSignature(base), minhashSignature(near))).toBeGreaterThan(0.85);
    expect(estimateJaccard(minhashSignature(base), minhashSignature(words(400, 1)))).toBeLessThan(0.1);
  });

  it("flags a lightly edited copy and keeps unrelated texts", () => {
    const dedup = createMinHashDedup({ threshold: 0.8 });
    const base = words(500);
    expect(dedup.check(base)).toBeNull();
    expect(dedup.check(words(500, 17))).toBeNull();
    const edited = base.replace("w0 ", "changed ").concat(" one more");
    expect(dedup.check(edited)).toMatchObject({ index: 0 });
    expect(dedup.size).toBe(2);
    expect(() => createMinHashDedup({ permutations: 100, bands: 16 })).toThrow(/divisible/);
  });

  it("handles Chinese text character by character", () => {
    const zh = "长篇写作需要清晰的结构和连贯的段落，每一部分都应服务于整体的论点。".repeat(8);
    const dedup = createMinHashDedup();
    expect(dedup.check(zh)).toBeNull();
    expect(dedup.check(`${zh}补充一句。`)).not.toBeNull();
  });
});
