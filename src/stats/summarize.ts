/** @module stats/summarize — a numeric distribution in a few numbers (count, mean, quantiles, extremes). */
import { quantile } from "../util/quantile.js";

export interface Summary {
  count: number;
  sum: number;
  mean: number;
  min: number;
  p10: number;
  p25: number;
  median: number;
  p75: number;
  p90: number;
  p99: number;
  max: number;
}

/**
 * Summarises `values` (need not be sorted; not modified). Quantiles interpolate linearly between order
 * statistics (`util/quantile`, numpy's default), so they are deterministic. Returns null for no values.
 */
export function summarize(values: readonly number[]): Summary | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const q = (p: number): number => quantile(sorted, p);
  return {
    count: sorted.length,
    sum,
    mean: sum / sorted.length,
    min: sorted[0]!,
    p10: q(0.1),
    p25: q(0.25),
    median: q(0.5),
    p75: q(0.75),
    p90: q(0.9),
    p99: q(0.99),
    max: sorted[sorted.length - 1]!,
  };
}

/** One bucket of a fixed-edge count table: `lower <= v < upper` (`upper` null = unbounded). */
export interface Bucket {
  lower: number;
  upper: number | null;
  count: number;
  share: number;
}

/** Counts `values` into buckets with the given ascending lower edges (the last bucket is open-ended). */
export function bucketize(values: readonly number[], edges: readonly number[]): Bucket[] {
  const counts = new Array<number>(edges.length).fill(0);
  for (const v of values) {
    let i = edges.length - 1;
    while (i > 0 && v < edges[i]!) i--;
    if (v >= edges[0]!) counts[i]! += 1;
  }
  return edges.map((lower, i) => ({
    lower,
    upper: edges[i + 1] ?? null,
    count: counts[i]!,
    share: values.length === 0 ? 0 : counts[i]! / values.length,
  }));
}
