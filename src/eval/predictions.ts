/**
 * @module eval/predictions — prediction rows: what `eval` writes to `predictions.jsonl` and what
 * `--predictions` reads. The shape is upstream's `pred.jsonl` (`prompt`, `type`, `length`, `response`,
 * `response_length`) plus our `id`, `language` and `model`; rows of upstream's `judge.jsonl` also carry
 * `scores`, which are then used as the judgement instead of calling a judge (read as upstream's
 * float() reads them), and end with a summary line (`total` and the six dimensions), which is skipped.
 * As upstream's `eval_length.py`, a row's `response_length` is the output length when present.
 */
import { z } from "zod";
import { formatLocation } from "../errors.js";
import { validateRecord } from "../io/input-issue.js";
import { readJsonl } from "../io/jsonl.js";
import { pythonFloat, type UpstreamScores } from "../judge/upstream-judge-reply.js";
import { JUDGE_DIMENSIONS } from "../schemas/judgement.js";
import { countWords } from "../text/count-words.js";
import { benchItemId, type BenchItem } from "./bench-item.js";
import { lengthBucket } from "./length-bucket.js";

export const predictionRowSchema = z.looseObject({
  id: z.string().optional(),
  prompt: z.string().min(1),
  type: z.string().optional(),
  length: z.number().int().positive(),
  response: z.string(),
  response_length: z.number().int().nonnegative().optional(),
  language: z.enum(["en", "zh"]).optional(),
  model: z.string().optional(),
  scores: z.unknown().optional(),
});
export type PredictionRow = z.infer<typeof predictionRowSchema>;

/** A prediction matched to its benchmark item. */
export interface Prediction {
  item: BenchItem;
  response: string;
  model?: string;
  /** Judge scores carried by the row (upstream judge.jsonl), as float() reads them; a dimension may be missing. */
  scores?: UpstreamScores;
  /** The row's `response_length` (used as the output length, as upstream does). */
  responseLength?: number;
  /** 1-based line in the predictions file. */
  line: number;
}

export interface LoadPredictionsResult {
  predictions: Prediction[];
  /** Rows whose prompt is not in the bench set (scored with the row's own type and a script-based language). */
  unmatched: number;
  /** Bench items with no prediction. */
  missing: BenchItem[];
  /** Summary lines of upstream's judge.jsonl that were skipped. */
  summaryLines: number;
  /** Rows whose `response_length` differs from countWords(response): how many, and the first (file:line). */
  lengthMismatches: { count: number; first?: string };
  /** Rows carrying `scores` that cannot be used (not an object, or a value float() cannot read). */
  unusableScores: { count: number; first?: string; reason?: string };
}

/** Whether a row is the summary line upstream's eval_quality.py appends to judge.jsonl. */
function isJudgeSummaryLine(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const row = value as Record<string, unknown>;
  return !("prompt" in row) && "total" in row && JUDGE_DIMENSIONS.every((d) => d in row);
}

/** Upstream judge.jsonl `scores` as float() reads them, or why they cannot be used. */
export function readUpstreamScores(value: unknown): { scores: UpstreamScores } | { reason: string } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { reason: "scores is not an object" };
  const scores: UpstreamScores = {};
  for (const dimension of JUDGE_DIMENSIONS) {
    if (!(dimension in value)) continue; // counted as 3 when aggregating, as upstream does
    const raw = (value as Record<string, unknown>)[dimension];
    const number = pythonFloat(raw);
    if (number === undefined) return { reason: `scores.${dimension} is ${JSON.stringify(raw)}, which float() cannot read` };
    scores[dimension] = number;
  }
  return { scores };
}

const CJK = /[\u4e00-\u9fff]/;

/**
 * Reads a predictions file and matches rows to bench items by prompt and required length. Rows for
 * prompts outside the bench set are kept as items of their own. Bad rows are InputErrors naming the line.
 */
export async function loadPredictions({ file, items }: { file: string; items: readonly BenchItem[] }): Promise<LoadPredictionsResult> {
  const byKey = new Map(items.map((item) => [`${item.requiredLength}\u0000${item.prompt}`, item]));
  const predictions: Prediction[] = [];
  const used = new Set<string>();
  let unmatched = 0;
  let summaryLines = 0;
  const lengthMismatches: LoadPredictionsResult["lengthMismatches"] = { count: 0 };
  const unusableScores: LoadPredictionsResult["unusableScores"] = { count: 0 };
  for await (const { line, record: value } of readJsonl(file)) {
    if (isJudgeSummaryLine(value)) {
      summaryLines += 1;
      continue;
    }
    const record = validateRecord(predictionRowSchema, value, file, line);
    let item = byKey.get(`${record.length}\u0000${record.prompt}`);
    if (!item) {
      unmatched += 1;
      const type = record.type ?? "";
      item = {
        id: record.id ?? benchItemId({ prompt: record.prompt, type, length: record.length }),
        index: items.length + unmatched - 1,
        prompt: record.prompt,
        type,
        requiredLength: record.length,
        language: record.language ?? (CJK.test(record.prompt) ? "zh" : "en"),
        bucket: lengthBucket(record.length),
      };
    }
    if (used.has(item.id)) continue; // a repeated row: the first one counts
    used.add(item.id);
    const scores = record.scores === undefined ? undefined : readUpstreamScores(record.scores);
    if (scores && "reason" in scores) {
      unusableScores.count += 1;
      if (unusableScores.first === undefined) {
        unusableScores.first = formatLocation({ file, line, field: "scores" });
        unusableScores.reason = scores.reason;
      }
    }
    if (record.response_length !== undefined && record.response_length !== countWords(record.response)) {
      lengthMismatches.count += 1;
      lengthMismatches.first ??= formatLocation({ file, line, field: "response_length" });
    }
    predictions.push({
      item,
      response: record.response,
      line,
      ...(record.model ? { model: record.model } : {}),
      ...(scores && "scores" in scores ? { scores: scores.scores } : {}),
      ...(record.response_length === undefined ? {} : { responseLength: record.response_length }),
    });
  }
  const missing = items.filter((item) => !used.has(item.id));
  return { predictions, unmatched, missing, summaryLines, lengthMismatches, unusableScores };
}

/** The predictions.jsonl row for a generated response (upstream field names, plus ours). */
export function predictionRow(item: BenchItem, response: string, responseLength: number, model: string | null): Record<string, unknown> {
  return {
    id: item.id,
    prompt: item.prompt,
    type: item.type,
    length: item.requiredLength,
    language: item.language,
    response,
    response_length: responseLength,
    ...(model ? { model } : {}),
  };
}
