/**
 * @module mix/row-spool — the mixer's scratch file. The first pass appends every candidate row (already
 * converted to a canonical SftRecord, filtered and deduplicated) as one line — its JSON, or the row packed
 * (io/packed-sft-row) when a reader thread had it as bytes already — and keeps only its byte
 * offset and length in typed arrays; the second pass reads rows back by offset in shuffled order. So the
 * global shuffle costs 12 bytes per row whatever the rows' size, and every input format (JSONL, JSON
 * arrays, Parquet row groups, Hub files) is read sequentially exactly once.
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { OptionError, ToolkitError } from "../errors.js";
import { rowBytesObject } from "../io/json-row.js";

const WRITE_BUFFER = 4 << 20;
const NEWLINE = Buffer.from("\n");

/** Append-then-read scratch storage of rows addressed by index. */
export class RowSpool {
  readonly path: string;
  private fd: number;
  private offsets = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  private count = 0;
  private written = 0;
  /** Rows not yet written, encoded straight into one reused buffer (no Buffer per row, no concat). */
  private pending = Buffer.allocUnsafe(WRITE_BUFFER);
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
    const json = JSON.stringify(row);
    if (this.count === this.offsets.length) this.grow();
    // A UTF-16 code unit takes at most 3 UTF-8 bytes: make room for the worst case, then encode in place.
    const worstCase = json.length * 3 + 1;
    if (this.pendingBytes + worstCase > this.pending.length) this.flush();
    let length: number;
    if (worstCase > this.pending.length) {
      // A row larger than the buffer is written on its own.
      const bytes = Buffer.from(`${json}\n`, "utf8");
      this.writeAt(bytes, this.written);
      length = bytes.length - 1;
      this.offsets[this.count] = this.written;
      this.written += bytes.length;
    } else {
      length = this.pending.write(json, this.pendingBytes, "utf8");
      this.offsets[this.count] = this.written + this.pendingBytes;
      this.pending[this.pendingBytes + length] = 0x0a;
      this.pendingBytes += length + 1;
    }
    this.lengths[this.count] = length;
    return this.count++;
  }

  /**
   * Appends one row given as its bytes (`bytes[start, end)`: what `append` would write for it, its
   * `JSON.stringify` in UTF-8 without a newline, or the row packed by `packSftRow`) and returns its index.
   */
  appendBytes(bytes: Uint8Array, start: number, end: number): number {
    if (this.count === this.offsets.length) this.grow();
    const length = end - start;
    if (this.pendingBytes + length + 1 > this.pending.length) this.flush();
    if (length + 1 > this.pending.length) {
      // A row larger than the buffer is written on its own.
      this.offsets[this.count] = this.written;
      this.writeAt(Buffer.from(bytes.buffer, bytes.byteOffset + start, length), this.written);
      this.writeAt(NEWLINE, this.written + length);
      this.written += length + 1;
    } else {
      this.offsets[this.count] = this.written + this.pendingBytes;
      this.pending.set(bytes.subarray(start, end), this.pendingBytes);
      this.pending[this.pendingBytes + length] = 0x0a;
      this.pendingBytes += length + 1;
    }
    this.lengths[this.count] = length;
    return this.count++;
  }

  /** Writes buffered rows to the file (reads call it themselves). */
  flush(): void {
    if (this.pendingBytes === 0) return;
    this.writeAt(this.pending.subarray(0, this.pendingBytes), this.written);
    this.written += this.pendingBytes;
    this.pendingBytes = 0;
  }

  private writeAt(bytes: Buffer, position: number): void {
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done, position + done);
  }

  /** Reads row `index` back (parsed, or unpacked). */
  read<T = unknown>(index: number): T {
    return rowBytesObject(this.readView(index), { file: this.path, row: index }) as T;
  }

  /**
   * Reads row `index` back as its bytes (JSON or packed) in a buffer the spool reuses: valid until the next read (for a
   * consumer that copies or parses them at once; no allocation per row).
   */
  readView(index: number): Buffer {
    if (index < 0 || index >= this.count) throw new OptionError(`RowSpool: no row ${index} (size ${this.count})`, { field: "index" });
    if (this.pendingBytes > 0) this.flush();
    const length = this.lengths[index]!;
    if (length > this.readBuffer.length) this.readBuffer = Buffer.alloc(Math.max(length, this.readBuffer.length * 2));
    this.readInto(index, this.readBuffer);
    return this.readBuffer.subarray(0, length);
  }

  private readInto(index: number, target: Buffer): void {
    const length = this.lengths[index]!;
    const position = this.offsets[index]!;
    let got = 0;
    while (got < length) {
      const n = readSync(this.fd, target, got, length - got, position + got);
      if (n === 0) throw new ToolkitError(`RowSpool: ${this.path} ended early at row ${index}`, { code: "invalid_state" });
      got += n;
    }
  }

  /** Reads row `index` back as its bytes (a fresh buffer, not parsed). */
  readBytes(index: number): Buffer {
    return Buffer.from(this.readView(index));
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
