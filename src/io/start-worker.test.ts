import { describe, expect, it } from "vitest";
import { moduleUrl, withoutPreloads } from "./start-worker.js";

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
  });

  it("names the .ts module under the sources and the .js one when built", () => {
    expect(moduleUrl("file:///p/src/io/row-group-pool.ts", "./row-group-worker")).toBe("file:///p/src/io/row-group-worker.ts");
    expect(moduleUrl("file:///p/dist/mix/collect-candidates.js", "../io/record-range-worker")).toBe("file:///p/dist/io/record-range-worker.js");
  });
});
