/**
 * @module select/classify-instruction — an LLM verdict on whether an instruction is a writing task and
 * how long a good answer is. The reply must be a JSON object; an unusable reply is a null verdict with
 * a reason, never an exception.
 */
import { readFile } from "node:fs/promises";
import type { LlmClient } from "../llm/client.js";

export interface ClassifierVerdict {
  writingTask: boolean;
  estimatedWords: number;
  reason: string;
}

export type ClassifierResult = { ok: true; verdict: ClassifierVerdict } | { ok: false; reason: string };

/** The built-in classifier template ({{instruction}}). */
export async function loadClassifierPrompt(file?: string): Promise<string> {
  return readFile(file ?? new URL("./prompts/classify.md", import.meta.url), "utf8");
}

/** Finds and checks the JSON object in a classifier reply (fences and prose around it are tolerated). */
export function parseClassifierReply(reply: string): ClassifierResult {
  const start = reply.indexOf("{");
  const end = reply.lastIndexOf("}");
  if (start === -1 || end <= start) return { ok: false, reason: "no JSON object in the reply" };
  let value: unknown;
  try {
    value = JSON.parse(reply.slice(start, end + 1));
  } catch {
    return { ok: false, reason: "the reply's JSON does not parse" };
  }
  const object = value as Record<string, unknown>;
  const task = object.writing_task ?? object.writingTask ?? object.long_output;
  const rawWords = object.estimated_words ?? object.estimatedWords ?? object.estimated_length;
  const words = typeof rawWords === "string" ? Number(rawWords.replace(/[,\s]/g, "")) : rawWords;
  if (typeof task !== "boolean") return { ok: false, reason: "writing_task is missing or not true/false" };
  if (typeof words !== "number" || !Number.isFinite(words) || words < 0) return { ok: false, reason: "estimated_words is missing or not a number" };
  return {
    ok: true,
    verdict: { writingTask: task, estimatedWords: Math.round(words), reason: typeof object.reason === "string" ? object.reason : "" },
  };
}

/** Asks the model about one instruction (temperature 0); LLM call failures are thrown as LlmCallError. */
export async function classifyInstruction({ client, prompt, template }: { client: LlmClient; prompt: string; template: string }): Promise<ClassifierResult> {
  const content = template.replace("{{instruction}}", () => prompt);
  const result = await client.chat({ messages: [{ role: "user", content }], temperature: 0, maxTokens: 300, tag: "classify" });
  return parseClassifierReply(result.text);
}
