/**
 * @module io/row-group-pool — worker threads that parse, encode and compress Parquet row groups of JSON rows
 * (see `JsonRow`, `JsonRowBatch`) while the main thread reads the next rows' bytes. Results come back in
 * submission order, so the file is the same bytes whatever the number of threads. The writer decides how
 * many groups are in flight (`maxBytesInFlight`); a worker hands each group's buffer back with the encoded
 * group, to be written into again.
 *
 * A group's rows are best written into a `SharedArrayBuffer` from `allocateShared`: a worker is sent such a
 * buffer once and then only its number (both sides keep the same `RecentSlots`), so no memory moves between
 * the threads per group. Moving ~50 MB of rows and back per group (transferred ArrayBuffers) counts as
 * external memory coming and going on both threads, and V8 answered each such swing with a full garbage
 * collection: about one per row group on the main thread of a full-size mix.
 */
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import type { CompressionCodec, SchemaElement } from "hyparquet";
import { ConfigError, ToolkitError } from "../errors.js";
import type { ColumnSpec } from "./column-spec.js";
import type { CodecOptions } from "./parquet-codecs.js";
import type { EncodedRowGroup } from "./row-group-encode.js";
import { moduleUrl, startWorker } from "./start-worker.js";
import { RecentSlots } from "./recent-slots.js";
import type { RowGroupReply, RowGroupTask, RowGroupWorkerData } from "./row-group-worker.js";
import type { JsonRowBatchData } from "./json-row-batch.js";
import { fromWorkerFailure, type WorkerFailure } from "./worker-failure.js";

/** Threads to use when none are asked for: every core. */
export function defaultThreads(): number {
  return availableParallelism();
}

/** Checks a `threads` option (a positive integer); returns the default when it is undefined. */
export function resolveThreads(threads: number | undefined, label = "threads"): number {
  if (threads === undefined) return defaultThreads();
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) throw new ConfigError(`${label} must be an integer from 1 to 256, got ${threads}`);
  return threads;
}

const WORKER_URL = moduleUrl(import.meta.url, "./row-group-worker");

interface Pending {
  resolve: (encoded: EncodedRowGroup) => void;
  reject: (error: Error) => void;
  /** The shared buffer the group's rows are in, free again once the worker answers. */
  shared: SharedArrayBuffer | undefined;
}

/** A row group for a worker: its rows (`JsonRowBatch.take()`), the number of its first row and the output's name. */
export interface RowGroupInput extends JsonRowBatchData {
  firstRow: number;
  label: string;
}

/** A fixed set of row-group encoders for one file layout (schema, codec, page size). */
export class RowGroupPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private nextWorker = 0;
  private failure: Error | undefined;
  /** Buffers workers have finished groups from, and the groups whose buffer a worker still holds. */
  private readonly spare: ArrayBufferLike[] = [];
  private readonly reading = new Set<number>();
  private spareWaiters: Array<() => void> = [];
  /** Numbers of the shared buffers groups were written into, and per worker the ones it holds. */
  private readonly sharedIds = new WeakMap<SharedArrayBuffer, number>();
  private nextSharedId = 0;
  private readonly heldByWorker: Array<RecentSlots<true>> = [];

  constructor(options: {
    workers: number;
    columns: readonly ColumnSpec[];
    schema: SchemaElement[];
    codec: CompressionCodec;
    codecOptions: CodecOptions;
    pageBytes: number;
  }) {
    const workerData: RowGroupWorkerData = {
      columns: options.columns.map((column) => ({ ...column })),
      schema: options.schema,
      codec: options.codec,
      codecOptions: {
        zstdLevel: options.codecOptions.zstdLevel,
        gzipLevel: options.codecOptions.gzipLevel,
      },
      pageBytes: options.pageBytes,
      // Every buffer in use (at most workers + 1, see spareBuffer) and one to spare.
      sharedSlots: options.workers + 2,
    };
    for (let i = 0; i < options.workers; i++) {
      const worker = startWorker(WORKER_URL, workerData);
      this.heldByWorker.push(new RecentSlots<true>(workerData.sharedSlots));
      worker.on("message", (message: RowGroupReply) => {
        this.reading.delete(message.id);
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
        const spent = message.spent ?? waiting?.shared;
        if (spent) this.spare.push(spent);
        this.wakeSpareWaiters();
        if (!waiting) return;
        const failure = message.failure;
        if (failure === undefined) waiting.resolve(message.encoded!);
        else waiting.reject(fromWorkerFailure(failure));
      });
      worker.on("error", (error) => this.fail(error));
      worker.on("exit", (code) => {
        if (code !== 0) this.fail(new ToolkitError(`row-group worker exited with code ${code}`, { code: "worker_failed" }));
      });
      this.workers.push(worker);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** A buffer to write a group's rows into (see the module comment), filled with zeros. */
  readonly allocateShared = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(bytes);

  /**
   * Parses and encodes a row group of JSON rows on the next worker (round robin). Rows in a shared buffer
   * stay there (the worker gets the buffer itself only when it may not hold it yet); other rows' buffer is
   * transferred.
   */
  encode(input: RowGroupInput): Promise<EncodedRowGroup> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const index = this.nextWorker;
    this.nextWorker = (this.nextWorker + 1) % this.workers.length;
    const { bytes, ...rest } = input;
    const shared = bytes.buffer instanceof SharedArrayBuffer ? bytes.buffer : undefined;
    const message: RowGroupTask = { id, ...rest };
    const transfer = [input.ends.buffer, input.textBytes.buffer, input.cells.buffer] as ArrayBuffer[];
    if (shared) {
      const slot = this.sharedIdOf(shared);
      const held = this.heldByWorker[index]!;
      const known = held.use(slot) !== undefined;
      if (!known) held.keep(slot, true);
      message.shared = { slot, buffer: known ? undefined : shared, byteOffset: bytes.byteOffset, byteLength: bytes.byteLength };
    } else {
      message.bytes = bytes;
      transfer.push(bytes.buffer as ArrayBuffer);
    }
    return new Promise<EncodedRowGroup>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, shared });
      this.reading.add(id);
      this.workers[index]!.postMessage(message, transfer);
    });
  }

  private sharedIdOf(buffer: SharedArrayBuffer): number {
    let slot = this.sharedIds.get(buffer);
    if (slot === undefined) this.sharedIds.set(buffer, (slot = this.nextSharedId++));
    return slot;
  }

  /**
   * Hands the buffers of a row group written out back to a worker, to encode the next groups into (rather
   * than leaving them to this thread's garbage collector while the worker allocates fresh ones).
   */
  recycle(buffers: ArrayBuffer[]): void {
    if (this.failure || buffers.length === 0) return;
    this.workers[this.nextWorker]!.postMessage({ recycle: buffers }, buffers);
  }

  /**
   * A buffer a worker has finished a group from, to write the next group's rows into (memory written once is
   * much cheaper to write again than fresh memory): undefined (allocate one) while fewer groups than workers
   * are out, so every worker can have one while this thread fills the next; else waits for one to come back.
   * So at most workers + 1 buffers are in use.
   */
  async spareBuffer(): Promise<ArrayBufferLike | undefined> {
    while (this.spare.length === 0 && this.reading.size >= this.workers.length && !this.failure) {
      await new Promise<void>((resolve) => this.spareWaiters.push(resolve));
    }
    return this.spare.pop();
  }

  private wakeSpareWaiters(): void {
    const waiters = this.spareWaiters;
    this.spareWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Stops every worker (pending encodes are rejected). */
  async close(): Promise<void> {
    this.fail(new ToolkitError("row-group pool closed", { code: "invalid_state" }));
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.wakeSpareWaiters();
    for (const [id, waiting] of this.pending) {
      this.pending.delete(id);
      waiting.reject(error);
    }
  }
}
