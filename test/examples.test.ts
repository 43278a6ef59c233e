/** The programs in examples/ run as documented (they are the library's showcase; this keeps them working). */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

function runExample(file: string, args: string[] = []) {
  return spawnSync(process.execPath, ["--import", "tsx", join(PROJECT_ROOT, "examples", file), ...args], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
  });
}

describe("examples/", () => {
  it("length-adherence.ts scores the bundled long-writing rows", () => {
    const result = runExample("length-adherence.ts");
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^long-01 +2000 +\d+ +\d+\.\d +yes$/m);
    expect(result.stdout).toContain("5 of 10 rows state a length and meet it with S_l ≥ 80");
  });

  it("mix-quickstart.ts writes a dataset dir and accounts for every row", () => {
    const out = join(makeTmpDir("lw-example-"), "mix");
    const result = runExample("mix-quickstart.ts", [out]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: \\d+ rows`, "m"));
    expect(existsSync(join(out, "manifest.json"))).toBe(true);
  });
});
