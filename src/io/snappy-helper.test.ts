import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { seededRandom } from "../../test/helpers/openai-server.js";
import { createSnappyCompressor } from "./snappy-compressor.js";
import { acquireSnappyHelper, HELPER_STATE, readySnappyHelper, SnappyHelper, type SnappyHelperShared, warmUpText } from "./snappy-helper.js";

/** Pages of chat-like text, `count` of them, of sizes up to `maxBytes`. */
function pages(count: number, maxBytes: number, seed: number): Uint8Array[] {
  const next = seededRandom(seed);
  const warm = warmUpText();
  return Array.from({ length: count }, () => {
    const start = Math.floor(next() * (warm.length - maxBytes));
    return warm.slice(start, start + 1 + Math.floor(next() * maxBytes));
  });
}

/** Waits (polling, as the encoder checks it) until `ready()` holds, or fails after `ms`. */
async function until(ready: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error("the helper thread did not get ready");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A helper thread that says it is ready and then never compresses anything. */
function stalledThread(shared: SnappyHelperShared): Worker {
  const code = `const { workerData } = require("node:worker_threads");
    const state = new Int32Array(workerData.control);
    Atomics.store(state, ${HELPER_STATE.helper}, ${HELPER_STATE.ready});
    setInterval(() => {}, 1000);`;
  return new Worker(code, { eval: true, workerData: shared });
}

const stopping: SnappyHelper[] = [];
afterEach(() => {
  for (const helper of stopping.splice(0)) helper.stop();
});

describe("SnappyHelper", () => {
  const reference = createSnappyCompressor();

  it("compresses pages to the bytes this thread's compressor gives, its slots in turn", async () => {
    const helper = new SnappyHelper();
    stopping.push(helper);
    await until(() => helper.ready);
    const input = pages(25, 300_000, 1);
    // Up to all slots in flight, finished in the order started, as the chunk writer does.
    for (let i = 0; i < input.length; i += helper.slots) {
      const batch = input.slice(i, i + helper.slots);
      const slots = batch.map((page) => {
        helper.input(page.length).set(page);
        return helper.start(page.length);
      });
      batch.forEach((page, k) => {
        expect(Buffer.from(helper.finish(slots[k]!)).equals(Buffer.from(reference(page)))).toBe(true);
      });
    }
    expect(helper.ready).toBe(true);
  });

  it("compresses a page here when the thread fails to start, and is never ready", async () => {
    const helper = new SnappyHelper({ startThread: (shared) => new Worker("throw new Error('no');", { eval: true, workerData: shared }) });
    stopping.push(helper);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(helper.ready).toBe(false);
    const [page] = pages(1, 50_000, 2);
    helper.input(page!.length).set(page!);
    const slot = helper.start(page!.length);
    expect(helper.done(slot)).toBe(true);
    expect(Buffer.from(helper.finish(slot)).equals(Buffer.from(reference(page!)))).toBe(true);
  });

  it("compresses the page here when the thread stalls, and takes no more pages", async () => {
    const helper = new SnappyHelper({ startThread: stalledThread, pageWaitMs: 200 });
    stopping.push(helper);
    await until(() => helper.ready);
    const [first, second] = pages(2, 50_000, 3);
    helper.input(first!.length).set(first!);
    const slot = helper.start(first!.length);
    expect(helper.done(slot)).toBe(false);
    const started = Date.now();
    expect(Buffer.from(helper.finish(slot)).equals(Buffer.from(reference(first!)))).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(helper.ready).toBe(false);
    // Later pages are compressed here at once.
    helper.input(second!.length).set(second!);
    const next = helper.start(second!.length);
    expect(helper.done(next)).toBe(true);
    expect(Buffer.from(helper.finish(next)).equals(Buffer.from(reference(second!)))).toBe(true);
  });
});

describe("acquireSnappyHelper", () => {
  it("keeps one helper while anyone needs it, and stops it after the last release", async () => {
    expect(readySnappyHelper()).toBeUndefined();
    const releaseFirst = acquireSnappyHelper();
    const releaseSecond = acquireSnappyHelper();
    await until(() => readySnappyHelper() !== undefined);
    const helper = readySnappyHelper();
    releaseFirst();
    releaseFirst(); // twice is once
    expect(readySnappyHelper()).toBe(helper);
    releaseSecond();
    expect(readySnappyHelper()).toBeUndefined();
  });
});
