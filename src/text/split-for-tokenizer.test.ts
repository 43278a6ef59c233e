import { describe, expect, it } from "vitest";
import { splitForTokenizer } from "./split-for-tokenizer.js";

describe("splitForTokenizer", () => {
  it("returns short text whole", () => {
    expect([...splitForTokenizer("hello world")]).toEqual(["hello world"]);
    expect([...splitForTokenizer("")]).toEqual([""]);
  });

  it("keeps all text, in order, in pieces no longer than maxChars, cut before spaces and punctuation", () => {
    const text = "alpha beta, gamma's delta. ".repeat(200);
    const pieces = [...splitForTokenizer(text, { maxChars: 100 })];
    expect(pieces.join("")).toBe(text);
    expect(pieces.length).toBeGreaterThan(40);
    for (const piece of pieces.slice(1)) expect(piece).toMatch(/^[ ,.]/);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(100);
    expect(pieces.some((p) => p.startsWith("'"))).toBe(false); // never splits a contraction
  });

  it("hard-cuts long runs without boundaries but never inside a surrogate pair", () => {
    const text = "𠀀".repeat(3000); // 6000 UTF-16 units, no boundary anywhere
    const pieces = [...splitForTokenizer(text, { maxChars: 20_000, maxRunChars: 999 })];
    expect(pieces.join("")).toBe(text);
    expect(pieces.length).toBeGreaterThan(5);
    for (const piece of pieces) expect(piece.length % 2).toBe(0);
  });
});
