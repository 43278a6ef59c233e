import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createRandom } from "../util/seeded-random.js";
import { recordId, stableHash, stableStringify } from "./record-id.js";

/** The first implementation, kept as the reference: ids and journal keys must never change. */
function referenceStringify(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(referenceStringify).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${referenceStringify(v)}`).join(",")}}`;
}

describe("stableStringify / recordId", () => {
  it("sorts keys at every level, drops undefined properties, keeps array order", () => {
    expect(stableStringify({ b: 1, a: [{ d: undefined, c: "x" }, undefined, null], é: true, Z: 0 })).toBe('{"Z":0,"a":[{"c":"x"},null,null],"b":1,"é":true}');
    expect(stableStringify(undefined)).toBe("null");
    expect(stableStringify({})).toBe("{}");
    expect(recordId({ messages: [{ role: "user", content: "hi" }] })).toBe(stableHash({ messages: [{ content: "hi", role: "user" }] }).slice(0, 16));
  });

  it("gives the reference implementation's string on 5,000 seeded random JSON values", () => {
    const rng = createRandom({ seed: 7, label: "stable-stringify" });
    const pick = <T>(items: readonly T[]): T => items[rng.nextUint32() % items.length]!;
    const keys = ["a", "b", "B", "_", "10", "2", "é", "中", "__proto__x", "content", "role", "", "a b", '"q"', "\ud800"];
    const value = (depth: number): unknown => {
      const kind = rng.nextUint32() % (depth > 3 ? 5 : 8);
      if (kind === 0) return null;
      if (kind === 1) return rng.nextFloat() < 0.5;
      if (kind === 2) return pick([0, -0, 1.5, -2e21, 1e-7, Number.NaN, Number.POSITIVE_INFINITY, 42]);
      if (kind === 3) return pick(["", "x", "中文", "line\nbreak", 'quo"te', "\ud83d\ude00", "\udc00", "\u2028"]);
      if (kind === 4) return undefined;
      if (kind === 5) return Array.from({ length: rng.nextUint32() % 4 }, () => value(depth + 1));
      const object: Record<string, unknown> = {};
      for (let i = rng.nextUint32() % 5; i > 0; i--) object[pick(keys)] = value(depth + 1);
      return object;
    };
    for (let n = 0; n < 5000; n++) {
      const v = value(0);
      expect(stableStringify(v)).toBe(referenceStringify(v));
    }
  });

  it("hashes piece by piece to the digest of the whole string (2,000 random records, long and multi-byte text)", () => {
    const rng = createRandom({ seed: 11, label: "stable-hash" });
    const pieces = ["a", "中文", "\ud83d\ude00", "\udc00", "\ud800", " ", "\n", '"', "é", "\u2028"];
    const text = (): string => {
      const length = [0, 1, 30, 2047, 2048, 5000, 9000][rng.nextUint32() % 7]!;
      let out = "";
      while (out.length < length) out += pieces[rng.nextUint32() % pieces.length]!;
      return out;
    };
    for (let n = 0; n < 2000; n++) {
      const messages = Array.from({ length: 1 + (rng.nextUint32() % 5) }, (_, i) => ({
        role: i % 2 === 0 ? "user" : "assistant",
        content: text(),
        ...(rng.nextFloat() < 0.2 ? { tool_calls: [{ type: "function", function: { name: "f", arguments: text() } }] } : {}),
      }));
      const value = rng.nextFloat() < 0.3 ? { messages, tools: text() } : { messages };
      const whole = createHash("sha256").update(referenceStringify(value)).digest("hex");
      expect(stableHash(value)).toBe(whole);
      expect(recordId(value)).toBe(whole.slice(0, 16));
    }
  });
});
