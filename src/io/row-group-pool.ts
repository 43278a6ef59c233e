/**
 * @module io/row-group-pool — worker threads that parse, encode and compress Parquet row groups of JSON rows
 * (see `JsonRow`, `JsonRowBatch`) while the main thread reads the next rows' bytes. Results come back in
 * submission order, so the file is the same bytes whatever the number of threads. The writer decides how
 * many groups are in flight (`maxBytesInFlight`); a worker hands each group's buffer back with the encoded
 * group, to be written into again.
 */
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import type { CompressionCodec, SchemaElement } from "hyparquet";
import { ConfigError, ToolkitError } from "../errors.js";
import type { ColumnSpec } from "./column-spec.js";
import type { CodecOptions } from "./parquet-codecs.js";
import type { EncodedRowGroup } from "./row-group-encode.js";
import { moduleUrl, startWorker } from "./start-worker.js";
import type { RowGroupTask, RowGroupWorkerData } from "./row-group-worker.js";
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
}

/** A fixed set of row-group encoders for one file layout (schema, codec, page size). */
export class RowGroupPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private nextWorker = 0;
  private failure: Error | undefined;
  /** Buffers workers have finished groups from, and the groups whose buffer a worker still holds. */
  private readonly spare: ArrayBuffer[] = [];
  private readonly reading = new Set<number>();
  private spareWaiters: Array<() => void> = [];

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
    };
    for (let i = 0; i < options.workers; i++) {
      const worker = startWorker(WORKER_URL, workerData);
      worker.on("message", (message: { id: number; encoded?: EncodedRowGroup; failure?: WorkerFailure; spent?: ArrayBuffer }) => {
        this.reading.delete(message.id);
        if (message.spent) this.spare.push(message.spent);
        this.wakeSpareWaiters();
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
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

  /** Parses and encodes a row group of JSON rows on the next worker (round robin); `task.id` is set here. */
  encode(task: Omit<RowGroupTask, "id">): Promise<EncodedRowGroup> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const worker = this.workers[this.nextWorker]!;
    this.nextWorker = (this.nextWorker + 1) % this.workers.length;
    return new Promise<EncodedRowGroup>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.reading.add(id);
      const message: RowGroupTask = { id, ...task };
      const buffers = [task.bytes.buffer, task.ends.buffer, task.textBytes.buffer, task.cells.buffer] as ArrayBuffer[];
      worker.postMessage(message, buffers);
    });
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
  async spareBuffer(): Promise<ArrayBuffer | undefined> {
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
