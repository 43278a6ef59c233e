/**
 * @module judge/judge-agreement — how well two verdicts on the same responses agree: per dimension the
 * share of exact matches, of matches within one point, and the mean absolute difference; for quality the
 * mean absolute difference and Pearson's r. Items where either verdict is null are counted, not scored.
 */
import { JUDGE_DIMENSIONS, type Judgement } from "../schemas/judgement.js";

export interface DimensionAgreement {
  /** Share of items with the same score (0–1). */
  exact: number;
  /** Share of items within one point. */
  withinOne: number;
  meanAbsDiff: number;
}

export interface JudgeAgreement {
  /** Items where both verdicts have scores. */
  items: number;
  /** Items where at least one verdict is null. */
  unscored: number;
  dimensions: Record<string, DimensionAgreement>;
  quality: { meanAbsDiff: number; pearson: number | null } | null;
}

/** Agreement between paired verdicts `[first, second]`. */
export function judgeAgreement(pairs: Iterable<readonly [Judgement, Judgement]>): JudgeAgreement {
  const firstQ: number[] = [];
  const secondQ: number[] = [];
  const sums = new Map<string, { exact: number; withinOne: number; abs: number }>(JUDGE_DIMENSIONS.map((d) => [d, { exact: 0, withinOne: 0, abs: 0 }]));
  let unscored = 0;
  for (const [a, b] of pairs) {
    if (a.scores === null || b.scores === null || a.quality === null || b.quality === null) {
      unscored += 1;
      continue;
    }
    firstQ.push(a.quality);
    secondQ.push(b.quality);
    for (const d of JUDGE_DIMENSIONS) {
      const diff = Math.abs(a.scores[d] - b.scores[d]);
      const s = sums.get(d)!;
      if (diff === 0) s.exact += 1;
      if (diff <= 1) s.withinOne += 1;
      s.abs += diff;
    }
  }
  const items = firstQ.length;
  const dimensions: Record<string, DimensionAgreement> = {};
  for (const [d, s] of sums) {
    dimensions[d] =
      items === 0 ? { exact: 0, withinOne: 0, meanAbsDiff: 0 } : { exact: s.exact / items, withinOne: s.withinOne / items, meanAbsDiff: s.abs / items };
  }
  let quality: JudgeAgreement["quality"] = null;
  if (items > 0) {
    let abs = 0;
    for (let i = 0; i < items; i++) abs += Math.abs(firstQ[i]! - secondQ[i]!);
    quality = { meanAbsDiff: abs / items, pearson: pearson(firstQ, secondQ) };
  }
  return { items, unscored, dimensions, quality };
}

function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  if (n < 2) return null;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
}
