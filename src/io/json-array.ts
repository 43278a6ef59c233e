/**
 * @module io/json-array — JSON files holding one array of records (as LLaMA-Factory ships its data).
 * The file is parsed whole (these files are small); each element is reported with the line it starts on.
 */
import { readFile } from "node:fs/promises";
import { InputError } from "../errors.js";
import { handleBadRecord, validateRecord, type ReadOptions } from "./input-issue.js";
import { describeJson, type LocatedRecord } from "./jsonl.js";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "./json-depth.js";
import { LONE_SURROGATE_REASON, loneSurrogatePath, mayHoldLoneSurrogate } from "./lone-surrogate.js";

/** Line (1-based) on which each top-level element of a JSON array text starts. */
export function elementStartLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let expectValue = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line += 1;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 92) escaped = true;
      else if (c === 34) inString = false;
      continue;
    }
    const isSpace = c === 32 || c === 9 || c === 10 || c === 13;
    if (depth === 1 && expectValue && !isSpace && c !== 93 /* ] */) {
      lines.push(line);
      expectValue = false;
    }
    if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      depth += 1;
      if (depth === 1 && c === 91) expectValue = true;
    } else if (c === 93 || c === 125) depth -= 1;
    else if (c === 44 && depth === 1) expectValue = true;
  }
  return lines;
}

function lineAtPosition(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

/** Reads a JSON array file and yields its elements (each must be an object) with their start lines. */
export async function* readJsonArray<T = unknown>(file: string, options: ReadOptions<T> = {}): AsyncGenerator<LocatedRecord<T>> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new InputError({ file }, code === "ENOENT" ? "file not found" : `cannot read: ${code ?? cause}`, { cause });
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (cause) {
    const valid = firstInvalidUtf8Offset(bytes);
    throw new InputError({ file, line: countNewlines(bytes.subarray(0, valid)) + 1 }, "invalid UTF-8 (the file must be UTF-8 encoded)", { cause });
  }
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const match = /position (\d+)/.exec(message);
    const line = match ? lineAtPosition(text, Number(match[1])) : undefined;
    throw new InputError({ file, ...(line ? { line } : {}) }, `invalid JSON: ${message.slice(0, 200)}`, { cause });
  }
  if (!Array.isArray(parsed)) {
    throw new InputError({ file, line: 1 }, `expected a JSON array of records, got ${describeJson(parsed)}`);
  }
  const lines = elementStartLines(text);
  const surrogates = mayHoldLoneSurrogate(text);
  for (let index = 0; index < parsed.length; index++) {
    const line = lines[index] ?? index + 1;
    try {
      const value: unknown = parsed[index];
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new InputError({ file, line }, `array element ${index} is ${describeJson(value)}, expected an object`);
      }
      if (nestsDeeperThan(value)) throw new InputError({ file, line }, `the record nests more than ${MAX_JSON_DEPTH} arrays/objects deep`);
      if (surrogates) {
        const field = loneSurrogatePath(value);
        if (field !== undefined) throw new InputError({ file, line, field }, LONE_SURROGATE_REASON);
      }
      const record = options.schema ? validateRecord(options.schema, value, file, line) : (value as T);
      yield { line, record };
    } catch (error) {
      handleBadRecord(error, options);
    }
  }
}

function countNewlines(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) if (b === 10) n++;
  return n;
}

/** Offset of the first byte that breaks UTF-8 (structure only: lead/continuation bytes). */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}
