/**
 * @module eval/predictions — prediction rows: what `eval` writes to `predictions.jsonl` and what
 * `--predictions` reads. The shape is upstream's `pred.jsonl` (`prompt`, `type`, `length`, `response`,
 * `response_length`) plus our `id`, `language` and `model`; rows of upstream's `judge.jsonl` also carry
 * `scores`, which are then used as the judgement instead of calling a judge.
 */
import { z } from "zod";
import { readJsonl } from "../io/jsonl.js";
import { judgeScoresSchema, type JudgeScores } from "../schemas/judgement.js";
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
  /** Judge scores carried by the row (upstream judge.jsonl), when all six are valid. */
  scores?: JudgeScores;
  /** 1-based line in the predictions file. */
  line: number;
}

export interface LoadPredictionsResult {
  predictions: Prediction[];
  /** Rows whose prompt is not in the bench set (scored with the row's own type and a script-based language). */
  unmatched: number;
  /** Bench items with no prediction. */
  missing: BenchItem[];
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
  for await (const { line, record } of readJsonl(file, { schema: predictionRowSchema })) {
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
    const parsedScores = record.scores === undefined ? undefined : judgeScoresSchema.safeParse(record.scores);
    predictions.push({
      item,
      response: record.response,
      line,
      ...(record.model ? { model: record.model } : {}),
      ...(parsedScores?.success ? { scores: parsedScores.data } : {}),
    });
  }
  const missing = items.filter((item) => !used.has(item.id));
  return { predictions, unmatched, missing };
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
