/**
 * @module io/json-array — JSON files holding one array of records (as LLaMA-Factory ships its data), each
 * element reported with the line it starts on. A file up to `WHOLE_FILE_BYTES` is parsed whole. A larger
 * one is read in pieces, twice: the first pass cuts the array into its elements and parses each (so a
 * syntax error anywhere still fails before any record is used), the second parses them again and yields
 * them, so memory follows the largest element, not the file (a 330 MB file parsed whole took 1.5 GB).
 */
import { open, readFile, stat } from "node:fs/promises";
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

/** Files up to this many bytes are parsed whole; larger ones are read in pieces (see the module note). */
export const WHOLE_FILE_BYTES = 64 << 20;

/** How a file is read (tests force the piecewise path on small files). */
export interface JsonArrayReading {
  /** @default WHOLE_FILE_BYTES */
  wholeFileBytes?: number | undefined;
  /** Bytes read at a time on the piecewise path. @default 4 MiB */
  chunkBytes?: number | undefined;
}

function unreadable(file: string, cause: unknown): InputError {
  const code = (cause as NodeJS.ErrnoException).code;
  return new InputError({ file }, code === "ENOENT" ? "file not found" : `cannot read: ${code ?? cause}`, { cause });
}

/** Reads a JSON array file and yields its elements (each must be an object) with their start lines. */
export async function* readJsonArray<T = unknown>(
  file: string,
  options: ReadOptions<T> = {},
  reading: JsonArrayReading = {},
): AsyncGenerator<LocatedRecord<T>> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (cause) {
    throw unreadable(file, cause);
  }
  if (size > (reading.wholeFileBytes ?? WHOLE_FILE_BYTES)) {
    const chunkBytes = reading.chunkBytes ?? 4 << 20;
    for await (const element of arrayElements(file, chunkBytes)) parseElement(file, element);
    let index = 0;
    for await (const element of arrayElements(file, chunkBytes)) {
      try {
        const value = parseElement(file, element);
        yield { line: element.line, record: checkedElement(file, element.line, index, value, mayHoldLoneSurrogate(element.text), options) };
      } catch (error) {
        handleBadRecord(error, options);
      }
      index += 1;
    }
    return;
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (cause) {
    throw unreadable(file, cause);
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
    const { message, lineInText } = syntaxError(cause, text);
    throw new InputError({ file, ...(lineInText ? { line: lineInText } : {}) }, `invalid JSON: ${message.slice(0, 200)}`, { cause });
  }
  if (!Array.isArray(parsed)) {
    throw new InputError({ file, line: 1 }, `expected a JSON array of records, got ${describeJson(parsed)}`);
  }
  const lines = elementStartLines(text);
  const surrogates = mayHoldLoneSurrogate(text);
  for (let index = 0; index < parsed.length; index++) {
    const line = lines[index] ?? index + 1;
    try {
      yield { line, record: checkedElement(file, line, index, parsed[index], surrogates, options) };
    } catch (error) {
      handleBadRecord(error, options);
    }
  }
}

/**
 * One element as a record: an object, not nested too deep, without lone surrogates (looked for only when
 * its text may hold one), valid against the schema if there is one.
 */
function checkedElement<T>(file: string, line: number, index: number, value: unknown, mayHoldSurrogates: boolean, options: ReadOptions<T>): T {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InputError({ file, line }, `array element ${index} is ${describeJson(value)}, expected an object`);
  }
  if (nestsDeeperThan(value)) throw new InputError({ file, line }, `the record nests more than ${MAX_JSON_DEPTH} arrays/objects deep`);
  if (mayHoldSurrogates) {
    const field = loneSurrogatePath(value);
    if (field !== undefined) throw new InputError({ file, line, field }, LONE_SURROGATE_REASON);
  }
  return options.schema ? validateRecord(options.schema, value, file, line) : (value as T);
}

/** One top-level element of the array: its JSON text and the line it starts on. */
interface ArrayElement {
  text: string;
  line: number;
}

/** JSON.parse of one element; a syntax error names the line it is on. */
function parseElement(file: string, element: ArrayElement): unknown {
  try {
    return JSON.parse(element.text);
  } catch (cause) {
    const { message, lineInText } = syntaxError(cause, element.text);
    throw new InputError({ file, line: element.line + (lineInText ?? 1) - 1 }, `invalid JSON: ${message.slice(0, 200)}`, { cause });
  }
}

/** JSON.parse's error message, and the line of `text` it points at when it names a position. */
function syntaxError(cause: unknown, text: string): { message: string; lineInText: number | undefined } {
  const message = cause instanceof Error ? cause.message : String(cause);
  const match = /position (\d+)/.exec(message);
  return { message, lineInText: match ? lineAtPosition(text, Number(match[1])) : undefined };
}

enum Scan {
  BeforeArray,
  FirstValue,
  Value,
  InContainer,
  InString,
  InScalar,
  AfterValue,
  AfterArray,
}

/** What a top-level value that is not an array starts with, in `describeJson`'s words. */
function describeStart(c: number): string {
  if (c === 123) return "an object";
  if (c === 34) return "a string";
  if (c === 116 || c === 102) return "a boolean";
  if (c === 110) return "null";
  return "a number";
}

/**
 * The top-level elements of the JSON array in `file`, read `chunkBytes` at a time: the text of each (for
 * JSON.parse) and its start line. The array's own structure is checked here (brackets, commas, nothing
 * after it); what is inside an element is left to JSON.parse.
 */
async function* arrayElements(file: string, chunkBytes: number): AsyncGenerator<ArrayElement> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, "r");
  } catch (cause) {
    throw unreadable(file, cause);
  }
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  const buffer = Buffer.allocUnsafe(chunkBytes);
  let held: Uint8Array = new Uint8Array(0);
  let state = Scan.BeforeArray;
  let line = 1;
  let depth = 0;
  let escaped = false;
  let inString = false;
  let pieces: string[] = [];
  let start = 0;
  let elementLine = 0;
  const fail = (reason: string): never => {
    throw new InputError({ file, line }, reason);
  };
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, chunkBytes, null);
      const bytes = buffer.subarray(0, bytesRead);
      let text: string;
      try {
        text = utf8.decode(bytes, { stream: bytesRead > 0 });
      } catch (cause) {
        // The bytes the decoder still held from the last chunk (a character cut in two) come first.
        const joined = Buffer.concat([held, bytes]);
        line += countNewlines(joined.subarray(0, firstInvalidUtf8Offset(joined)));
        throw new InputError({ file, line }, "invalid UTF-8 (the file must be UTF-8 encoded)", { cause });
      }
      held = Buffer.from(unfinishedCharacter(bytes));
      start = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (state === Scan.InContainer || state === Scan.InString) {
          if (c === 10) line += 1;
          if (inString) {
            if (escaped) escaped = false;
            else if (c === 92) escaped = true;
            else if (c === 34) {
              inString = false;
              if (state === Scan.InString) {
                yield { text: pieces.join("") + text.slice(start, i + 1), line: elementLine };
                pieces = [];
                state = Scan.AfterValue;
              }
            }
          } else if (c === 34) inString = true;
          else if (c === 123 || c === 91) depth += 1;
          else if (c === 125 || c === 93) {
            depth -= 1;
            if (depth === 0) {
              yield { text: pieces.join("") + text.slice(start, i + 1), line: elementLine };
              pieces = [];
              state = Scan.AfterValue;
            }
          }
          continue;
        }
        if (state === Scan.InScalar) {
          if (c !== 44 && c !== 93 && c !== 32 && c !== 9 && c !== 10 && c !== 13) continue;
          yield { text: pieces.join("") + text.slice(start, i), line: elementLine };
          pieces = [];
          state = Scan.AfterValue;
        }
        if (c === 32 || c === 9 || c === 13) continue;
        if (c === 10) {
          line += 1;
          continue;
        }
        if (state === Scan.BeforeArray) {
          if (c !== 91) fail(`expected a JSON array of records, got ${describeStart(c)}`);
          state = Scan.FirstValue;
        } else if (state === Scan.AfterValue) {
          if (c === 44) state = Scan.Value;
          else if (c === 93) state = Scan.AfterArray;
          else fail(`invalid JSON: expected "," or "]" after array element, got "${String.fromCharCode(c)}"`);
        } else if (state === Scan.AfterArray) {
          fail(`invalid JSON: "${String.fromCharCode(c)}" after the end of the array`);
        } else if (c === 93 && state === Scan.FirstValue) {
          state = Scan.AfterArray;
        } else {
          // A value starts (FirstValue or Value).
          if (c === 93) fail('invalid JSON: "," before "]" (a trailing comma)');
          start = i;
          elementLine = line;
          if (c === 123 || c === 91) {
            depth = 1;
            inString = false;
            state = Scan.InContainer;
          } else if (c === 34) {
            inString = true;
            escaped = false;
            state = Scan.InString;
          } else if (c === 44) fail('invalid JSON: "," where an array element should be');
          else state = Scan.InScalar;
        }
      }
      if (state === Scan.InContainer || state === Scan.InString || state === Scan.InScalar) pieces.push(text.slice(start));
      if (bytesRead === 0) break;
    }
    if (state === Scan.InScalar) {
      yield { text: pieces.join(""), line: elementLine };
      state = Scan.AfterValue;
    }
    if (state === Scan.BeforeArray) fail("invalid JSON: the file holds no JSON value");
    if (state !== Scan.AfterArray) fail("invalid JSON: the file ends before the array does");
  } finally {
    await handle.close();
  }
}

/** The last bytes of `bytes` when they start a UTF-8 character that the next bytes must finish (else none). */
function unfinishedCharacter(bytes: Uint8Array): Uint8Array {
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? bytes.subarray(bytes.length - back) : new Uint8Array(0);
  }
  return new Uint8Array(0);
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
