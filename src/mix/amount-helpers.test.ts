import { describe, expect, it } from "vitest";
import { parseQuantity } from "./parse-quantity.js";
import { createRandom, randomPermutation, sampleIndices } from "../util/seeded-random.js";

describe("createRandom", () => {
  it("is reproducible per (seed, label) and differs across seeds and labels", () => {
    const draw = (seed: number, label: string) => Array.from({ length: 8 }, createRandom({ seed, label }).nextUint32);
    expect(draw(7, "a")).toEqual(draw(7, "a"));
    expect(draw(7, "a")).not.toEqual(draw(8, "a"));
    expect(draw(7, "a")).not.toEqual(draw(7, "b"));
  });

  it("gives floats in [0,1) and ints in range, roughly uniform", () => {
    const rng = createRandom({ seed: 1 });
    const buckets = new Array(10).fill(0);
    let min = 1;
    let max = 0;
    for (let i = 0; i < 20_000; i++) {
      const f = rng.nextFloat();
      min = Math.min(min, f);
      max = Math.max(max, f);
      buckets[rng.nextInt(10)]++;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    for (const b of buckets) expect(b).toBeGreaterThan(1800);
  });

  it("permutes and samples without replacement", () => {
    const perm = Array.from(randomPermutation(100, createRandom({ seed: 3 })));
    expect([...perm].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(perm).not.toEqual([...perm].sort((a, b) => a - b));
    const sample = sampleIndices(1000, 50, createRandom({ seed: 3 }));
    expect(new Set(sample).size).toBe(50);
    expect(Array.from(sample)).toEqual([...sample].sort((a, b) => a - b));
    expect(Math.max(...sample)).toBeGreaterThan(500); // not the head
    expect(() => sampleIndices(3, 4, createRandom({ seed: 0 }))).toThrow(/cannot draw/);
  });
});

describe("parseQuantity", () => {
  it.each([
    ["60M", 60_000_000],
    ["1.5k", 1500],
    ["2B", 2e9],
    ["80m", 80_000_000],
    ["1_000", 1000],
    ["250", 250],
    [12, 12],
    ["1.1k", 1100],
  ])("%j → %d", (text, value) => expect(parseQuantity(text)).toBe(value));
  it.each(["", "M", "1.5x", "ten", "-3"])("rejects %j", (text) => expect(parseQuantity(text)).toBeUndefined());
});
