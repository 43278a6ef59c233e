import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import { bundledModuleUrl, moduleUrl, startWorker, withoutPreloads, withoutRefused, workerFlags } from "./start-worker.js";

describe("startWorker helpers", () => {
  it("drops module preloads and loaders (both spellings), keeps every other flag", () => {
    expect(
      withoutPreloads([
        "--import",
        "tsx",
        "--max-old-space-size=4096",
        "--import=./reporter.ts",
        "-r",
        "x.cjs",
        "--loader=ts-node/esm",
        "--cpu-prof",
        "--experimental-loader",
        "y.mjs",
      ]),
    ).toEqual(["--max-old-space-size=4096", "--cpu-prof"]);
    expect(withoutPreloads([])).toEqual([]);
    // A script given as text (`node --input-type=module -e "…"`): a worker started from a file refuses --input-type.
    expect(withoutPreloads(["--input-type=module", "-e", "import 'x';", "--no-warnings"])).toEqual(["--no-warnings"]);
    expect(withoutPreloads(["--input-type", "module", "--eval", "1", "-p", "2", "--print=3"])).toEqual([]);
  });

  it("names the .ts module under the sources and the .js one when built", () => {
    expect(moduleUrl("file:///p/src/io/row-group-pool.ts", "./row-group-worker")).toBe("file:///p/src/io/row-group-worker.ts");
    expect(moduleUrl("file:///p/dist/mix/collect-candidates.js", "../io/record-range-worker")).toBe("file:///p/dist/io/record-range-worker.js");
  });

  it("maps a built module to its file in the bundle (scripts/bundle.mjs), and refuses a module from elsewhere", () => {
    // Here the module's own URL is under src/, which stands in for dist/.
    const root = new URL("../", import.meta.url).href;
    expect(bundledModuleUrl(`${root}io/row-group-worker.js`)).toBe(`${root}bundle/io-row-group-worker.js`);
    expect(bundledModuleUrl(`${root}mix/candidate-range-handler.js`)).toBe(`${root}bundle/mix-candidate-range-handler.js`);
    expect(() => bundledModuleUrl("file:///elsewhere/io/row-group-worker.js")).toThrow(/is not a module of the toolkit's build/);
  });

  it("carries --max-old-space-size into a worker as its heap limit", () => {
    expect(workerFlags(["--import", "tsx", "--max-old-space-size=3000", "--cpu-prof"])).toEqual({
      execArgv: ["--max-old-space-size=3000", "--cpu-prof"],
      resourceLimits: { maxOldGenerationSizeMb: 3000 },
    });
    expect(workerFlags(["--no-warnings"])).toEqual({ execArgv: ["--no-warnings"] });
  });

  it("drops the flags Node's error names, or every flag when it names none of them", () => {
    const message = "Initiated Worker with invalid execArgv flags: --max-old-space-size=3000, --trace-gc";
    expect(withoutRefused(["--max-old-space-size=3000", "--no-warnings", "--trace-gc"], message)).toEqual(["--no-warnings"]);
    expect(withoutRefused(["--no-warnings", "--odd"], "some other wording")).toEqual([]);
  });
});

describe("startWorker", () => {
  it("starts a built worker when node ran with flags a worker refuses (node --max-old-space-size=… --trace-gc)", async () => {
    const dir = makeTmpDir("lw-start-worker-");
    const file = join(dir, "echo-worker.mjs");
    writeFileSync(
      file,
      'import { parentPort } from "node:worker_threads"; import v8 from "node:v8";\n' +
        "parentPort.postMessage({ execArgv: process.execArgv, heapMb: v8.getHeapStatistics().heap_size_limit / 2 ** 20 });\n",
    );
    const saved = process.execArgv;
    process.execArgv = ["--max-old-space-size=1500", "--trace-gc", "--no-warnings"];
    try {
      for (let i = 0; i < 2; i++) {
        // The second start reuses what the first learned.
        const worker = startWorker(pathToFileURL(file).href, null);
        const [reply] = (await once(worker, "message")) as [{ execArgv: string[]; heapMb: number }];
        await worker.terminate();
        expect(reply.execArgv).toEqual(["--no-warnings"]);
        expect(reply.heapMb).toBeGreaterThan(1400);
        expect(reply.heapMb).toBeLessThan(1700);
      }
    } finally {
      process.execArgv = saved;
    }
  });
});
