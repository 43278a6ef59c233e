/** @module util/limiter — run at most N async tasks at once, starting waiting tasks in arrival order. */
import { OptionError } from "../errors.js";

export interface Limiter {
  /** Runs `task` when a slot is free; resolves or rejects with the task's outcome. */
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a slot. */
  readonly pending: number;
}

/**
 * Creates a FIFO concurrency limiter.
 * @example const limit = createLimiter({ concurrency: 8 }); await limit.run(() => fetch(url));
 */
export function createLimiter({ concurrency }: { concurrency: number }): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new OptionError(`concurrency must be a positive integer, got ${concurrency}`, { field: "concurrency" });
  }
  let active = 0;
  const queue: Array<() => void> = [];

  const release = (): void => {
    active -= 1;
    const next = queue.shift();
    if (next) next();
  };

  return {
    run<T>(task: () => Promise<T>): Promise<T> {
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
        if (active < concurrency) start();
        else queue.push(start);
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
