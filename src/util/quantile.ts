/**
 * @module util/quantile — the toolkit's one percentile: linear interpolation between order statistics
 * (numpy's and DuckDB `quantile_cont`'s default), so the median of an even count is the mean of the two
 * middle values (median of [100, 200, 300, 1000] is 250, not 300 as nearest rank gives).
 */

/**
 * The `p`-quantile (0–1) of ascending `sorted` values; NaN for none.
 *
 * @example quantile([100, 200, 300, 1000], 0.5) // 250
 */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * p;
  const lo = Math.floor(position);
  const hi = Math.ceil(position);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (position - lo);
}
