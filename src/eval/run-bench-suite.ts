/**
 * @module eval/run-bench-suite — the steps every benchmark run shares: load its prompts (pinned download
 * or a local copy), generate or read predictions, judge, score, and write the run folder when asked.
 */
import { loadUpstreamJudgeTemplate } from "../judge/judge-template.js";
import { loadBench, type LanguageFilter, type LoadBenchOptions } from "./load-bench.js";
import { runBenchmark, type BenchmarkRunOutput, type RunBenchmarkOptions } from "./run-benchmark.js";
import { writeRunDir } from "./write-run-dir.js";
import { withOutputLock } from "../io/output-lock.js";

export interface RunBenchSuiteOptions
  extends Omit<RunBenchmarkOptions, "benchmark" | "items" | "bench" | "lang">,
    Omit<LoadBenchOptions, "benchmark" | "lang"> {
  /** Output language subset. @default "all" */
  lang?: LanguageFilter | undefined;
  /** Run folder to write (predictions, judgements, scores.json, scores.md, report.html). */
  outDir?: string | undefined;
}

export type BenchSuiteOutput = BenchmarkRunOutput & { files?: Record<string, string> };

/** Runs `benchmark` with `options`: load, run, and write the run folder when `outDir` is set. */
export async function runBenchSuite(benchmark: RunBenchmarkOptions["benchmark"], options: RunBenchSuiteOptions): Promise<BenchSuiteOutput> {
  // One run per run folder: a second process on the same folder would pay for every call again.
  if (options.outDir) {
    const outDir = options.outDir;
    return withOutputLock(outDir, () => benchSuiteUnlocked(benchmark, options));
  }
  return benchSuiteUnlocked(benchmark, options);
}

async function benchSuiteUnlocked(benchmark: RunBenchmarkOptions["benchmark"], options: RunBenchSuiteOptions): Promise<BenchSuiteOutput> {
  const lang = options.lang ?? "all";
  const { items, source } = await loadBench({ ...options, benchmark, lang });
  // The upstream judge rules default to upstream's judge.txt (resolved, like the prompts, before any call).
  let judge = options.judge;
  if (judge && (judge.parse ?? "upstream") === "upstream" && !judge.template) {
    judge = { ...judge, template: await loadUpstreamJudgeTemplate(options) };
  }
  const output = await runBenchmark({ ...options, judge, benchmark, items, bench: source, lang });
  if (!options.outDir) return output;
  return { ...output, files: await writeRunDir(options.outDir, output) };
}
