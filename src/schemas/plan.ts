/** @module schemas/plan — an AgentWrite plan: numbered sections, each with a main point and a word budget. */
import { z } from "zod";

export const planStepSchema = z.object({
  index: z.number().int().positive(),
  mainPoint: z.string().min(1),
  /** Word budget of this section; null when the planner gave none. */
  words: z.number().int().positive().nullable(),
});
export type PlanStep = z.infer<typeof planStepSchema>;

export const planSchema = z.object({
  steps: z.array(planStepSchema).min(1),
  totalWords: z.number().int().nonnegative(),
});
export type Plan = z.infer<typeof planSchema>;
