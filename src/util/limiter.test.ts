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

  it("starts waiting tasks by priority, highest first, ties and unranked tasks in arrival order", async () => {
    const limit = createLimiter({ concurrency: 1 });
    const started: string[] = [];
    let release!: () => void;
    const blocker = limit.run(() => new Promise<void>((resolve) => (release = resolve)));
    const task = (name: string) => async () => {
      started.push(name);
    };
    let rising = 0;
    const runs = [
      limit.run(task("none-1")),
      limit.run(task("two"), { priority: 2 }),
      limit.run(task("rising"), { priority: () => rising }),
      limit.run(task("five-a"), { priority: 5 }),
      limit.run(task("broken"), {
        priority: () => {
          throw new Error("bad priority");
        },
      }),
      limit.run(task("five-b"), { priority: 5 }),
      limit.run(task("minus"), { priority: -1 }),
      limit.run(task("none-2")),
    ];
    expect(limit.pending).toBe(8);
    rising = 9; // read when a slot frees, not when the task was queued
    release();
    await Promise.all([blocker, ...runs]);
    expect(started).toEqual(["rising", "five-a", "five-b", "two", "none-1", "none-2", "minus", "broken"]);
    expect(limit.pending).toBe(0);
    expect(limit.active).toBe(0);
  });

  it("lets a ranked follow-up queued by a finishing task compete for the slot it frees", async () => {
    // Two chains of calls share one slot: each link queues the next from its own continuation. Chain "a"
    // ranks higher, so once it is queued first it must keep the slot, link after link, instead of
    // alternating with "b" (which is always already waiting when "a"'s link finishes).
    const limit = createLimiter({ concurrency: 1 });
    const order: string[] = [];
    const chain = async (name: string, priority: number, links: number): Promise<void> => {
      for (let i = 0; i < links; i += 1) {
        await limit.run(
          async () => {
            order.push(`${name}${i}`);
            await new Promise((r) => setTimeout(r, 1));
          },
          { priority },
        );
        // The caller's own steps before it asks again (a real client passes its answer through several awaits).
        for (let hop = 0; hop < 10; hop += 1) await Promise.resolve();
      }
    };
    await Promise.all([chain("a", 2, 3), chain("b", 1, 3)]);
    expect(order).toEqual(["a0", "a1", "a2", "b0", "b1", "b2"]);
  });

  it("keeps plain first-in-first-out order, with no deferral, when no task has a priority", async () => {
    const limit = createLimiter({ concurrency: 1 });
    const order: string[] = [];
    const chain = async (name: string, links: number): Promise<void> => {
      for (let i = 0; i < links; i += 1) {
        await limit.run(async () => {
          order.push(`${name}${i}`);
          await new Promise((r) => setTimeout(r, 1));
        });
      }
    };
    await Promise.all([chain("a", 2), chain("b", 2)]);
    expect(order).toEqual(["a0", "b0", "a1", "b1"]);
  });
});
