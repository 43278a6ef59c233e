/**
 * @module io/worker-failure — how a worker thread reports an error to its pool. Errors do not survive
 * `postMessage` as themselves, so a worker sends a plain description: an InputError's location and reason
 * (the pool rebuilds the InputError, and the caller still sees file, line and field), else the message and,
 * for a toolkit error, its code (a caller may act on it, e.g. start again with other columns).
 */
import { InputError, ToolkitError } from "../errors.js";

/** An error as a worker sends it back. */
export interface WorkerFailure {
  message: string;
  /** A toolkit error's code. */
  code?: string;
  location?: { file: string; line?: number; field?: string };
  reason?: string;
}

/** What a worker sends for `error`. */
export function toWorkerFailure(error: unknown): WorkerFailure {
  if (!(error instanceof InputError)) {
    return { message: error instanceof Error ? error.message : String(error), ...(ToolkitError.isInstance(error) ? { code: error.code } : {}) };
  }
  return {
    message: error.message,
    location: {
      file: error.file,
      ...(error.line !== undefined ? { line: error.line } : {}),
      ...(error.field !== undefined ? { field: error.field } : {}),
    },
    reason: error.reason,
  };
}

/**
 * The error the pool raises for a worker's failure: the InputError again, or a toolkit error whose message
 * starts with `prefix`, with the worker's error code (`worker_failed` when it had none).
 */
export function fromWorkerFailure(failure: WorkerFailure, prefix = ""): Error {
  if (failure.location && failure.reason !== undefined) return new InputError(failure.location, failure.reason);
  return new ToolkitError(`${prefix}${failure.message}`, { code: failure.code ?? "worker_failed" });
}
