/** @module schemas/instruction — a writing instruction, with the length it asks for when it states one. */
import { z } from "zod";

export const instructionSchema = z.object({
  id: z.string().min(1),
  prompt: z.string().min(1),
  /** Required output length in words (English) or characters (Chinese); null when the prompt states none. */
  requiredLength: z.number().int().positive().nullable(),
  /** Language of the prompt: "en", "zh", or another BCP-47-ish code. */
  language: z.string().min(1),
  source: z.string().optional(),
  /** Why selection kept it (rule or classifier verdict). */
  reason: z.string().optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});
export type Instruction = z.infer<typeof instructionSchema>;
