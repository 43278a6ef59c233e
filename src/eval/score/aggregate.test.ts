import { describe, expect, it } from "vitest";
import type { JudgeScores } from "../../schemas/judgement.js";
import { aggregateScores, scoreGroup, type ScoredItem } from "./aggregate.js";

const scores = (r: number, a: number, c: number, cl: number, b: number, re: number): JudgeScores => ({
  Relevance: r,
  Accuracy: a,
  Coherence: c,
  Clarity: cl,
  "Breadth and Depth": b,
  "Reading Experience": re,
});

function item(partial: Partial<ScoredItem> & Pick<ScoredItem, "lengthScore">): ScoredItem {
  return {
    id: Math.random().toString(36),
    prompt: "p",
    type: "t",
    language: "en",
    bucket: "[0,500)",
    requiredLength: 100,
    outputLength: 100,
    judge: { status: "skipped" },
    ...partial,
  };
}

describe("scoreGroup", () => {
  it("S_l is the plain mean; S_q maps per-dimension means with (m − 1) × 25; S averages them", () => {
    const g = scoreGroup([
      item({ lengthScore: 100, judge: { status: "scored", scores: scores(5, 5, 5, 5, 5, 5) } }),
      item({ lengthScore: 50, judge: { status: "scored", scores: scores(1, 3, 3, 3, 3, 3) } }),
      item({ lengthScore: 0, judge: { status: "unparseable", reason: "no JSON" } }),
    ]);
    expect(g.lengthScore).toBe(50);
    expect(g.dimensions).toEqual({ Relevance: 50, Accuracy: 75, Coherence: 75, Clarity: 75, "Breadth and Depth": 75, "Reading Experience": 75 });
    expect(g.qualityScore).toBeCloseTo((50 + 75 * 5) / 6, 12);
    expect(g.overall).toBeCloseTo((50 + (50 + 75 * 5) / 6) / 2, 12);
    expect(g).toMatchObject({ n: 3, judged: 2, unparseable: 1 });
  });

  it("has no S_q or S without judged items", () => {
    const g = scoreGroup([item({ lengthScore: 80 }), item({ lengthScore: 60 })]);
    expect(g).toMatchObject({ lengthScore: 70, qualityScore: null, overall: null, dimensions: null, judged: 0, unparseable: 0 });
  });
});

describe("aggregateScores", () => {
  it("groups by bucket in bucket order, by language and by type", () => {
    const summary = aggregateScores([
      item({ lengthScore: 10, bucket: "[4k,20k]", language: "zh", type: "B" }),
      item({ lengthScore: 20, bucket: "[0,500)", type: "A" }),
      item({ lengthScore: 30, bucket: "[0,500)", type: "B" }),
    ]);
    expect(Object.keys(summary.byBucket)).toEqual(["[0,500)", "[4k,20k]"]);
    expect(summary.byBucket["[0,500)"]!.lengthScore).toBe(25);
    expect(Object.keys(summary.byLanguage)).toEqual(["en", "zh"]);
    expect(summary.byType.B!.n).toBe(2);
    expect(summary.overall.lengthScore).toBe(20);
  });
});
