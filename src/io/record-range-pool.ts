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
  return {
    inFlight: 1,
    read: async (task) => readRange(task, handlers[task.handler]!).result,
    recycle: recycleRangeBuffers,
    close: async () => {},
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
const DETECT_RANGE_BYTES = 256 << 10;

/**
 * The ranges of one JSONL file, read by `reader`, in order. With format `"auto"` the ranges are read one
 * by one until one detects the format (as `readRecords` detects it on the first record that has one);
 * after a line that is not UTF-8 the file ends (its issue is the last).
 */
export async function* readFileRanges<R>({
  reader,
  file,
  label,
  format,
  handler,
  rangeBytes = RANGE_BYTES,
}: {
  reader: RangeReader<R>;
  file: string;
  label: string;
  format: SftFormat | "auto";
  handler: number;
  rangeBytes?: number | undefined;
}): AsyncGenerator<FileRange<R>> {
  const fd = openSync(file, "r");
  const queue: Array<Promise<RangeResult<R>>> = [];
  try {
    const size = fstatSync(fd).size;
    let known = format;
    let start = 0;
    let lineBase = 0;
    while (true) {
      while (start < size && queue.length < reader.inFlight && !(known === "auto" && queue.length > 0)) {
        const end = rangeEnd(fd, size, start, known === "auto" ? Math.min(rangeBytes, DETECT_RANGE_BYTES) : rangeBytes);
        const read = reader.read({ file, label, start, end, format: known, handler });
        // A range read ahead may fail while an earlier one is awaited: mark it handled now (it is still
        // awaited, and throws, in its turn), or Node reports an unhandled rejection meanwhile.
        read.catch(() => {});
        queue.push(read);
        start = end;
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
    closeSync(fd);
  }
}
