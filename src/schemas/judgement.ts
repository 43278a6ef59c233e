/** @module schemas/judgement — an LLM judge's verdict on one response, LongBench-Write's six dimensions. */
import { z } from "zod";

/** The six quality dimensions of LongBench-Write, in the benchmark's order, with the keys the judge emits. */
export const JUDGE_DIMENSIONS = ["Relevance", "Accuracy", "Coherence", "Clarity", "Breadth and Depth", "Reading Experience"] as const;
export type JudgeDimension = (typeof JUDGE_DIMENSIONS)[number];

const dimensionScore = z.number().int().min(1).max(5);

export const judgeScoresSchema = z.object({
  Relevance: dimensionScore,
  Accuracy: dimensionScore,
  Coherence: dimensionScore,
  Clarity: dimensionScore,
  "Breadth and Depth": dimensionScore,
  "Reading Experience": dimensionScore,
});
export type JudgeScores = z.infer<typeof judgeScoresSchema>;

export const judgementSchema = z.object({
  /** Scores 1–5 per dimension, or null when the judge's reply never parsed. */
  scores: judgeScoresSchema.nullable(),
  /** (mean of the six − 1) × 25, in 0–100; null when scores is null. */
  quality: z.number().min(0).max(100).nullable(),
  /** The judge's analysis text, when it gave one. */
  analysis: z.string().optional(),
  /** Why scores is null. */
  error: z.string().optional(),
  judgeModel: z.string().min(1),
  /** sha256 of the judge prompt template used. */
  promptHash: z.string().min(1),
});
export type Judgement = z.infer<typeof judgementSchema>;
