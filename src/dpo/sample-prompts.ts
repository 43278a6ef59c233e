/**
 * @module dpo/sample-prompts — reads the prompts to sample candidates for: JSONL/JSON rows with a
 * `prompt` (plain `{"prompt": ...}`, Instruction records, LongBench-Write rows with `length`), each given a
 * stable id and its required length (a field, else parsed from the prompt text).
 */
import { extname } from "node:path";
import { InputError } from "../errors.js";
import { readJsonArray } from "../io/json-array.js";
import { readJsonl } from "../io/jsonl.js";
import type { InputIssue } from "../io/input-issue.js";
import { extractRequiredLength } from "../text/required-length.js";
import { recordId } from "../text/record-id.js";

/** One prompt to sample for. */
export interface SamplePrompt {
  promptId: string;
  prompt: string;
  /** Words (or CJK characters) the prompt asks for; null when it states none. */
  requiredLength: number | null;
  file: string;
  line: number;
}

const LENGTH_FIELDS = ["requiredLength", "required_length", "length"] as const;

/**
 * Streams prompts from a `.jsonl` or `.json` (array) file. `id` (or `promptId`) is kept when present,
 * else the id is a hash of the prompt text. The required length comes from `requiredLength`,
 * `required_length` or `length` (LongBench-Write), else from the text (`extractRequiredLength`).
 */
export async function* readSamplePrompts(file: string, options: { skipInvalid?: boolean; issues?: InputIssue[] } = {}): AsyncGenerator<SamplePrompt> {
  const rows = extname(file).toLowerCase() === ".json" ? readJsonArray(file, options) : readJsonl(file, options);
  const seen = new Set<string>();
  for await (const { line, record } of rows) {
    try {
      const raw = record as Record<string, unknown>;
      const prompt = raw.prompt;
      if (typeof prompt !== "string" || prompt.trim() === "") {
        throw new InputError({ file, line, field: "prompt" }, prompt === undefined ? 'missing field "prompt"' : "expected a non-empty string");
      }
      const idField = raw.id ?? raw.promptId;
      if (idField !== undefined && typeof idField !== "string" && typeof idField !== "number") {
        throw new InputError({ file, line, field: "id" }, "expected a string or number");
      }
      const promptId = idField === undefined ? recordId({ prompt }) : String(idField);
      if (seen.has(promptId)) throw new InputError({ file, line, field: "id" }, `duplicate prompt id "${promptId}"`);
      seen.add(promptId);
      let requiredLength: number | null | undefined;
      for (const key of LENGTH_FIELDS) {
        const value = raw[key];
        if (value === undefined) continue;
        if (value !== null && !(typeof value === "number" && Number.isInteger(value) && value > 0)) {
          throw new InputError({ file, line, field: key }, "expected a positive whole number or null");
        }
        requiredLength = value;
        break;
      }
      yield { promptId, prompt, requiredLength: requiredLength === undefined ? extractRequiredLength(prompt) : requiredLength, file, line };
    } catch (error) {
      if (!(error instanceof InputError) || !options.skipInvalid) throw error;
      options.issues?.push({ file, line, ...(error.field ? { field: error.field } : {}), reason: error.reason });
    }
  }
}
