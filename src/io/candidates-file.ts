/**
 * @module io/candidates-file — files of Candidates (what `sample` writes and `judge` extends): telling one
 * from other record files by its first record, and reading it validated.
 */
import type { InputIssue } from "./input-issue.js";
import { readJsonl } from "./jsonl.js";
import { readRawRecords } from "./read-records.js";
import { candidateSchema, type Candidate } from "../schemas/candidate.js";

/** True when the file's first record has a candidate's `promptId` and `response` (no other format has both). */
export async function looksLikeCandidates(path: string): Promise<boolean> {
  for await (const { record } of readRawRecords(path)) return typeof record.promptId === "string" && typeof record.response === "string";
  return false;
}

/** The candidates of a JSONL file, each validated (errors name file, line and field). */
export async function* readCandidates(path: string, options: { skipInvalid?: boolean; issues?: InputIssue[] } = {}): AsyncGenerator<Candidate> {
  for await (const { record } of readJsonl(path, { schema: candidateSchema, ...options })) yield record;
}
