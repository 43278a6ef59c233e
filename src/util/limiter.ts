/**
 * @module util/limiter — run at most N async tasks at once. Waiting tasks start in arrival order, unless
 * they carry a priority: then the highest priority starts first (ties in arrival order). A priority may be
 * a function, read each time a slot frees, so a caller can re-rank tasks that are already waiting.
 */
import { OptionError } from "../errors.js";

/** A task's rank among waiting tasks: higher starts first; a function is read when a slot frees. */
export type LimiterPriority = number | (() => number);

export interface Limiter {
  /** Runs `task` when a slot is free; resolves or rejects with the task's outcome. */
  run<T>(task: () => Promise<T>, options?: { priority?: LimiterPriority | undefined }): Promise<T>;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a slot. */
  readonly pending: number;
}

interface Waiting {
  start: () => void;
  priority: LimiterPriority | undefined;
}

/**
 * Creates a concurrency limiter (first in, first out for tasks without a priority).
 * @example const limit = createLimiter({ concurrency: 8 }); await limit.run(() => fetch(url));
 * @example await limit.run(() => call(), { priority: () => callsLeft }); // most work left goes first
 */
export function createLimiter({ concurrency }: { concurrency: number }): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new OptionError(`concurrency must be a positive integer, got ${concurrency}`, { field: "concurrency" });
  }
  let active = 0;
  /** In arrival order. */
  const queue: Waiting[] = [];
  /** Waiting tasks that carry a priority (while 0, the queue is plain FIFO). */
  let ranked = 0;

  /** Index of the waiting task to start next: highest priority, earliest arrival among equals. */
  const pickNext = (): number => {
    if (ranked === 0) return 0;
    let best = 0;
    let bestRank = rankOf(queue[0]!.priority);
    for (let i = 1; i < queue.length; i += 1) {
      const rank = rankOf(queue[i]!.priority);
      if (rank > bestRank) {
        best = i;
        bestRank = rank;
      }
    }
    return best;
  };

  const startNext = (): void => {
    const index = pickNext();
    const [next] = index === 0 ? [queue.shift()!] : queue.splice(index, 1);
    if (next!.priority !== undefined) ranked -= 1;
    next!.start();
  };
  /** A ranked choice is pending: the freed slots are handed out once the current callbacks have run. */
  let choosing = false;
  const choose = (): void => {
    choosing = false;
    while (active < concurrency && queue.length > 0) startNext();
  };
  const release = (): void => {
    active -= 1;
    if (queue.length === 0) return;
    if (ranked === 0) {
      startNext();
      return;
    }
    // With priorities, the task that just finished usually queues its follow-up in the promise callbacks
    // its result triggers (the next section of the same instruction): choose once those have run (a
    // nextTick queued from a promise callback runs when the microtask queue is empty), so the follow-up
    // competes for the slot instead of always losing it to whoever was already waiting. Not setImmediate:
    // that waits for every other I/O callback of the loop turn (a burst of 32 answers) before any slot is
    // handed out.
    if (!choosing) {
      choosing = true;
      process.nextTick(choose);
    }
  };

  return {
    run<T>(task: () => Promise<T>, options: { priority?: LimiterPriority | undefined } = {}): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const start = (): void => {
          active += 1;
          let promise: Promise<T>;
          try {
            promise = task();
          } catch (error) {
            promise = Promise.reject(error);
          }
          promise.then(resolve, reject).finally(release);
        };
        if (active < concurrency && !choosing) start();
        else {
          queue.push({ start, priority: options.priority });
          if (options.priority !== undefined) ranked += 1;
        }
      });
    },
    get active() {
      return active;
    },
    get pending() {
      return queue.length;
    },
  };
}

/** Tasks without a priority rank 0; a priority function that throws or gives NaN ranks last (the queue never stalls). */
function rankOf(priority: LimiterPriority | undefined): number {
  let value: number;
  try {
    value = typeof priority === "function" ? priority() : (priority ?? 0);
  } catch {
    return Number.NEGATIVE_INFINITY;
  }
  return Number.isNaN(value) ? Number.NEGATIVE_INFINITY : value;
}
