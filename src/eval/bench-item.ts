/**
 * @module eval/bench-item — a LongBench-Write / LongWrite-Ruler prompt row and its loader. Rows are
 * `{prompt, type, length}` as upstream ships them; the loader adds a stable id, the output language and
 * the length bucket, and names file, line and field for a bad row.
 */
import { z } from "zod";
import { InputError } from "../errors.js";
import { readJsonl } from "../io/jsonl.js";
import { recordId } from "../text/record-id.js";
import { lengthBucket, type LengthBucket } from "./length-bucket.js";

export const benchRowSchema = z.looseObject({
  prompt: z.string().min(1),
  type: z.string().default(""),
  /** Required length: English words or Chinese characters (countWords units). */
  length: z.number().int().positive(),
  /** Optional explicit output language; otherwise derived (see loadBenchItems). */
  language: z.enum(["en", "zh"]).optional(),
});
export type BenchRow = z.infer<typeof benchRowSchema>;

export type OutputLanguage = "en" | "zh";

export interface BenchItem {
  /** Stable id: hash of prompt, type and length. */
  id: string;
  /** 0-based position in the bench file. */
  index: number;
  prompt: string;
  type: string;
  requiredLength: number;
  language: OutputLanguage;
  bucket: LengthBucket;
}

const CJK = /[\u4e00-\u9fff]/;

/** Id of a bench row; the same prompt/type/length always gets the same id. */
export function benchItemId(row: { prompt: string; type: string; length: number }): string {
  return recordId({ prompt: row.prompt, type: row.type, length: row.length });
}

export interface LoadBenchItemsOptions {
  file: string;
  /**
   * Prompts whose expected output is English (LongBench-Write's `longbench_write_en.jsonl` defines the
   * set). Rows not in it are Chinese. Without it, a row's `language` field decides, else the script of
   * the prompt (any CJK character → zh).
   */
  englishPrompts?: ReadonlySet<string> | undefined;
}

/** Reads and validates a bench file (all rows; an invalid row is an InputError naming file/line/field). */
export async function loadBenchItems({ file, englishPrompts }: LoadBenchItemsOptions): Promise<BenchItem[]> {
  const items: BenchItem[] = [];
  const seen = new Map<string, number>();
  for await (const { line, record } of readJsonl(file, { schema: benchRowSchema })) {
    const id = benchItemId(record);
    const previous = seen.get(id);
    if (previous !== undefined) {
      throw new InputError({ file, line, field: "prompt" }, `duplicate prompt (same prompt, type and length as line ${previous})`);
    }
    seen.set(id, line);
    const language: OutputLanguage =
      record.language ?? (englishPrompts ? (englishPrompts.has(record.prompt) ? "en" : "zh") : CJK.test(record.prompt) ? "zh" : "en");
    items.push({
      id,
      index: items.length,
      prompt: record.prompt,
      type: record.type,
      requiredLength: record.length,
      language,
      bucket: lengthBucket(record.length),
    });
  }
  if (items.length === 0) throw new InputError({ file }, "bench file has no rows");
  return items;
}

/** The prompt strings of a bench file (used to read the English set from `longbench_write_en.jsonl`). */
export async function loadPromptSet(file: string): Promise<Set<string>> {
  const prompts = new Set<string>();
  for await (const { record } of readJsonl(file, { schema: benchRowSchema })) prompts.add(record.prompt);
  return prompts;
}
