/**
 * @module io/record-range-pool — JSONL files read in parallel: each file is cut into byte ranges at line
 * ends, worker threads read the ranges (`readRange`: parse, adapt, the caller's per-record work) and the
 * results come back in file order with their line numbers fixed up, so what the caller sees is the same
 * whatever the number of threads. Ranges in flight are bounded (memory grows with them, not the file).
 * `inProcessReader` reads the same ranges in the calling thread, for small inputs and one-thread runs.
 */
import { closeSync, fstatSync, openSync } from "node:fs";
import type { Worker } from "node:worker_threads";
import { InputError, ToolkitError } from "../errors.js";
import type { SftFormat } from "./adapters/format.js";
import type { InputIssue } from "./input-issue.js";
import type { RecordRangeWorkerData } from "./record-range-worker.js";
import { rangeEnd, readRange, recycleRangeBuffers, type RangeHandler, type RangeHandlerModule, type RangeResult, type RangeTask } from "./record-ranges.js";
import { moduleUrl, startWorker } from "./start-worker.js";
import { fromWorkerFailure, type WorkerFailure } from "./worker-failure.js";

const WORKER_URL = moduleUrl(import.meta.url, "./record-range-worker");

/** Reads a range somewhere (worker threads or this thread). */
export interface RangeReader<R = unknown> {
  /** How many ranges to keep in flight per file. */
  readonly inFlight: number;
  read(task: RangeTask): Promise<RangeResult<R>>;
  /** Hands back buffers of results the caller is done with, for later ranges' results (see `spareRangeBuffer`). */
  recycle(buffers: ArrayBuffer[]): void;
  close(): Promise<void>;
}

interface Pending {
  resolve: (result: RangeResult) => void;
  reject: (error: Error) => void;
}

/** Worker threads reading ranges; a range goes to the first idle worker. */
export class RecordRangePool implements RangeReader {
  readonly inFlight: number;
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: Array<{ id: number; task: RangeTask }> = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private nextRecycler = 0;
  /** The thread reading each Parquet row group (by file and group), and the thread the next group gets. */
  private readonly groupWorkers = new Map<string, Worker>();
  private nextGroupWorker = 0;
  private failure: Error | undefined;

  /** `inFlight`: ranges to keep in flight per file (each holds a range's results until read). @default 2 × workers */
  constructor(options: { workers: number; handlers: RangeHandlerModule[]; inFlight?: number | undefined }) {
    this.inFlight = options.inFlight ?? options.workers * 2;
    const workerData: RecordRangeWorkerData = { handlers: options.handlers };
    for (let i = 0; i < options.workers; i++) {
      const worker = startWorker(WORKER_URL, workerData);
      worker.on("message", (message: { id: number; result?: RangeResult; failure?: WorkerFailure }) => {
        const waiting = this.pending.get(message.id);
        this.pending.delete(message.id);
        this.dispatch(worker);
        if (!waiting) return;
        const failure = message.failure;
        if (failure === undefined) waiting.resolve(message.result!);
        else waiting.reject(fromWorkerFailure(failure, "reading failed in a worker thread: "));
      });
      worker.on("error", (error) => this.fail(new ToolkitError(`a reader thread failed: ${error.message}`, { code: "worker_failed", cause: error })));
      worker.on("exit", (code) => {
        if (code !== 0) this.fail(new ToolkitError(`a reader thread exited with code ${code}`, { code: "worker_failed" }));
      });
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  read(task: RangeTask): Promise<RangeResult> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<RangeResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (task.rowGroup !== undefined) {
        // A row group's ranges go to one thread, which reads them in order on one stream (io/parquet-ranges);
        // groups take turns over the threads, across files too (files of one group each use every thread).
        const key = `${task.file}\0${task.rowGroup}`;
        let worker = this.groupWorkers.get(key);
        if (worker === undefined) {
          worker = this.workers[this.nextGroupWorker++ % this.workers.length]!;
          this.groupWorkers.set(key, worker);
        }
        worker.postMessage({ id, task });
        return;
      }
      this.waiting.push({ id, task });
      const worker = this.idle.pop();
      if (worker) this.dispatch(worker);
    });
  }

  recycle(buffers: ArrayBuffer[]): void {
    if (this.failure || buffers.length === 0) return;
    // Workers take turns: each keeps a few, and any of them may read the next range.
    const worker = this.workers[this.nextRecycler++ % this.workers.length]!;
    worker.postMessage({ recycle: buffers }, buffers);
  }

  private dispatch(worker: Worker): void {
    const next = this.waiting.shift();
    if (next === undefined) {
      if (!this.idle.includes(worker)) this.idle.push(worker);
      return;
    }
    worker.postMessage(next);
  }

  /** Stops every worker (pending reads are rejected). */
  async close(): Promise<void> {
    this.fail(new ToolkitError("reader pool closed", { code: "invalid_state" }));
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.waiting.length = 0;
    for (const [id, waiting] of this.pending) {
      this.pending.delete(id);
      waiting.reject(error);
    }
  }
}

/** Reads ranges in the calling thread with `handlers` (one range at a time). */
export function inProcessReader<R>(handlers: readonly RangeHandler<R>[]): RangeReader<R> {
  let parquet: import("./parquet-ranges.js").ParquetRangeReader | undefined;
  return {
    inFlight: 1,
    read: async (task) => {
      if (task.rowGroup === undefined) return readRange(task, handlers[task.handler]!).result;
      parquet ??= new (await import("./parquet-ranges.js")).ParquetRangeReader();
      return (await parquet.read(task, handlers[task.handler]!)).result;
    },
    recycle: recycleRangeBuffers,
    close: async () => {
      await parquet?.close();
    },
  };
}

/** One range's results, its issues with file-wide line numbers. */
export interface FileRange<R> {
  /** Added to the range's own line numbers gives the file's. */
  lineBase: number;
  issues: InputIssue[];
  format?: { format: SftFormat; detected: boolean };
  output: R;
}

/** Bytes per range unless asked otherwise, and of the first range of a file whose format is detected. */
export const RANGE_BYTES = 2 << 20;
/**
 * Uncompressed bytes per range of a Parquet file unless asked otherwise: larger, since a row group's ranges
 * are read by one thread in turn and the threads share the work by groups (measured on 200k chat rows:
 * 2 MiB 10.2 s, 8 MiB 9.2 s, 32 MiB 9.0 s with 70 MB more memory).
 */
export const PARQUET_RANGE_BYTES = 8 << 20;
const DETECT_RANGE_BYTES = 256 << 10;

/**
 * The ranges of one JSONL or Parquet file (`.parquet`: ranges of rows, see io/parquet-ranges), read by
 * `reader`, in order. With format `"auto"` the ranges are read one by one until one detects the format (as
 * `readRecords` detects it on the first record that has one); after a line that is not UTF-8 the file ends
 * (its issue is the last).
 */
export async function* readFileRanges<R>({
  reader,
  file,
  label,
  format,
  handler,
  rangeBytes = isParquetFile(file) ? PARQUET_RANGE_BYTES : RANGE_BYTES,
}: {
  reader: RangeReader<R>;
  file: string;
  label: string;
  format: SftFormat | "auto";
  handler: number;
  rangeBytes?: number | undefined;
}): AsyncGenerator<FileRange<R>> {
  const cutter = isParquetFile(file) ? await (await import("./parquet-ranges.js")).parquetRangeCutter(file) : jsonlRangeCutter(file);
  const queue: Array<Promise<RangeResult<R>>> = [];
  try {
    let known = format;
    let lineBase = 0;
    let more = true;
    while (true) {
      while (more && queue.length < reader.inFlight && !(known === "auto" && queue.length > 0)) {
        const range = cutter.next(known === "auto" ? Math.min(rangeBytes, DETECT_RANGE_BYTES) : rangeBytes);
        if (range === undefined) {
          more = false;
          break;
        }
        const read = reader.read({ file, label, ...range, format: known, handler });
        // A range read ahead may fail while an earlier one is awaited: mark it handled now (it is still
        // awaited, and throws, in its turn), or Node reports an unhandled rejection meanwhile.
        read.catch(() => {});
        queue.push(read);
      }
      const next = queue.shift();
      if (next === undefined) return;
      let result: RangeResult<R>;
      try {
        result = await next;
      } catch (error) {
        // A handler's InputError names a line counted from the range's start: name the file's.
        if (!(error instanceof InputError) || error.line === undefined) throw error;
        throw new InputError({ file: error.file, line: error.line + lineBase, field: error.field }, error.reason, { cause: error });
      }
      if (known === "auto" && result.format) known = result.format.format;
      const issues = result.issues.map(({ line, ...issue }) => ({ file, line: line > 0 ? line + lineBase : line, ...issue }));
      yield { lineBase, issues, ...(result.format ? { format: result.format } : {}), output: result.output };
      lineBase += result.lines;
      if (result.stopped) return;
    }
  } finally {
    // Ranges read ahead and not consumed (the file stopped early, or the caller stopped) are dropped.
    cutter.close?.();
  }
}

/** True for a file read in ranges of rows rather than bytes. */
export function isParquetFile(file: string): boolean {
  return file.toLowerCase().endsWith(".parquet");
}

/** Byte ranges of a JSON Lines file, cut at line ends. */
function jsonlRangeCutter(file: string): { next(bytes: number): { start: number; end: number } | undefined; close(): void } {
  const fd = openSync(file, "r");
  const size = fstatSync(fd).size;
  let start = 0;
  return {
    next(bytes) {
      if (start >= size) return undefined;
      const end = rangeEnd(fd, size, start, bytes);
      const range = { start, end };
      start = end;
      return range;
    },
    close: () => closeSync(fd),
  };
}
