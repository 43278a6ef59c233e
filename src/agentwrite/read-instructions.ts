/**
 * @module agentwrite/read-instructions — AgentWrite's input: JSONL of Instruction records, or
 * LongWriter's own `{"prompt": ...}` lines (id = recordId(prompt), requiredLength and language derived
 * from the prompt; other fields kept in `meta`). Errors name the file, line and field.
 */
import { InputError } from "../errors.js";
import { readJsonl } from "../io/jsonl.js";
import type { ReadOptions } from "../io/input-issue.js";
import { instructionSchema, type Instruction } from "../schemas/instruction.js";
import { detectLanguage } from "../text/language.js";
import { recordId } from "../text/record-id.js";
import { extractRequiredLength } from "../text/required-length.js";

/** Builds an Instruction from a bare prompt (LongWriter's input lines). */
export function instructionFromPrompt(prompt: string, extra: { id?: string; source?: string; meta?: Record<string, unknown> } = {}): Instruction {
  return {
    id: extra.id ?? recordId(prompt),
    prompt,
    requiredLength: extractRequiredLength(prompt),
    language: detectLanguage(prompt),
    ...(extra.source === undefined ? {} : { source: extra.source }),
    ...(extra.meta === undefined || Object.keys(extra.meta).length === 0 ? {} : { meta: extra.meta }),
  };
}

/**
 * Streams the instructions of a JSONL file with their line numbers.
 * @example for await (const { record } of readInstructions("instructions.jsonl")) { ... }
 */
export async function* readInstructions(
  file: string,
  options: Omit<ReadOptions<Instruction>, "schema"> = {},
): AsyncGenerator<{ line: number; record: Instruction }> {
  for await (const { line, record } of readJsonl<Record<string, unknown>>(file, options as ReadOptions<Record<string, unknown>>)) {
    try {
      yield { line, record: toInstruction(record, file, line) };
    } catch (error) {
      if (!(error instanceof InputError) || !options.skipInvalid) throw error;
      options.issues?.push({ file, line, ...(error.field ? { field: error.field } : {}), reason: error.reason });
    }
  }
}

function toInstruction(value: Record<string, unknown>, file: string, line: number): Instruction {
  const full = instructionSchema.safeParse(value);
  if (full.success) return full.data;
  const prompt = value.prompt;
  if (typeof prompt !== "string" || prompt.trim() === "") {
    throw new InputError({ file, line, field: "prompt" }, 'expected a non-empty string (an Instruction record or a {"prompt": ...} line)');
  }
  const { prompt: _prompt, id, source, ...rest } = value;
  if (id !== undefined && (typeof id !== "string" || id === "")) {
    throw new InputError({ file, line, field: "id" }, "expected a non-empty string");
  }
  if (source !== undefined && typeof source !== "string") throw new InputError({ file, line, field: "source" }, "expected a string");
  // A record that looks like an Instruction but has a bad field should say which field.
  if ("requiredLength" in value || "language" in value) {
    const first = full.error.issues[0]!;
    throw new InputError({ file, line, field: first.path.map(String).join(".") }, first.message);
  }
  return instructionFromPrompt(prompt, {
    ...(typeof id === "string" ? { id } : {}),
    ...(typeof source === "string" ? { source } : {}),
    meta: rest,
  });
}
