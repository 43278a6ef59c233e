/**
 * @module io/candidates-file — files of Candidates (what `sample` writes and `judge` extends): telling one
 * from other record files by its first line, and reading it validated.
 */
import { stat } from "node:fs/promises";
import type { InputIssue } from "./input-issue.js";
import { readJsonl } from "./jsonl.js";
import { readLines } from "./read-lines.js";
import { candidateSchema, type Candidate } from "../schemas/candidate.js";
import { hasCandidateShape } from "../schemas/candidate-shape.js";

/**
 * True when `path` is a JSON Lines file whose first record has a candidate's `promptId` and `response` (no
 * record format has both). Reads the first line only: a dir, a Parquet file or a JSON array is never a
 * candidates file, and deciding so costs no decoding of the rest.
 */
export async function looksLikeCandidates(path: string): Promise<boolean> {
  if (/\.parquet$/i.test(path)) return false;
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return false;
  try {
    for await (const { text } of readLines(path)) {
      const line = text.trim();
      if (line === "") continue;
      if (!line.startsWith("{")) return false;
      return hasCandidateShape(JSON.parse(line));
    }
  } catch {
    // Not UTF-8 or not JSON: not a candidates file; the reader that takes the file reports what is wrong.
  }
  return false;
}

/** The candidates of a JSONL file, each validated (errors name file, line and field). */
export async function* readCandidates(path: string, options: { skipInvalid?: boolean; issues?: InputIssue[] } = {}): AsyncGenerator<Candidate> {
  for await (const { record } of readJsonl(path, { schema: candidateSchema, ...options })) yield record;
}
