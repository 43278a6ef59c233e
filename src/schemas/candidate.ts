/** @module schemas/candidate — one sampled response to a prompt, with its length adherence and judgement. */
import { z } from "zod";
import { judgementSchema } from "./judgement.js";

export const candidateSchema = z.object({
  promptId: z.string().min(1),
  prompt: z.string(),
  response: z.string(),
  model: z.string().min(1),
  /** 0-based index of this sample among the k drawn for the prompt. */
  sample: z.number().int().nonnegative(),
  /** countWords(response), LongBench-Write's length. */
  lengthWords: z.number().int().nonnegative(),
  requiredLength: z.number().int().positive().nullable(),
  /** S_l in 0–100 against requiredLength; null when no length is required. */
  lengthScore: z.number().min(0).max(100).nullable(),
  judgement: judgementSchema.optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});
export type Candidate = z.infer<typeof candidateSchema>;
