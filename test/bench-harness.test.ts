/** The benchmark harness: child-process measurement, markdown helpers, BENCH_SCALE parsing. */
import { spawnSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { formatMs, markdownTable, ratio } from "../bench/lib/markdown.js";
import { measureCommand, measureNode } from "../bench/lib/measure.js";
import { benchScale, scaled } from "../bench/lib/scale.js";

const saved = process.env.BENCH_SCALE;
const hasPython = spawnSync("python3", ["--version"]).status === 0;
afterEach(() => {
  if (saved === undefined) delete process.env.BENCH_SCALE;
  else process.env.BENCH_SCALE = saved;
});

describe("bench harness", () => {
  it("measures a Node job in its own process: result, CPU and a peak RSS that sees its allocation", async () => {
    const m = await measureNode({ script: "bench/jobs/noop.ts", args: ["120"] });
    expect(m.result).toMatchObject({ mb: 120 });
    expect(m.peakRssMb).toBeGreaterThan(120);
    expect(m.cpuMs).toBeGreaterThan(0);
    expect(m.wallMs).toBeGreaterThan(0);
  });

  it.skipIf(!hasPython)("reports a failing job with its stderr (external commands are measured through python3)", async () => {
    await expect(measureCommand({ command: "python3", args: ["-c", "import sys; sys.stderr.write('boom\\n'); sys.exit(3)"] })).rejects.toThrow(
      /exited with 3:\nboom/,
    );
  });

  it("formats tables and ratios", () => {
    expect(markdownTable(["a", "b|c"], [["x", 1]], ["l", "r"])).toBe("| a | b\\|c |\n|---|---:|\n| x | 1 |");
    expect(ratio(3, 2)).toBe("1.50×");
    expect(ratio(1, 0)).toBe("n/a");
    expect(formatMs(1500)).toBe("1.50 s");
  });

  it("reads BENCH_SCALE and rejects nonsense", () => {
    process.env.BENCH_SCALE = "0.1";
    expect(benchScale()).toBe(0.1);
    expect(scaled(50_000)).toBe(5_000);
    expect(scaled(5, 2)).toBe(2);
    process.env.BENCH_SCALE = "-1";
    expect(() => benchScale()).toThrow(/positive number/);
  });
});
