/**
 * @module util/map-ordered — maps an async stream through an async function with up to `window` items in
 * flight, yielding results in input order (so output files line up with input files and memory stays
 * bounded). The first rejection stops the stream and is rethrown after in-flight work settles.
 */
import { OptionError } from "../errors.js";

/**
 * @example for await (const judged of mapOrdered({ source: candidates, window: 16, map: judgeOne })) write(judged);
 */
export async function* mapOrdered<T, R>({
  source,
  map,
  window,
}: {
  source: AsyncIterable<T> | Iterable<T>;
  map: (item: T, index: number) => Promise<R>;
  /** Items in flight at once. */
  window: number;
}): AsyncGenerator<R> {
  if (!Number.isInteger(window) || window < 1) throw new OptionError(`window must be a positive integer, got ${window}`, { field: "window" });
  const queue: Array<Promise<R>> = [];
  let index = 0;
  try {
    for await (const item of source as AsyncIterable<T>) {
      const promise = map(item, index++);
      promise.catch(() => undefined); // observed below; avoid an unhandled rejection while queued
      queue.push(promise);
      if (queue.length >= window) yield await queue.shift()!;
    }
    while (queue.length > 0) yield await queue.shift()!;
  } finally {
    // Let in-flight work settle (journal appends finish) before the caller sees the error or stops.
    await Promise.allSettled(queue);
  }
}
