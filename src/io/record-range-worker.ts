/**
 * @module io/record-range-worker — the worker-thread side of `RecordRangePool`: reads the ranges it is sent
 * (`readRange`) with the handler the task names (loaded once from its module), one at a time, and sends the
 * results back with their buffers transferred; buffers the caller hands back are kept for later results
 * (`recycleRangeBuffers`). An error is sent back as its message, with the InputError
 * location if any.
 */
import { parentPort, workerData } from "node:worker_threads";
import { readRange, recycleRangeBuffers, type RangeHandler, type RangeHandlerModule, type RangeTask } from "./record-ranges.js";
import { toWorkerFailure } from "./worker-failure.js";

export interface RecordRangeWorkerData {
  handlers: RangeHandlerModule[];
}

const port = parentPort;
if (port) {
  const setup = workerData as RecordRangeWorkerData;
  const handlers = new Map<number, Promise<RangeHandler>>();
  const handlerFor = (index: number): Promise<RangeHandler> => {
    let handler = handlers.get(index);
    if (handler === undefined) {
      const module = setup.handlers[index]!;
      handler = import(module.url).then((loaded: { createRangeHandler(options: unknown): RangeHandler }) => loaded.createRangeHandler(module.options));
      handlers.set(index, handler);
    }
    return handler;
  };
  /** Parquet ranges, read on this thread's own streams (kept open from one range of a group to the next). */
  let parquet: import("./parquet-ranges.js").ParquetRangeReader | undefined;
  let queue = Promise.resolve();
  port.on("message", (message: { id: number; task: RangeTask } | { recycle: ArrayBuffer[] }) => {
    if ("recycle" in message) {
      recycleRangeBuffers(message.recycle);
      return;
    }
    const { id, task } = message;
    queue = queue.then(async () => {
      try {
        const handler = await handlerFor(task.handler);
        if (task.rowGroup !== undefined) parquet ??= new (await import("./parquet-ranges.js")).ParquetRangeReader();
        const { result, transfer } = task.rowGroup === undefined ? readRange(task, handler) : await parquet!.read(task, handler);
        port.postMessage({ id, result }, transfer);
      } catch (error) {
        port.postMessage({ id, failure: toWorkerFailure(error) });
      }
    });
  });
}
