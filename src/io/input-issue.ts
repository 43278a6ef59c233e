/** @module io/input-issue — a bad input row that a reader skipped instead of failing on. */
import type { z } from "zod";
import { formatLocation, InputError, issuePath } from "../errors.js";

export interface InputIssue {
  file: string;
  line: number;
  field?: string;
  reason: string;
}

/** Options shared by the record readers. */
export interface ReadOptions<T> {
  /** Validate each record; the yielded record is the schema's output. */
  schema?: z.ZodType<T> | undefined;
  /**
   * Skip bad lines (invalid JSON or UTF-8, schema failures) instead of throwing, and report each one
   * into `issues`. Off by default: the first bad line is an error naming file, line and field.
   */
  skipInvalid?: boolean | undefined;
  /** Collector for skipped lines when `skipInvalid` is on. */
  issues?: InputIssue[] | undefined;
}

export function issueToString(issue: InputIssue): string {
  return `${formatLocation(issue)}: ${issue.reason}`;
}

/** Validates `value` against `schema`; throws an InputError for the first failing field. */
export function validateRecord<T>(schema: z.ZodType<T>, value: unknown, file: string, line: number): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const first = result.error.issues[0]!;
  const field = issuePath(first.path);
  throw new InputError({ file, line, field: field || undefined }, first.message, { cause: result.error });
}

/** Either rethrows `error` or records it as an issue, according to `options.skipInvalid`. */
export function handleBadRecord(error: unknown, options: ReadOptions<unknown>): void {
  if (!(error instanceof InputError) || !options.skipInvalid) throw error;
  options.issues?.push({
    file: error.file,
    line: error.line ?? 0,
    ...(error.field ? { field: error.field } : {}),
    reason: error.reason,
  });
}
