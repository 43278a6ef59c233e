import { describe, expect, it } from "vitest";
import { auditPairs, auditRow, cohensD, summarizeWithSd } from "./audit-pairs.js";

describe("auditPairs", () => {
  it("counts which side is longer and summarises margins", () => {
    const audit = auditPairs([
      { chosenLength: 300, rejectedLength: 100, margin: 10 },
      { chosenLength: 200, rejectedLength: 100, margin: 20 },
      { chosenLength: 100, rejectedLength: 200, margin: 30 },
      { chosenLength: 150, rejectedLength: 150, margin: null },
    ]);
    expect(audit).toMatchObject({ pairs: 4, chosenLonger: 2, rejectedLonger: 1, sameLength: 1, shareChosenLonger: 0.5 });
    expect(audit.margin).toMatchObject({ count: 3, min: 10, median: 20, max: 30, mean: 20 });
    expect(audit.lengthDifference).toMatchObject({ min: -100, max: 200, median: 50 });
  });

  it("Cohen's d uses the pooled SD (checked by hand)", () => {
    // a: mean 3, var 2.5; b: mean 2, var 2.5 → pooled sd √2.5, d = 1/1.5811 = 0.6325
    expect(cohensD([1, 2, 3, 4, 5], [0, 1, 2, 3, 4])).toBeCloseTo(1 / Math.sqrt(2.5), 10);
    expect(cohensD([1], [2])).toBeNull();
    expect(cohensD([3, 3], [3, 3])).toBeNull();
  });

  it("reads a strong bias when chosen is almost always longer", () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ chosenLength: 1000 + i * 10, rejectedLength: 500 + i * 10, margin: 5 }));
    const audit = auditPairs(rows);
    expect(audit.shareChosenLonger).toBe(1);
    expect(audit.lengthCohensD!).toBeGreaterThan(0.8);
    expect(audit.verdict).toMatch(/100% .*strong length bias towards longer chosen/);
    expect(auditPairs([]).verdict).toBe("no pairs");
  });

  it("auditRow counts words of the last turn when meta has no lengths", () => {
    const row = auditRow({
      id: "x",
      prompt: [{ role: "user", content: "q" }],
      chosen: [{ role: "assistant", content: "one two three" }],
      rejected: [{ role: "assistant", content: "中文 four" }],
      score_chosen: 2,
      score_rejected: null,
    });
    expect(row).toEqual({ chosenLength: 3, rejectedLength: 3, margin: null });
  });

  it("summarizeWithSd interpolates quantiles like numpy and adds the sample SD", () => {
    const s = summarizeWithSd([1, 2, 3, 4])!;
    expect(s).toMatchObject({ p25: 1.75, median: 2.5, p75: 3.25, mean: 2.5 });
    expect(s.p10).toBeCloseTo(1.3, 10);
    expect(s.sd).toBeCloseTo(Math.sqrt(5 / 3), 10);
    expect(summarizeWithSd([])).toBeNull();
  });
});
