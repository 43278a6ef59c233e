/**
 * Deterministic sample eval runs for report tests and the report screenshot: the real LongBench-Write
 * prompts (../shared/data) with synthetic output lengths and judge scores from a seeded PRNG, and a
 * LongWrite-Ruler run whose outputs plateau around a chosen length.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { EvalRun } from "../../src/eval/eval-run.js";
import { EVAL_RUN_FORMAT } from "../../src/eval/eval-run.js";
import { lengthBucket } from "../../src/eval/length-bucket.js";
import { aggregateScores, type ScoredItem } from "../../src/eval/score/aggregate.js";
import { summarizeRuler } from "../../src/eval/score/ruler-summary.js";
import { lengthScore } from "../../src/text/length-score.js";
import { seededRandom } from "./openai-server.js";

const DATA = fileURLToPath(new URL("../../../shared/data/longbench-write/", import.meta.url));

interface Row {
  prompt: string;
  type: string;
  length: number;
}
const readRows = (name: string): Row[] =>
  readFileSync(`${DATA}${name}`, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Row);

export interface SampleRunOptions {
  label: string;
  seed: number;
  /** Outputs stop growing around this many words (a model's practical ceiling). */
  plateau: number;
  /** Mean judge score, 1–5. */
  quality: number;
  benchmark?: "longbench-write" | "ruler";
  /** Items whose judgement "never parsed". @default 0 */
  unparseableEvery?: number;
}

/** A complete EvalRun built like the runner builds it, with synthetic outputs. */
export function sampleEvalRun({ label, seed, plateau, quality, benchmark = "longbench-write", unparseableEvery = 0 }: SampleRunOptions): EvalRun {
  const random = seededRandom(seed);
  const rows = readRows(benchmark === "ruler" ? "longwrite_ruler.jsonl" : "longbench_write.jsonl");
  const english = new Set(readRows("longbench_write_en.jsonl").map((r) => r.prompt));
  const items: ScoredItem[] = rows.map((row, i) => {
    const target = Math.min(row.length, plateau * (0.8 + random() * 0.4));
    const outputLength = Math.max(0, Math.round(target * (0.6 + random() * 0.8)));
    const q = () => Math.max(1, Math.min(5, Math.round(quality + (random() - 0.5) * 2)));
    const judge: ScoredItem["judge"] =
      benchmark === "ruler"
        ? { status: "skipped" }
        : unparseableEvery > 0 && i % unparseableEvery === 0
          ? { status: "unparseable", reason: "no JSON object with scores in the reply" }
          : { status: "scored", scores: { Relevance: q(), Accuracy: q(), Coherence: q(), Clarity: q(), "Breadth and Depth": q(), "Reading Experience": q() } };
    return {
      id: `item-${i}`,
      prompt: row.prompt,
      type: row.type,
      language: benchmark === "ruler" ? (/[\u4e00-\u9fff]/.test(row.prompt) ? "zh" : "en") : english.has(row.prompt) ? "en" : "zh",
      bucket: lengthBucket(row.length),
      requiredLength: row.length,
      outputLength,
      lengthScore: lengthScore(row.length, outputLength),
      judge,
    };
  });
  return {
    format: EVAL_RUN_FORMAT,
    benchmark,
    label,
    createdAt: "2026-11-29T12:00:00.000Z",
    tool: { name: "longwriter-toolkit", version: "0.0.0-test" },
    model: label,
    judgeModel: benchmark === "ruler" ? null : "judge-model",
    settings: { source: "generated", temperature: 0.5, maxTokens: null, lang: "all", judge: benchmark !== "ruler" },
    bench: {
      file: "longbench_write.jsonl",
      sha256: "1f6e99497cc24d65894d65e014062f398ba946ebdd254b7f8b339e48d3ab5779",
      matchesUpstream: true,
      languageFrom: "en-file",
    },
    complete: true,
    failures: [],
    summary: aggregateScores(items),
    ...(benchmark === "ruler" ? { ruler: summarizeRuler(items) } : {}),
    items,
  };
}
