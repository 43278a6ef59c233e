/**
 * @module io/record-ranges — a JSONL file cut into byte ranges at line ends, and one range read into
 * SFT records exactly as `readRecords` (kind "sft") reads the whole file (same lines, blank lines, BOM, CRLF,
 * UTF-8 check, JSON and adapter errors, format detection), with line numbers counted from the range's
 * start. A range is read the same in a worker thread (`record-range-worker`) or in the calling thread;
 * what is done with each record is the caller's `RangeHandler`, which returns compact results.
 */
import { isUtf8 } from "node:buffer";
import { closeSync, openSync, readSync } from "node:fs";
import { InputError, ToolkitError } from "../errors.js";
import type { SftRecord } from "../schemas/sft-record.js";
import { describeUndetected, type RawRecord, type SftAdapter, type SftFormat } from "./adapters/format.js";
import { MessagesByteReader, type ByteSftRecord } from "./adapters/messages-bytes.js";
import { detectSftFormat, getSftAdapter } from "./adapters/sft-adapters.js";
import { describeJson, parseJsonLine } from "./jsonl.js";

const LF = 0x0a;
const CR = 0x0d;
const INVALID_UTF8 = "invalid UTF-8 (the file must be UTF-8 encoded)";

/** What a handler does with the records of a range, in order (runs where the range is read). */
export interface RangeHandler<R = unknown> {
  /** Called before a range's first record with the range's size in bytes (to size buffers). */
  begin?(rangeBytes: number): void;
  /** One record; `line` counts from 1 at the range's first line. Throwing fails the whole read. */
  record(record: SftRecord, line: number, label: string): void;
  /**
   * Optional: for a range of the messages format, the lines `MessagesByteReader` vouches for come here as
   * byte records instead of to `record` (the others still go to `record`, in line order). The turns' bytes
   * are valid until `finish` returns.
   */
  messagesRecord?(record: ByteSftRecord, line: number, label: string): void;
  /** The range's results and the buffers to transfer with them; the handler is ready for another range. */
  finish(): { output: R; transfer: ArrayBuffer[] };
}

/** A module a worker loads a handler from: it exports `createRangeHandler(options)`. */
export interface RangeHandlerModule {
  /** URL of the module (see `moduleUrl`). */
  url: string;
  /** Structured-cloneable options for `createRangeHandler`. */
  options: unknown;
}

/** One range of one file to read. */
export interface RangeTask {
  file: string;
  /** The file's name in messages of the handler (a manifest's display name). */
  label: string;
  start: number;
  end: number;
  /** `"auto"` detects the format from the first record that has one, like `readRecords` with kind "sft". */
  format: SftFormat | "auto";
  /** Which of the reader's handlers gets the records. */
  handler: number;
  /**
   * Set for a Parquet file: the range is rows [start, end) of this 0-based row group, and its lines are
   * rows (see io/parquet-ranges). Unset: a JSON Lines file, [start, end) its bytes.
   */
  rowGroup?: number | undefined;
}

/** A bad row of the range (its line counted from the range's start). */
export interface RangeIssue {
  line: number;
  field?: string;
  reason: string;
}

export interface RangeResult<R = unknown> {
  /** Lines in the range (to number the next range's lines). */
  lines: number;
  issues: RangeIssue[];
  /** The format chosen at this range's first raw record, when the range chose it. */
  format?: { format: SftFormat; detected: boolean };
  /** True when a line was not UTF-8: the reader stops there (the rest of the file is not read). */
  stopped: boolean;
  output: R;
}

/**
 * Reads `task`'s bytes and sends each record to `handler`. Bad rows become issues (the reader always
 * skips and reports them; the caller decides whether one is fatal). Errors that are not about a row
 * (a handler's, a read failure) are thrown.
 */
export function readRange<R>(task: RangeTask, handler: RangeHandler<R>): { result: RangeResult<R>; transfer: ArrayBuffer[] } {
  const bytes = readBytes(task.file, task.start, task.end);
  const issues: RangeIssue[] = [];
  handler.begin?.(bytes.length);
  const valid = isUtf8(bytes);
  const byteReader = handler.messagesRecord ? threadByteReader(bytes.length) : undefined;
  const converter = new RecordConverter(task.format);
  let stopped = false;
  let line = 0;
  let position = 0;
  while (position < bytes.length) {
    const lf = bytes.indexOf(LF, position);
    const lineEnd = lf === -1 ? bytes.length : lf;
    const start = position;
    position = lf === -1 ? bytes.length : lf + 1;
    line += 1;
    const end = lineEnd > start && bytes[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
    if (!valid && !isUtf8(bytes.subarray(start, end))) {
      issues.push({ line, reason: INVALID_UTF8 });
      stopped = true;
      break;
    }
    // Once the range reads the messages format (its first record chose or confirmed it), most lines need no string.
    if (byteReader !== undefined && converter.format !== undefined && converter.adapter?.name === "messages") {
      const fast = byteReader.read(bytes, start, end, { file: task.file, line });
      if (fast !== undefined) {
        handler.messagesRecord!(fast, line, task.label);
        continue;
      }
    }
    let text = bytes.toString("utf8", start, end);
    // A byte-order mark is only meaningful at the very start of the file.
    if (line === 1 && task.start === 0 && text.startsWith("\uFEFF")) text = text.slice(1);
    if (text.trim() === "") continue;
    const context = { file: task.file, line };
    let record: SftRecord;
    try {
      const value = parseJsonLine(text, task.file, line);
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new InputError(context, `expected a JSON object, got ${describeJson(value)}`);
      }
      record = converter.toRecord(value as RawRecord, context);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      issues.push({ line: error.line ?? 0, ...(error.field ? { field: error.field } : {}), reason: error.reason });
      continue;
    }
    handler.record(record, line, task.label);
  }
  const { format } = converter;
  const { output, transfer } = handler.finish();
  return { result: { lines: line, issues, ...(format ? { format } : {}), stopped, output }, transfer };
}

/**
 * Raw rows to SFT records as `readRecords` (kind "sft") converts them: with the format given, or detected
 * from the first row. Like `readRecords`, a format counts as chosen at the first row that is an object.
 */
export class RecordConverter {
  adapter: SftAdapter | undefined;
  /** The format, once a row chose it. */
  format: RangeResult["format"];

  constructor(private readonly given: SftFormat | "auto") {
    this.adapter = given === "auto" ? undefined : getSftAdapter(given);
  }

  /** The row as an SFT record; an InputError (naming `context`) when it cannot be one. */
  toRecord(raw: RawRecord, context: { file: string; line: number }): SftRecord {
    if (this.adapter === undefined) {
      const detected = detectSftFormat(raw);
      if (detected === null) throw new InputError(context, describeUndetected(raw, "sft"));
      this.adapter = getSftAdapter(detected);
      this.format = { format: detected, detected: true };
    } else if (this.format === undefined && this.given !== "auto") {
      this.format = { format: this.given, detected: false };
    }
    return this.adapter.toCanonical(raw, context);
  }
}

/** The thread's byte reader, reset for a range of `rangeBytes` (its scratch is reused like the read buffer). */
let byteReader: MessagesByteReader | undefined;
function threadByteReader(rangeBytes: number): MessagesByteReader {
  byteReader ??= new MessagesByteReader();
  byteReader.reset(rangeBytes);
  return byteReader;
}

/** Result buffers handed back to this thread (see `RangeReader.recycle`), for handlers' next ranges. */
const spareBuffers: ArrayBuffer[] = [];
/** Bytes of spare result buffers a thread keeps at most (more are let go). */
const MAX_SPARE_BYTES = 96 << 20;
let spareBytes = 0;

/** Keeps `buffers` (results of earlier ranges, no longer used) for this thread's next ranges. */
export function recycleRangeBuffers(buffers: readonly ArrayBuffer[]): void {
  for (const buffer of buffers) {
    if (buffer.byteLength === 0 || spareBytes + buffer.byteLength > MAX_SPARE_BYTES) continue;
    spareBuffers.push(buffer);
    spareBytes += buffer.byteLength;
  }
}

/**
 * A recycled result buffer of at least `bytes`, or undefined. Memory written before costs far less to write
 * again than fresh memory (a page fault per 4 KiB, about 3 ms per MB measured), so handlers that transfer
 * buffers with their results ask here first.
 */
export function spareRangeBuffer(bytes: number): ArrayBuffer | undefined {
  const index = spareBuffers.findIndex((buffer) => buffer.byteLength >= bytes);
  if (index === -1) return undefined;
  const [buffer] = spareBuffers.splice(index, 1);
  spareBytes -= buffer!.byteLength;
  return buffer;
}

/** One read buffer per thread, reused range after range (fresh memory per range costs page faults). */
let readBuffer = Buffer.allocUnsafeSlow(0);

/** The bytes [start, end) of `file`, in the thread's read buffer (valid until the next call). */
function readBytes(file: string, start: number, end: number): Buffer {
  if (readBuffer.length < end - start) readBuffer = Buffer.allocUnsafeSlow(Math.max(end - start, readBuffer.length * 2, 1 << 20));
  const bytes = readBuffer.subarray(0, end - start);
  const fd = openSync(file, "r");
  try {
    let got = 0;
    while (got < bytes.length) {
      const n = readSync(fd, bytes, got, bytes.length - got, start + got);
      if (n === 0) throw new ToolkitError(`${file} changed while it was read (ended at byte ${start + got}, expected ${end})`, { code: "invalid_state" });
      got += n;
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/**
 * The end of the range that starts at `start` and holds about `size` bytes: just after the first line end
 * at or past `start + size`, or the file's end.
 */
export function rangeEnd(fd: number, fileBytes: number, start: number, size: number): number {
  let position = start + Math.max(1, size) - 1;
  if (position >= fileBytes) return fileBytes;
  const chunk = Buffer.allocUnsafe(64 * 1024);
  while (position < fileBytes) {
    const n = readSync(fd, chunk, 0, Math.min(chunk.length, fileBytes - position), position);
    if (n === 0) return fileBytes;
    const lf = chunk.subarray(0, n).indexOf(LF);
    if (lf !== -1) return position + lf + 1;
    position += n;
  }
  return fileBytes;
}
