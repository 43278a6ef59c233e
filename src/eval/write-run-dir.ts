/**
 * @module eval/write-run-dir — writes a run's folder: predictions.jsonl, judgements.jsonl (when judged),
 * scores.json, scores.md and report.html, each atomically. The LLM journals live beside them.
 */
import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic-file.js";
import { writeJsonl } from "../io/jsonl.js";
import { renderReportHtml } from "./report-html.js";
import { renderScoresMarkdown } from "./scores-markdown.js";
import type { BenchmarkRunOutput } from "./run-benchmark.js";

/** File names inside a run folder. */
export const RUN_FILES = {
  predictions: "predictions.jsonl",
  judgements: "judgements.jsonl",
  scores: "scores.json",
  markdown: "scores.md",
  report: "report.html",
  generateJournal: "generate.journal.jsonl",
  judgeJournal: "judge.journal.jsonl",
} as const;

/** Writes the run's files into `outDir`; returns their paths. */
export async function writeRunDir(outDir: string, output: BenchmarkRunOutput): Promise<Record<string, string>> {
  const paths: Record<string, string> = {};
  paths.predictions = join(outDir, RUN_FILES.predictions);
  await writeJsonl(paths.predictions, output.predictions);
  if (output.judgements.length > 0) {
    paths.judgements = join(outDir, RUN_FILES.judgements);
    await writeJsonl(paths.judgements, output.judgements);
  }
  paths.scores = join(outDir, RUN_FILES.scores);
  await writeFileAtomic(paths.scores, `${JSON.stringify(output.run, null, 2)}\n`);
  paths.markdown = join(outDir, RUN_FILES.markdown);
  await writeFileAtomic(paths.markdown, renderScoresMarkdown({ runs: [output.run] }));
  paths.report = join(outDir, RUN_FILES.report);
  await writeFileAtomic(
    paths.report,
    renderReportHtml({ runs: [output.run], title: `${output.run.benchmark === "ruler" ? "LongWrite-Ruler" : "LongBench-Write"}: ${output.run.label}` }),
  );
  return paths;
}
