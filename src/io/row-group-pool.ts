/**
 * @module io/row-group-pool — worker threads that parse, encode and compress Parquet row groups of JSON rows
 * (see `JsonRow`) while the main thread reads the next rows' bytes. Results come back in submission order, so the file is the same
 * bytes whatever the number of threads. At most `workers` row groups are in flight: memory grows by about
 * that many row groups, not with the input.
 */
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import type { CompressionCodec, SchemaElement } from "hyparquet";
import { ConfigError, InputError, ToolkitError } from "../errors.js";
import type { ColumnSpec } from "./column-spec.js";
import type { CodecOptions } from "./parquet-codecs.js";
import type { EncodedRowGroup } from "./row-group-encode.js";
import { moduleUrl, startWorker } from "./start-worker.js";
import type { RowGroupFailure, RowGroupTask, RowGroupWorkerData } from "./row-group-worker.js";

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
      worker.on("message", (message: { id: number; encoded?: EncodedRowGroup; failure?: RowGroupFailure }) => {
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (!waiting) return;
        const failure = message.failure;
        if (failure === undefined) waiting.resolve(message.encoded!);
        else if (failure.location && failure.reason !== undefined) waiting.reject(new InputError(failure.location, failure.reason));
        else waiting.reject(new ToolkitError(failure.message, { code: "worker_failed" }));
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
      const message: RowGroupTask = { id, ...task };
      worker.postMessage(message, [task.bytes.buffer as ArrayBuffer, task.ends.buffer as ArrayBuffer, task.textBytes.buffer as ArrayBuffer]);
    });
  }

  /** Stops every worker (pending encodes are rejected). */
  async close(): Promise<void> {
    this.fail(new ToolkitError("row-group pool closed", { code: "invalid_state" }));
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const [id, waiting] of this.pending) {
      this.pending.delete(id);
      waiting.reject(error);
    }
  }
}
