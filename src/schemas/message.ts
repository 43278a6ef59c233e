/**
 * @module schemas/message — one chat turn, canonical field order role, content (then the tool-call fields,
 * only when present). Tool calls follow the OpenAI / TRL / `datasets` layout: an assistant turn carries
 * `tool_calls: [{type: "function", function: {name, arguments}}]` with `arguments` a JSON string (so a
 * Parquet column keeps one schema whatever the functions take), and each result is a `tool` turn.
 */
import { z } from "zod";

export const roleSchema = z.enum(["system", "user", "assistant", "tool"]);
export type Role = z.infer<typeof roleSchema>;

/** One function call made by an assistant turn. */
export const toolCallSchema = z.object({
  /** Call id a `tool` turn may answer with `tool_call_id` (OpenAI data has it, LLaMA-Factory data does not). */
  id: z.string().min(1).optional(),
  type: z.literal("function"),
  function: z.object({
    name: z.string().min(1),
    /** The arguments as JSON text of an object. */
    arguments: z.string(),
  }),
});
export type ToolCall = z.infer<typeof toolCallSchema>;

export const messageSchema = z.object({
  role: roleSchema,
  content: z.string(),
  /** Assistant turns only: the functions it calls (its `content` may then be empty). */
  tool_calls: z.array(toolCallSchema).min(1).optional(),
  /** Tool turns only: the id of the call this result answers. */
  tool_call_id: z.string().min(1).optional(),
  /** Tool turns only: the name of the function that produced this result. */
  name: z.string().min(1).optional(),
});
export type Message = z.infer<typeof messageSchema>;
