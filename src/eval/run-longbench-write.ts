/**
 * @module eval/run-longbench-write — LongBench-Write end to end: load the 120 prompts (pinned download or
 * a local copy), generate or read predictions, judge, score, and write the run folder.
 */
import type { LanguageFilter } from "./load-bench.js";
import { loadBench, type LoadBenchOptions } from "./load-bench.js";
import { runBenchmark, type BenchmarkRunOutput, type RunBenchmarkOptions } from "./run-benchmark.js";
import { writeRunDir } from "./write-run-dir.js";

export interface RunLongBenchWriteOptions
  extends Omit<RunBenchmarkOptions, "benchmark" | "items" | "bench" | "lang">,
    Omit<LoadBenchOptions, "benchmark" | "lang"> {
  /** Output language subset. @default "all" */
  lang?: LanguageFilter;
  /** Run folder to write (predictions, judgements, scores.json, scores.md, report.html). */
  outDir?: string;
}

/**
 * Runs LongBench-Write. S_l per item and its mean; S_q from the judge (when given); S = (S_l + S_q) / 2;
 * broken down by length bucket, output language and type.
 *
 * @example
 * const { run } = await runLongBenchWrite({ generator: { client }, judge: { client: judgeClient, model: "gpt-4o-2024-05-13" }, outDir: "runs/a" });
 * console.log(run.summary.overall);
 */
export async function runLongBenchWrite(options: RunLongBenchWriteOptions): Promise<BenchmarkRunOutput & { files?: Record<string, string> }> {
  const lang = options.lang ?? "all";
  const { items, source } = await loadBench({ ...options, benchmark: "longbench-write", lang });
  const output = await runBenchmark({ ...options, benchmark: "longbench-write", items, bench: source, lang });
  if (!options.outDir) return output;
  return { ...output, files: await writeRunDir(options.outDir, output) };
}
