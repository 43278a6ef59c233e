/**
 * @module schemas/registry — every schema published as JSON Schema in `schemas/` (for editors and other
 * languages). `npm run schemas` writes them; a test fails when the files are stale. Add new ones here.
 */
import type { z } from "zod";
import { candidateSchema } from "./candidate.js";
import { instructionSchema } from "./instruction.js";
import { judgementSchema } from "./judgement.js";
import { messageSchema } from "./message.js";
import { mixRecipeSchema } from "./mix-recipe.js";
import { pairPolicySchema } from "./pair-policy.js";
import { planSchema } from "./plan.js";
import { preferencePairSchema } from "./preference-pair.js";
import { sftRecordSchema } from "./sft-record.js";

export const publishedSchemas: Record<string, z.ZodType> = {
  message: messageSchema,
  "sft-record": sftRecordSchema,
  instruction: instructionSchema,
  plan: planSchema,
  candidate: candidateSchema,
  judgement: judgementSchema,
  "preference-pair": preferencePairSchema,
  "pair-policy": pairPolicySchema,
  "mix-recipe": mixRecipeSchema,
};
