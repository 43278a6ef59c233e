/**
 * @module eval/run-ruler — LongWrite-Ruler: 48 prompts (4 topics × 2 languages × L ∈ {1000, 2000, 5000,
 * 10000, 20000, 30000}); output length against required length per prompt and per L, and the largest
 * L the model still meets (mean S_l ≥ 80 over the prompts at L; see score/ruler-summary).
 */
import { loadBench, type LanguageFilter, type LoadBenchOptions } from "./load-bench.js";
import { runBenchmark, type BenchmarkRunOutput, type RunBenchmarkOptions } from "./run-benchmark.js";
import { writeRunDir } from "./write-run-dir.js";

export interface RunRulerOptions
  extends Omit<RunBenchmarkOptions, "benchmark" | "items" | "bench" | "lang">,
    Omit<LoadBenchOptions, "benchmark" | "lang"> {
  /** @default "all" */
  lang?: LanguageFilter;
  outDir?: string;
}

/**
 * Runs LongWrite-Ruler (no judge unless one is passed).
 *
 * @example const { run } = await runRuler({ generator: { client } }); run.ruler?.maxRequiredLengthMet
 */
export async function runRuler(options: RunRulerOptions): Promise<BenchmarkRunOutput & { files?: Record<string, string> }> {
  const lang = options.lang ?? "all";
  const { items, source } = await loadBench({ ...options, benchmark: "ruler", lang });
  const output = await runBenchmark({ ...options, benchmark: "ruler", items, bench: source, lang });
  if (!options.outDir) return output;
  return { ...output, files: await writeRunDir(options.outDir, output) };
}
