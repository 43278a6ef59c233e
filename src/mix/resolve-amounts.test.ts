import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { resolveAmounts, type AmountInput } from "./resolve-amounts.js";

const counts = (indices: Uint32Array): Map<number, number> => {
  const m = new Map<number, number>();
  for (const i of indices) m.set(i, (m.get(i) ?? 0) + 1);
  return m;
};
const input = (amount: AmountInput["amount"], rows: number, extra: Partial<AmountInput> = {}): AmountInput => ({
  amount,
  rows,
  field: "sources.0.amount",
  ...extra,
});

describe("resolveAmounts", () => {
  it("count below the source size: distinct random rows, not the head", () => {
    const [r] = resolveAmounts({ inputs: [input({ count: 30 }, 100)], seed: 1 });
    expect(r!.indices.length).toBe(30);
    expect(new Set(r!.indices).size).toBe(30);
    expect(Array.from(r!.indices)).not.toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(r!.copies).toBe(0);
    expect(r!.upsampleFactor).toBeCloseTo(0.3);
  });

  it("fraction 2.5 = two whole copies plus a random half", () => {
    const [r] = resolveAmounts({ inputs: [input({ fraction: 2.5 }, 40)], seed: 9 });
    expect(r!.indices.length).toBe(100);
    expect(r!.copies).toBe(2);
    expect(r!.upsampleFactor).toBe(2.5);
    const c = counts(r!.indices);
    expect(c.size).toBe(40); // every row at least twice
    expect([...c.values()].filter((n) => n === 3).length).toBe(20); // a random half three times
    expect([...c.values()].every((n) => n === 2 || n === 3)).toBe(true);
    const [again] = resolveAmounts({ inputs: [input({ fraction: 2.5 }, 40)], seed: 9 });
    expect(Array.from(again!.indices)).toEqual(Array.from(r!.indices));
    const [other] = resolveAmounts({ inputs: [input({ fraction: 2.5 }, 40)], seed: 10 });
    expect(Array.from(other!.indices)).not.toEqual(Array.from(r!.indices));
  });

  it("count above the source size upsamples the same way", () => {
    const [r] = resolveAmounts({ inputs: [input({ count: 25 }, 10)], seed: 2 });
    expect(r!.copies).toBe(2);
    expect(r!.indices.length).toBe(25);
  });

  it("word budgets take whole rows until the budget is reached", () => {
    const words = Array.from({ length: 50 }, (_, i) => 100 + i);
    const [r] = resolveAmounts({ inputs: [input({ words: "1k" }, 50, { words })], seed: 4 });
    const total = Array.from(r!.indices).reduce((s, i) => s + words[i]!, 0);
    expect(total).toBeGreaterThanOrEqual(1000);
    expect(total).toBeLessThan(1000 + 150);
    expect(r!.requested).toBe(1000);
    // above the total: copies + remainder
    const all = words.reduce((a, b) => a + b, 0);
    const [up] = resolveAmounts({ inputs: [input({ tokens: all * 2 + 500 }, 50, { tokens: words })], seed: 4 });
    expect(up!.copies).toBe(2);
    const upTotal = Array.from(up!.indices).reduce((s, i) => s + words[i]!, 0);
    expect(upTotal).toBeGreaterThanOrEqual(all * 2 + 500);
  });

  it("share of the final mixture combines with fixed amounts: N = F / (1 − Σshare)", () => {
    const results = resolveAmounts({
      inputs: [input({ count: 60 }, 100), input({ share: 0.25 }, 100, { field: "sources.1.amount" })],
      seed: 5,
    });
    expect(results[0]!.indices.length).toBe(60);
    expect(results[1]!.indices.length).toBe(20); // 20 / 80 = 0.25
  });

  it("only shares: normalised, the largest mixture no source must upsample for", () => {
    const results = resolveAmounts({ inputs: [input({ share: 0.5 }, 30), input({ share: 0.5 }, 100, { field: "sources.1.amount" })], seed: 5 });
    expect(results.map((r) => r.indices.length)).toEqual([30, 30]);
  });

  it("a share that cannot be met is a clear error naming the field, unless allowUpsample", () => {
    const inputs = [input({ count: 100 }, 100), input({ share: 0.5 }, 40, { field: "sources.1.amount" })];
    let error: unknown;
    try {
      resolveAmounts({ inputs, seed: 1, file: "r.yaml" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^r\.yaml: field sources\.1\.amount\.share: share 0\.5 .* needs 100 rows, but the source has 40/);
    const ok = resolveAmounts({
      inputs: [inputs[0]!, input({ share: 0.5, allowUpsample: true }, 40, { field: "sources.1.amount" })],
      seed: 1,
    });
    expect(ok[1]!.indices.length).toBe(100);
    expect(ok[1]!.copies).toBe(2);
    expect(() => resolveAmounts({ inputs: [inputs[0]!, input({ share: 1 }, 40, { field: "sources.1.amount" })], seed: 1 })).toThrow(/shares add up to 1/);
  });

  it("no amount takes every row once; changing one source leaves another's sample alone", () => {
    const a = resolveAmounts({ inputs: [input(undefined, 7), input({ count: 5 }, 50, { field: "sources.1.amount" })], seed: 3 });
    expect(Array.from(a[0]!.indices)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const b = resolveAmounts({ inputs: [input({ count: 3 }, 7), input({ count: 5 }, 50, { field: "sources.1.amount" })], seed: 3 });
    expect(Array.from(b[1]!.indices)).toEqual(Array.from(a[1]!.indices));
  });
});
