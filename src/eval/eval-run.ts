/**
 * @module eval/eval-run — the record of one evaluation run as written to `scores.json`: settings,
 * where the prompts came from, per-item scores, the aggregate summary and (for the ruler) the per-length
 * table. `longwriter report` reads runs back through `evalRunSchema`.
 */
import { z } from "zod";
import type { BenchSource, BenchmarkName } from "./load-bench.js";
import type { RulerSummary } from "./score/ruler-summary.js";
import type { BenchmarkSummary, ScoredItem } from "./score/aggregate.js";

export const EVAL_RUN_FORMAT = "longwriter-eval/1";

/** An item that could not be generated or judged (the run is then incomplete). */
export interface EvalFailure {
  id: string;
  stage: "generate" | "judge";
  /** Short failure code (LlmCallError kind, or "error"). */
  kind: string;
  message: string;
}

/** The judge's settings as recorded in scores.json. */
export interface JudgeSetup {
  /** "upstream": LongBench-Write's reply rules (tries, costs); "tolerant": ours. */
  parse: "upstream" | "tolerant";
  /** Tries per item (upstream) or calls per item (tolerant). */
  maxTries: number;
  temperature: number;
  maxTokens: number;
  template: {
    sha256: string;
    /** "upstream" (judge.txt at the pinned commit), "file" (--judge-template) or "builtin" (ours). */
    origin: "upstream" | "file" | "builtin";
    /** Whether the text is byte-identical to upstream's judge.txt. */
    matchesUpstream: boolean;
    /** URL, path or "builtin:judge.md". */
    source: string;
    placeholders: "upstream" | "toolkit";
  };
}

/** LLM calls, tokens and cost of one client in a run (what `LlmClient.totals()` reports, fields of older runs optional). */
export interface CallUsage {
  calls: number;
  replayed: number;
  failed: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  /** Prompt tokens served from the provider's prefix cache (absent in older runs). */
  cachedTokens?: number;
  /** Calls answered through the Batch API (absent in older runs). */
  batchCalls?: number;
}
export interface EvalRun {
  format: typeof EVAL_RUN_FORMAT;
  benchmark: BenchmarkName;
  /** Name shown in reports (defaults to the model name or the predictions file name). */
  label: string;
  createdAt: string;
  tool: { name: string; version: string };
  /** The evaluated model (null when scoring a predictions file that does not say). */
  model: string | null;
  judgeModel: string | null;
  settings: {
    source: "generated" | "predictions";
    predictionsFile?: string;
    temperature: number | null;
    maxTokens: number | null;
    lang: string;
    judge: boolean;
    /** How the judge ran (absent without a judge call, e.g. scores imported from judge.jsonl rows). */
    judgeSetup?: JudgeSetup;
  };
  bench: BenchSource;
  /** False when any item failed (failures lists them); scores then cover the other items only. */
  complete: boolean;
  failures: EvalFailure[];
  /** Responses that stopped at max_tokens (finish_reason "length"); scored as they are. */
  truncated?: number;
  /** LLM usage of this invocation (replayed calls are free). */
  usage?: Record<string, CallUsage>;
  summary: BenchmarkSummary;
  ruler?: RulerSummary;
  items: ScoredItem[];
}

const groupScoresSchema = z.looseObject({
  n: z.number(),
  lengthScore: z.number().nullable(),
  qualityScore: z.number().nullable(),
  overall: z.number().nullable(),
  judged: z.number(),
  unparseable: z.number(),
  judgeFailed: z.number().optional(),
  dimensions: z.record(z.string(), z.number()).nullable(),
  meanRequired: z.number().nullable(),
  meanOutput: z.number().nullable(),
});

const scoredItemSchema = z.looseObject({
  id: z.string(),
  prompt: z.string(),
  type: z.string(),
  language: z.string(),
  bucket: z.string(),
  requiredLength: z.number(),
  outputLength: z.number(),
  lengthScore: z.number(),
  judge: z.union([
    z.object({ status: z.literal("scored"), scores: z.record(z.string(), z.number().nullable()) }),
    z.object({ status: z.literal("unparseable"), reason: z.string() }),
    z.object({ status: z.literal("failed"), reason: z.string() }),
    z.object({ status: z.literal("skipped") }),
  ]),
});

const rulerRowSchema = z.looseObject({
  requiredLength: z.number(),
  n: z.number(),
  meanOutput: z.number(),
  medianOutput: z.number(),
  minOutput: z.number(),
  maxOutput: z.number(),
  meanLengthScore: z.number(),
  minLengthScore: z.number(),
  meets: z.boolean(),
  meetsEvery: z.boolean(),
});

const rulerTableSchema = z.looseObject({
  rows: z.array(rulerRowSchema),
  maxRequiredLengthMet: z.number().nullable(),
  maxRequiredLengthMetByEvery: z.number().nullable(),
  maxContiguousLengthMet: z.number().nullable(),
  maxOutputLength: z.number(),
});

/** The LongWrite-Ruler reading as written to scores.json (every field the report reads is checked). */
const rulerSummarySchema = rulerTableSchema.extend({ threshold: z.number(), byLanguage: z.record(z.string(), rulerTableSchema) });

/** Validates a `scores.json` read back from disk (lenient about extra fields). */
export const evalRunSchema = z
  .looseObject({
    format: z.literal(EVAL_RUN_FORMAT),
    benchmark: z.enum(["longbench-write", "ruler"]),
    label: z.string(),
    createdAt: z.string(),
    model: z.string().nullable(),
    judgeModel: z.string().nullable(),
    settings: z.looseObject({ source: z.enum(["generated", "predictions"]), lang: z.string(), judge: z.boolean() }),
    complete: z.boolean(),
    failures: z.array(z.looseObject({ id: z.string(), stage: z.string(), kind: z.string(), message: z.string() })),
    summary: z.looseObject({
      overall: groupScoresSchema,
      byBucket: z.record(z.string(), groupScoresSchema),
      byLanguage: z.record(z.string(), groupScoresSchema),
      byType: z.record(z.string(), groupScoresSchema),
    }),
    ruler: rulerSummarySchema.optional(),
    items: z.array(scoredItemSchema),
  })
  .refine((run) => run.benchmark !== "ruler" || run.ruler !== undefined, {
    error: "a ruler run needs its ruler table",
    path: ["ruler"],
  });
