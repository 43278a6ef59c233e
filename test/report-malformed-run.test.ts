/**
 * `report` on a malformed run folder: scores.json is validated against the complete run schema on read,
 * so a broken ruler table is a one-line error naming the file and the field (it was
 * `r.ruler?.rows.map is not a function`), not a crash.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers/run-cli.js";
import { sampleEvalRun } from "./helpers/sample-eval-run.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const dir = makeTmpDir("report-malformed-");

function writeRun(name: string, run: unknown): string {
  const runDir = join(dir, name);
  mkdirSync(runDir, { recursive: true });
  writeFileSync(join(runDir, "scores.json"), JSON.stringify(run));
  return runDir;
}

describe("report validates scores.json", () => {
  const ruler = sampleEvalRun({ label: "r", seed: 3, plateau: 6000, quality: 3, benchmark: "ruler" });

  it("renders a well-formed ruler run", async () => {
    const run = await runCli(["report", writeRun("good", ruler), "--out", join(dir, "good.html")]);
    expect(run.code, run.stderr).toBe(0);
  });

  it.each([
    ["rows that are not a list", { ...ruler, ruler: { ...ruler.ruler, rows: "x" } }, "ruler.rows"],
    ["a row missing its required length", { ...ruler, ruler: { ...ruler.ruler, rows: [{ n: 1 }] } }, "ruler.rows.0.requiredLength"],
    ["a ruler run without its table", { ...ruler, ruler: undefined }, "ruler"],
  ])("%s → exit 1 naming the file and field", async (name, broken, field) => {
    const runDir = writeRun(name.replaceAll(" ", "-"), broken);
    const run = await runCli(["report", runDir, "--out", join(dir, "bad.html")]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(join(runDir, "scores.json"));
    expect(run.stderr).toContain(`field ${field}`);
    expect(run.stderr).not.toMatch(/is not a function|\n\s+at /);
  });
});
