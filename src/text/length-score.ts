/**
 * @module text/length-score — S_l, LongBench-Write's length-adherence score (paper Eq. 1), in 0–100.
 * Going over the required length is penalised less than falling short: 0 at 4× over or ⅓ under.
 */
import { OptionError } from "../errors.js";

/**
 * Scores output length `actual` against `required` (both in countWords units).
 * `actual = 0` scores 0 (the original divides by zero there).
 *
 * @example lengthScore(1000, 2000) // 66.67 (twice as long)
 */
export function lengthScore(required: number, actual: number): number {
  if (!(required > 0)) throw new OptionError(`lengthScore: required length must be > 0, got ${required}`, { field: "required" });
  if (!(actual >= 0)) throw new OptionError(`lengthScore: actual length must be >= 0, got ${actual}`, { field: "actual" });
  if (actual === 0) return 0;
  if (actual > required) return 100 * Math.max(0, 1 - (actual / required - 1) / 3);
  return 100 * Math.max(0, 1 - (required / actual - 1) / 2);
}
