/**
 * @module io/json-row-batch — one row group's rows as JSON text, collected back to back in a single growing
 * buffer (no buffer per row, no concatenation at the end), with where each row ends, its declared text size
 * and its overrides. The finished batch goes to a row-group worker: its bytes in a `SharedArrayBuffer` the
 * worker already holds (see io/row-group-pool), or transferred (not copied).
 *
 * A row is either a JSON object keyed by column name (a `JsonRow`, parsed and encoded by the worker) or, for
 * rows the calling thread has already encoded and checked, the JSON array of its encoded cells (`cells`).
 */
import type { ColumnSpec } from "./column-spec.js";

/** Largest buffer a batch starts with (a bigger group grows it). */
const MAX_FIRST_CAPACITY = 128 << 20;

/** The transferable form of a batch (what a worker gets). */
export interface JsonRowBatchData {
  bytes: Uint8Array;
  ends: Uint32Array;
  textBytes: Float64Array;
  /** 1 where the row's JSON is the array of its encoded cells, 0 where it is a JSON object. */
  cells: Uint8Array;
  overrides: Array<[number, Record<string, unknown>]>;
}

export class JsonRowBatch {
  private bytes: Buffer;
  private readonly allocate: (bytes: number) => Buffer;
  private used = 0;
  private ends = new Uint32Array(256);
  private sizes = new Float64Array(256);
  private kinds = new Uint8Array(256);
  private overrides: Array<[number, Record<string, unknown>]> = [];
  private count = 0;

  /**
   * @param expectedBytes about how many bytes of JSON the batch will hold: its buffer is allocated once at
   *   that size (untouched pages cost nothing) instead of growing, as first writes to fresh memory are slow
   * @param reuse a buffer to write into instead (e.g. one a worker has finished with); used if large enough
   * @param allocate where a new buffer comes from (e.g. `RowGroupPool.allocateShared`); by default a Buffer
   */
  constructor(expectedBytes: number, reuse?: ArrayBufferLike, allocate?: (bytes: number) => ArrayBufferLike) {
    const capacity = Math.min(MAX_FIRST_CAPACITY, Math.max(1 << 16, Math.ceil(expectedBytes)));
    this.allocate = allocate ? (bytes) => Buffer.from(allocate(bytes)) : (bytes) => Buffer.allocUnsafe(bytes);
    this.bytes = reuse && reuse.byteLength >= capacity ? Buffer.from(reuse) : this.allocate(capacity);
  }

  /** Rows in the batch. */
  get rows(): number {
    return this.count;
  }

  /** Bytes of JSON in the batch. */
  get byteLength(): number {
    return this.used;
  }

  /** Adds a row given as the UTF-8 bytes of a JSON object (copied: `json` may be reused afterwards). */
  addObjectBytes(json: Uint8Array, textBytes: number, overrides?: Record<string, unknown>): void {
    this.reserve(json.byteLength);
    this.bytes.set(json, this.used);
    this.used += json.byteLength;
    this.endRow(textBytes, 0, overrides);
  }

  /** Adds a row the caller encoded and checked already, as the JSON of its cells (see `cellsAreJsonSafe`). */
  addCells(cells: readonly unknown[], textBytes: number): void {
    const json = JSON.stringify(cells);
    // A UTF-16 code unit takes at most 3 UTF-8 bytes: room for the worst case, then encode in place.
    this.reserve(json.length * 3);
    this.used += this.bytes.write(json, this.used, "utf8");
    this.endRow(textBytes, 1, undefined);
  }

  /** Where each row starts and ends, for reading the rows back on this thread. */
  forEachRow(visit: (json: Uint8Array, textBytes: number, isCells: boolean, overrides: Record<string, unknown> | undefined) => void): void {
    const overrides = new Map(this.overrides);
    let start = 0;
    for (let r = 0; r < this.count; r++) {
      const end = this.ends[r]!;
      visit(this.bytes.subarray(start, end), this.sizes[r]!, this.kinds[r] === 1, overrides.get(r));
      start = end;
    }
  }

  /** The batch as transferable arrays (the batch must not be used afterwards). */
  take(): JsonRowBatchData {
    return {
      bytes: new Uint8Array(this.bytes.buffer, this.bytes.byteOffset, this.used),
      ends: this.ends.slice(0, this.count),
      textBytes: this.sizes.slice(0, this.count),
      cells: this.kinds.slice(0, this.count),
      overrides: this.overrides,
    };
  }

  private endRow(textBytes: number, kind: number, overrides: Record<string, unknown> | undefined): void {
    if (this.count === this.ends.length) {
      const grow = <T extends Uint32Array | Float64Array | Uint8Array>(from: T, to: T): T => {
        to.set(from);
        return to;
      };
      this.ends = grow(this.ends, new Uint32Array(this.count * 2));
      this.sizes = grow(this.sizes, new Float64Array(this.count * 2));
      this.kinds = grow(this.kinds, new Uint8Array(this.count * 2));
    }
    if (overrides) this.overrides.push([this.count, overrides]);
    this.ends[this.count] = this.used;
    this.sizes[this.count] = textBytes;
    this.kinds[this.count] = kind;
    this.count += 1;
  }

  private reserve(extra: number): void {
    const needed = this.used + extra;
    if (needed <= this.bytes.length) return;
    // Grow by half: a 48 MB group ends in a buffer at most ~1.5× its size, with few copies on the way.
    const grown = this.allocate(Math.max(needed, Math.floor(this.bytes.length * 1.5)));
    this.bytes.copy(grown, 0, 0, this.used);
    this.bytes = grown;
  }
}

/**
 * Whether a row's encoded cells survive JSON unchanged (so a worker can take them as JSON): no int64
 * column (bigints), and no double that JSON cannot hold exactly (NaN, ±Infinity, -0).
 */
export function cellsAreJsonSafe(columns: readonly ColumnSpec[], cells: readonly unknown[]): boolean {
  for (let c = 0; c < columns.length; c++) {
    const type = columns[c]!.type;
    if (type === "int64") return false;
    if (type === "double") {
      const value = cells[c];
      if (typeof value === "number" && (!Number.isFinite(value) || Object.is(value, -0))) return false;
    }
  }
  return true;
}
