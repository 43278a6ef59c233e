/**
 * @module eval/run-ruler — LongWrite-Ruler: 48 prompts (4 topics × 2 languages × L ∈ {1000, 2000, 5000,
 * 10000, 20000, 30000}); output length against required length per prompt and per L, and the largest
 * L the model still meets (mean S_l ≥ 80 over the prompts at L; see score/ruler-summary).
 */
import { runBenchSuite, type BenchSuiteOutput, type RunBenchSuiteOptions } from "./run-bench-suite.js";

export type RunRulerOptions = RunBenchSuiteOptions;

/**
 * Runs LongWrite-Ruler (no judge unless one is passed).
 *
 * @example const { run } = await runRuler({ generator: { client } }); run.ruler?.maxRequiredLengthMet
 */
export async function runRuler(options: RunRulerOptions): Promise<BenchSuiteOutput> {
  return runBenchSuite("ruler", options);
}
