/**
 * The mixer starts a SNAPPY helper thread (io/snappy-helper) when its first pass reads on this thread, and
 * lets it go when the mix ends, whether it succeeds or fails. The policy (mix/snappy-helper-policy) is made to
 * say yes here, so that the bundled quick-start data is enough; what it decides is tested on its own.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mixDatasets } from "../src/mix/mix-datasets.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const helper = vi.hoisted(() => ({ acquired: 0, released: 0, inputBytes: [] as number[] }));

vi.mock("../src/mix/snappy-helper-policy.js", () => ({
  wantsSnappyHelper: (_codec: unknown, _threads: number, inputBytes: number) => {
    helper.inputBytes.push(inputBytes);
    return true;
  },
}));
vi.mock("../src/io/snappy-helper.js", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../src/io/snappy-helper.js")>()),
  acquireSnappyHelper: () => {
    helper.acquired++;
    return () => {
      helper.released++;
    };
  },
}));

const tmp = makeTmpDir("lw-mix-helper-");

afterEach(() => {
  helper.acquired = 0;
  helper.released = 0;
  helper.inputBytes.length = 0;
});

describe("mix: the SNAPPY helper thread", () => {
  it("is acquired once when the first pass reads here, with the input's size, and released at the end", async () => {
    await mixDatasets({ recipePath: "recipes/quickstart.yaml", outDir: join(tmp, "ok") });
    expect(helper.acquired).toBe(1);
    expect(helper.released).toBe(1);
    expect(helper.inputBytes).toHaveLength(1);
    expect(helper.inputBytes[0]).toBeGreaterThan(0);
  });

  it("is released when the mix fails", async () => {
    const controller = new AbortController();
    const mixing = mixDatasets({
      recipePath: "recipes/quickstart.yaml",
      outDir: join(tmp, "aborted"),
      signal: controller.signal,
      onProgress: (event) => {
        if (event.phase === "read") controller.abort(new Error("stopped by the test"));
      },
    });
    await expect(mixing).rejects.toThrow("stopped by the test");
    expect(helper.acquired).toBe(1);
    expect(helper.released).toBe(1);
  });

  it("is not asked for when the first pass reads in reader threads", async () => {
    await mixDatasets({ recipePath: "recipes/quickstart.yaml", outDir: join(tmp, "threads"), threads: 2, readRangeBytes: 4096 });
    expect(helper.inputBytes).toHaveLength(0);
    expect(helper.acquired).toBe(0);
  });
});
