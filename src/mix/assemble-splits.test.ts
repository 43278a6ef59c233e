import { describe, expect, it } from "vitest";
import { assembleSplits, carveTestSplit } from "./assemble-splits.js";

describe("carveTestSplit", () => {
  it("takes k distinct rows and removes all their copies from train", () => {
    const { test, train } = carveTestSplit(Uint32Array.from([3, 3, 1, 2, 1, 4, 2, 5]), 2);
    expect([...test]).toEqual([3, 1]);
    expect([...train]).toEqual([2, 4, 2, 5]);
  });
  it("k = 0 leaves everything in train", () => {
    const { test, train } = carveTestSplit(Uint32Array.from([1, 2]), 0);
    expect([...test]).toEqual([]);
    expect([...train]).toEqual([1, 2]);
  });
});

describe("assembleSplits", () => {
  const sources = [
    { tag: "a", start: 0, indices: Uint32Array.from([0, 1, 0, 1]) }, // upsampled ×2
    { tag: "b", start: 10, indices: Uint32Array.from([0, 1, 2, 3]) },
  ];
  it("puts named test sources in test and shuffles reproducibly", () => {
    const one = assembleSplits({ sources, seed: 1, testSources: ["b"], file: "r.yaml" });
    const again = assembleSplits({ sources, seed: 1, testSources: ["b"], file: "r.yaml" });
    expect(one).toEqual(again);
    expect([...one.splits[1]!.indices].sort()).toEqual([10, 11, 12, 13]);
    expect(one.testSplit).toBeNull();
  });
  it("carves a test split with no row in both splits and records the removed copies", () => {
    const { splits, testSplit } = assembleSplits({ sources, seed: 5, test: 3, file: "r.yaml" });
    const [train, test] = [new Set(splits[0]!.indices), splits[1]!.indices];
    expect(test).toHaveLength(3);
    for (const row of test) expect(train.has(row)).toBe(false);
    expect(testSplit!.rows + testSplit!.copiesRemovedFromTrain + splits[0]!.indices.length).toBe(8);
  });
  it("refuses a test split that leaves no training rows", () => {
    expect(() => assembleSplits({ sources, seed: 1, test: 8, file: "r.yaml" })).toThrow(/r\.yaml: field splits\.test: .*leaves no training rows/);
    expect(() => assembleSplits({ sources: [sources[0]!], seed: 1, test: 2, file: "r.yaml" })).toThrow(/upsampled copies/);
  });
});
