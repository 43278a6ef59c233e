import { describe, expect, it } from "vitest";
import type { ScoredItem } from "./aggregate.js";
import { summarizeRuler } from "./ruler-summary.js";

function item(requiredLength: number, outputLength: number, lengthScore: number, language = "en"): ScoredItem {
  return {
    id: `${requiredLength}-${outputLength}-${language}`,
    prompt: "p",
    type: "t",
    language,
    bucket: "",
    requiredLength,
    outputLength,
    lengthScore,
    judge: { status: "skipped" },
  };
}

describe("summarizeRuler", () => {
  it("tables output vs required per L and finds the largest L met (mean, every prompt, contiguous)", () => {
    const s = summarizeRuler([
      item(1000, 1000, 100),
      item(1000, 900, 94, "zh"),
      item(2000, 2100, 98),
      item(2000, 1000, 70, "zh"), // mean 84 ≥ 80 but not every prompt
      item(5000, 2000, 25),
      item(5000, 2000, 25, "zh"),
      item(10000, 9000, 94),
      item(10000, 9500, 97, "zh"), // met again after a miss at 5000
      item(20000, 3000, 0),
      item(20000, 0, 0, "zh"),
    ]);
    expect(s.rows.map((r) => r.requiredLength)).toEqual([1000, 2000, 5000, 10000, 20000]);
    expect(s.rows[1]).toMatchObject({
      n: 2,
      meanOutput: 1550,
      medianOutput: 1550,
      minOutput: 1000,
      maxOutput: 2100,
      meanLengthScore: 84,
      minLengthScore: 70,
      meets: true,
      meetsEvery: false,
    });
    expect(s.maxRequiredLengthMet).toBe(10000);
    expect(s.maxRequiredLengthMetByEvery).toBe(10000);
    expect(s.maxContiguousLengthMet).toBe(2000);
    expect(s.maxOutputLength).toBe(9500);
    expect(s.byLanguage.zh!.rows[1]!.meets).toBe(false);
    expect(s.byLanguage.zh!.maxContiguousLengthMet).toBe(1000);
  });

  it("reports null when no L is met", () => {
    const s = summarizeRuler([item(1000, 100, 0)]);
    expect(s).toMatchObject({ maxRequiredLengthMet: null, maxRequiredLengthMetByEvery: null, maxContiguousLengthMet: null });
  });
});
