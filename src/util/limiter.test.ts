import { describe, expect, it } from "vitest";
import { createLimiter } from "./limiter.js";

describe("createLimiter", () => {
  it("runs at most N tasks at once, in arrival order, and passes results and rejections through", async () => {
    const limit = createLimiter({ concurrency: 2 });
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    const task = (i: number) => async () => {
      started.push(i);
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running -= 1;
      if (i === 3) throw new Error("boom 3");
      return i * 10;
    };
    const results = await Promise.allSettled([0, 1, 2, 3, 4].map((i) => limit.run(task(i))));
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).toEqual([0, 10, 20, "boom 3", 40]);
    expect(limit.active).toBe(0);
  });

  it("survives a task that throws synchronously and rejects bad sizes", async () => {
    const limit = createLimiter({ concurrency: 1 });
    await expect(
      limit.run(() => {
        throw new Error("sync");
      }),
    ).rejects.toThrow("sync");
    await expect(limit.run(async () => 1)).resolves.toBe(1);
    expect(() => createLimiter({ concurrency: 0 })).toThrow(RangeError);
  });
});
