/** CLI glue of `pairs --audit-only`, `export` from a raw preference file, and usage errors. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const DEMO = "../shared/data/general-sft/dpo_en_demo.json";
const dir = makeTmpDir("dpo-cli-");

describe("longwriter pairs / export (CLI)", { timeout: 120_000 }, () => {
  it("pairs --audit-only audits LLaMA-Factory data without writing anything", async () => {
    const run = await runCli(["pairs", DEMO, "--audit-only", "--json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ mode: "audit-only", pairs: 300, skippedRows: 0 });
    expect(result.audit).toMatchObject({ pairs: 300, chosenLonger: 127, rejectedLonger: 169, sameLength: 4, margin: null });
    expect(result.audit.lengthCohensD).toBeCloseTo(-0.12, 2);
  });

  it("export reads a raw preference file too; llama-factory names the dataset after it", async () => {
    const out = join(dir, "lf");
    const run = await runCli(["export", DEMO, "--to", "llama-factory", "--out", out, "--json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ target: "llama-factory", rows: 300 });
    const info = JSON.parse(readFileSync(join(out, "dataset_info.json"), "utf8"));
    expect(info.dpo_en_demo).toMatchObject({ file_name: "dpo_en_demo.json", ranking: true, formatting: "sharegpt" });
    expect(JSON.parse(readFileSync(join(out, "dpo_en_demo.json"), "utf8"))).toHaveLength(300);
  });

  it("usage errors exit 2 and name the problem", async () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "name: x\nsignals:\n  - {name: q, source: quality}\nrejected: {strategy: longest}\n");
    const run = await runCli(["pairs", DEMO, "--policy", bad, "--out", join(dir, "never")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad\.yaml: field rejected/);
  });
});
