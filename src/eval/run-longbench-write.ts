/**
 * @module eval/run-longbench-write — LongBench-Write end to end: load the 120 prompts (pinned download or
 * a local copy), generate or read predictions, judge, score, and write the run folder.
 */
import { runBenchSuite, type BenchSuiteOutput, type RunBenchSuiteOptions } from "./run-bench-suite.js";

export type RunLongBenchWriteOptions = RunBenchSuiteOptions;

/**
 * Runs LongBench-Write. S_l per item and its mean; S_q from the judge (when given); S = (S_l + S_q) / 2;
 * broken down by length bucket, output language and type.
 *
 * @example
 * const { run } = await runLongBenchWrite({ generator: { client }, judge: { client: judgeClient, model: "gpt-4o-2024-05-13" }, outDir: "runs/a" });
 * console.log(run.summary.overall);
 */
export async function runLongBenchWrite(options: RunLongBenchWriteOptions): Promise<BenchSuiteOutput> {
  return runBenchSuite("longbench-write", options);
}
