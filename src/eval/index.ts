/** @module eval — LongBench-Write and LongWrite-Ruler: bench files, runs, scoring, published numbers. */
export * from "./bench-files.js";
export * from "./bench-item.js";
export * from "./length-bucket.js";
export * from "./load-bench.js";
export * from "./predictions.js";
export * from "./eval-run.js";
export * from "./score/aggregate.js";
export * from "./score/ruler-summary.js";
export * from "./published-results.js";
export * from "./run-benchmark.js";
export * from "./run-longbench-write.js";
export * from "./run-ruler.js";
export * from "./write-run-dir.js";
export * from "./run-bench-suite.js";
export * from "./scores-markdown.js";
export * from "./report-html.js";
