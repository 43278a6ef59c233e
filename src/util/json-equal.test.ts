import { describe, expect, it } from "vitest";
import { jsonEqual } from "./json-equal.js";

describe("jsonEqual", () => {
  it("compares chat turns as JSON data", () => {
    const turn = (content: string, extra: Record<string, unknown> = {}) => ({ role: "assistant", content, ...extra });
    expect(jsonEqual([turn("same")], [turn("same")])).toBe(true);
    expect(jsonEqual([turn("same")], [turn("Same")])).toBe(false);
    expect(jsonEqual([turn("a")], [turn("a"), turn("b")])).toBe(false);
    expect(jsonEqual([turn("a")], [{ content: "a", role: "assistant" }])).toBe(true); // key order does not matter
    expect(jsonEqual([turn("a", { name: undefined })], [turn("a")])).toBe(true); // undefined is absent, as in JSON
    expect(jsonEqual([turn("a", { name: null })], [turn("a")])).toBe(false);
    expect(jsonEqual([turn("a", { tool_calls: [{ id: "1" }] })], [turn("a", { tool_calls: [{ id: "2" }] })])).toBe(false);
    expect(jsonEqual([turn("a", { tool_calls: [{ id: "1" }] })], [turn("a", { tool_calls: [{ id: "1" }] })])).toBe(true);
  });

  it("agrees with comparing JSON.stringify output on values whose keys come in the same order", () => {
    const values: unknown[] = [
      null,
      0,
      1,
      -1.5,
      "",
      "x",
      "写",
      true,
      false,
      [],
      {},
      [1, 2],
      [2, 1],
      { a: 1 },
      { a: 1, b: [null] },
      { a: 1, b: [0] },
      [{ a: "x" }],
      [[1], [2]],
    ];
    for (const a of values)
      for (const b of values) expect(jsonEqual(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(JSON.stringify(a) === JSON.stringify(b));
  });
});
