/** @module schemas/sft-record — a supervised fine-tuning example (what LongWriter-6k rows are). */
import { z } from "zod";
import { messageSchema } from "./message.js";

export const sftRecordSchema = z.object({
  /** Stable id; a content hash when the input has none (see `recordId`). */
  id: z.string().min(1),
  messages: z.array(messageSchema).min(1),
  /**
   * The functions the conversation may call: JSON text of a list of OpenAI-style tools
   * (`[{"type": "function", "function": {"name", "description", "parameters"}}]`), as TRL's SFTTrainer
   * reads a `tools` column (it parses a string column before `apply_chat_template(tools=...)`).
   * Stored as text because every row's JSON schemas differ, which no single Parquet schema holds.
   */
  tools: z.string().optional(),
  /** Tag of the source the row came from (a recipe's `source`, a file name, a Hub repo). */
  source: z.string().optional(),
  /** Free-form metadata (AgentWrite plan, word counts, model, cost, ...). */
  meta: z.record(z.string(), z.unknown()).optional(),
});
export type SftRecord = z.infer<typeof sftRecordSchema>;
