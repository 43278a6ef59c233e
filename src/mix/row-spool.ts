/**
 * @module mix/row-spool — the mixer's scratch file. The first pass appends every candidate row (already
 * converted to a canonical SftRecord, filtered and deduplicated) as one JSON line and keeps only its byte
 * offset and length in typed arrays; the second pass reads rows back by offset in shuffled order. So the
 * global shuffle costs 12 bytes per row whatever the rows' size, and every input format (JSONL, JSON
 * arrays, Parquet row groups, Hub files) is read sequentially exactly once.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { OptionError, ToolkitError } from "../errors.js";

const WRITE_BUFFER = 4 << 20;

/** Append-then-read scratch storage of rows addressed by index. */
export class RowSpool {
  readonly path: string;
  private fd: number;
  private offsets = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  private count = 0;
  private written = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readBuffer = Buffer.alloc(64 * 1024);

  private constructor(path: string, fd: number) {
    this.path = path;
    this.fd = fd;
  }

  /** Creates (truncates) the spool file at `path`. */
  static create(path: string): RowSpool {
    return new RowSpool(path, openSync(path, "w+"));
  }

  /** Rows appended so far. */
  get size(): number {
    return this.count;
  }

  /** Appends one row (any JSON value) and returns its index. */
  append(row: unknown): number {
    const bytes = Buffer.from(`${JSON.stringify(row)}\n`, "utf8");
    if (this.count === this.offsets.length) this.grow();
    this.offsets[this.count] = this.written + this.pendingBytes;
    this.lengths[this.count] = bytes.length - 1;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= WRITE_BUFFER) this.flush();
    return this.count++;
  }

  /** Writes buffered rows to the file (reads call it themselves). */
  flush(): void {
    if (this.pendingBytes === 0) return;
    const chunk = Buffer.concat(this.pending, this.pendingBytes);
    let done = 0;
    while (done < chunk.length) done += writeSync(this.fd, chunk, done, chunk.length - done, this.written + done);
    this.written += chunk.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Reads row `index` back (parsed). */
  read<T = unknown>(index: number): T {
    if (index < 0 || index >= this.count) throw new OptionError(`RowSpool: no row ${index} (size ${this.count})`, { field: "index" });
    if (this.pendingBytes > 0) this.flush();
    const length = this.lengths[index]!;
    if (length > this.readBuffer.length) this.readBuffer = Buffer.alloc(Math.max(length, this.readBuffer.length * 2));
    const position = this.offsets[index]!;
    let got = 0;
    while (got < length) {
      const n = readSync(this.fd, this.readBuffer, got, length - got, position + got);
      if (n === 0) throw new ToolkitError(`RowSpool: ${this.path} ended early at row ${index}`, { code: "invalid_state" });
      got += n;
    }
    return JSON.parse(this.readBuffer.toString("utf8", 0, length)) as T;
  }

  /** Reads row `index` back as its JSON bytes (a fresh buffer, not parsed). */
  readBytes(index: number): Buffer {
    if (index < 0 || index >= this.count) throw new OptionError(`RowSpool: no row ${index} (size ${this.count})`, { field: "index" });
    if (this.pendingBytes > 0) this.flush();
    const length = this.lengths[index]!;
    const bytes = Buffer.allocUnsafe(length);
    const position = this.offsets[index]!;
    let got = 0;
    while (got < length) {
      const n = readSync(this.fd, bytes, got, length - got, position + got);
      if (n === 0) throw new ToolkitError(`RowSpool: ${this.path} ended early at row ${index}`, { code: "invalid_state" });
      got += n;
    }
    return bytes;
  }

  /** Closes and deletes the spool file. */
  dispose(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    rmSync(this.path, { force: true });
  }

  private grow(): void {
    const offsets = new Float64Array(this.offsets.length * 2);
    offsets.set(this.offsets);
    this.offsets = offsets;
    const lengths = new Uint32Array(this.lengths.length * 2);
    lengths.set(this.lengths);
    this.lengths = lengths;
  }
}

/** A growable Float64Array-backed list of numbers (per-row words, tokens, source index). */
export class NumberColumn {
  private data: Float64Array;
  private count = 0;

  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(value: number): void {
    if (this.count === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.count++] = value;
  }

  /** A view of rows [start, end). */
  view(start = 0, end = this.count): Float64Array {
    return this.data.subarray(start, end);
  }

  at(index: number): number {
    return this.data[index]!;
  }
}
