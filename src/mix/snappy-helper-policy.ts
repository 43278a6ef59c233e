/**
 * @module mix/snappy-helper-policy — when the mixer starts a SNAPPY helper thread (io/snappy-helper) before its
 * first pass: when that pass reads on this thread (the input is below the reader threads' threshold, so the
 * other cores idle) and the input is big enough that the output's row group, encoded on this thread, has many
 * pages to share. The helper then warms up during the first pass, on a core that has nothing else to do.
 *
 * Measured on the 1/10 bench mix (51 MB of JSONL, one 45 MB row group, 2 cores): see docs/benchmarks.md.
 */
import type { MixRecipe } from "../schemas/mix-recipe.js";

/** Input below which the helper is not started: a few pages, not worth a thread. */
export const SNAPPY_HELPER_MIN_INPUT_BYTES = 16 << 20;

/** Whether a mix writing with `compression`, on `threads` threads, whose first pass reads `inputBytes` here, starts the helper. */
export function wantsSnappyHelper(compression: NonNullable<MixRecipe["output"]>["compression"], threads: number, inputBytes: number): boolean {
  return (compression ?? "snappy") === "snappy" && threads >= 2 && inputBytes >= SNAPPY_HELPER_MIN_INPUT_BYTES;
}
