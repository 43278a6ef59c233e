import { describe, expect, it } from "vitest";
import { mapOrdered } from "./map-ordered.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("mapOrdered", () => {
  it("keeps input order while running up to `window` at once", async () => {
    let active = 0;
    let peak = 0;
    const out: number[] = [];
    for await (const v of mapOrdered({
      source: [5, 1, 4, 2, 3, 0],
      window: 3,
      map: async (x) => {
        active++;
        peak = Math.max(peak, active);
        await sleep(x * 3);
        active--;
        return x * 10;
      },
    }))
      out.push(v);
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(peak).toBe(3);
  });

  it("rethrows the first failure after in-flight work settles", async () => {
    const settled: number[] = [];
    const run = async () => {
      for await (const _ of mapOrdered({
        source: [0, 1, 2],
        window: 3,
        map: async (x) => {
          await sleep(x === 0 ? 1 : 10);
          settled.push(x);
          if (x === 0) throw new Error("boom");
          return x;
        },
      }));
    };
    await expect(run()).rejects.toThrow("boom");
    expect(settled.sort()).toEqual([0, 1, 2]);
  });
});
