/**
 * @module io/jsonl — JSON Lines in and out. Reading streams records with their line numbers; writing
 * is atomic (temp file + rename) so a failed or interrupted run leaves no half-written output.
 */
import { InputError } from "../errors.js";
import { withAtomicFile } from "./atomic-file.js";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "./json-depth.js";
import { LONE_SURROGATE_REASON, loneSurrogatePath, mayHoldLoneSurrogate } from "./lone-surrogate.js";
import { handleBadRecord, validateRecord, type ReadOptions } from "./input-issue.js";
import { readLines } from "./read-lines.js";

export interface LocatedRecord<T> {
  /** 1-based line (JSONL) or element position (JSON array: the line the element starts on). */
  line: number;
  record: T;
}

/** Parses one JSON text, turning a SyntaxError into an InputError that names the file and line. */
export function parseJsonLine(text: string, file: string, line: number): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new InputError({ file, line }, `invalid JSON: ${detail.length > 200 ? `${detail.slice(0, 200)}…` : detail}`, {
      cause,
    });
  }
  if (nestsDeeperThan(value)) throw new InputError({ file, line }, `the record nests more than ${MAX_JSON_DEPTH} arrays/objects deep`);
  if (mayHoldLoneSurrogate(text)) {
    const field = loneSurrogatePath(value);
    if (field !== undefined) throw new InputError({ file, line, field }, LONE_SURROGATE_REASON);
  }
  return value;
}

/**
 * Streams the records of a JSONL file. Blank lines are skipped; BOM, CRLF and a last line without a
 * newline are accepted. Each record must be a JSON object.
 *
 * @example
 * for await (const { line, record } of readJsonl("data.jsonl", { schema: sftRecordSchema })) { ... }
 */
export async function* readJsonl<T = unknown>(file: string, options: ReadOptions<T> = {}): AsyncGenerator<LocatedRecord<T>> {
  const lines = readLines(file);
  while (true) {
    let next: IteratorResult<{ line: number; text: string }>;
    try {
      next = await lines.next();
    } catch (error) {
      // Bad UTF-8 ends the stream position-wise only for that line; readLines cannot resume, so rethrow
      // unless skipping, in which case the rest of the file is unreadable too — report and stop.
      handleBadRecord(error, options);
      return;
    }
    if (next.done) return;
    const { line, text } = next.value;
    if (text.trim() === "") continue;
    try {
      const value = parseJsonLine(text, file, line);
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new InputError({ file, line }, `expected a JSON object, got ${describeJson(value)}`);
      }
      const record = options.schema ? validateRecord(options.schema, value, file, line) : (value as T);
      yield { line, record };
    } catch (error) {
      handleBadRecord(error, options);
    }
  }
}

/** "an array", "a string", "null", ... for error messages. */
export function describeJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Serialises one record as a JSONL line (no trailing newline). */
export function toJsonLine(record: unknown): string {
  return JSON.stringify(record);
}

/**
 * Writes records as JSONL atomically: nothing appears at `file` unless every record was written.
 * Returns the number of records written.
 */
export async function writeJsonl(file: string, records: Iterable<unknown> | AsyncIterable<unknown>): Promise<number> {
  return withAtomicFile(file, async (out) => {
    let count = 0;
    let buffer = "";
    for await (const record of records as AsyncIterable<unknown>) {
      buffer += `${toJsonLine(record)}\n`;
      count += 1;
      if (buffer.length >= 1 << 20) {
        await out.write(buffer);
        buffer = "";
      }
    }
    if (buffer) await out.write(buffer);
    return count;
  });
}
