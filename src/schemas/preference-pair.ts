/** @module schemas/preference-pair — a DPO pair in TRL's conversational, explicit-prompt layout. */
import { z } from "zod";
import { messageSchema } from "./message.js";

export const signalPairSchema = z.object({
  chosen: z.number().nullable(),
  rejected: z.number().nullable(),
});

export const preferencePairSchema = z.object({
  id: z.string().min(1),
  prompt: z.array(messageSchema).min(1),
  chosen: z.array(messageSchema).min(1),
  rejected: z.array(messageSchema).min(1),
  score_chosen: z.number().nullable(),
  score_rejected: z.number().nullable(),
  /** Each signal (judge quality, length score, reward, ...) for both sides, normalised 0–100. */
  signals: z.record(z.string(), signalPairSchema).optional(),
  /** Why this pair was made (policy, rule, margin). */
  reason: z.string().optional(),
  source: z.string().optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});
export type PreferencePair = z.infer<typeof preferencePairSchema>;
