/**
 * The data pipeline through the CLI: select (rules, real LongBench-Write prompts) → agentwrite (test
 * server) → filter; plus usage errors (exit 2) and the --json summaries.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { agentWriteScript } from "./helpers/agentwrite-script.js";
import { startOpenAiServer, type OpenAiServer } from "./helpers/openai-server.js";
import { runCli } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const dir = makeTmpDir("lw-aw-cli-");
const LBW = new URL("../../shared/data/longbench-write/longbench_write.jsonl", import.meta.url).pathname;
let server: OpenAiServer;
beforeAll(async () => {
  server = await startOpenAiServer({ respond: agentWriteScript({ sectionWords: 25 }) });
});
afterAll(() => server.close());
const lines = (file: string) => readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));

describe("select → agentwrite → filter (CLI)", () => {
  it("runs the pipeline and reports JSON summaries", { timeout: 120_000 }, async () => {
    const selected = join(dir, "selected.jsonl");
    const sel = await runCli(["select", LBW, "--out", selected, "--min-length", "2000", "--json"]);
    expect(sel.code).toBe(0);
    const selSummary = JSON.parse(sel.stdout);
    expect(selSummary.read).toBe(120);
    expect(selSummary.kept).toBeGreaterThan(50);
    const instructions = lines(selected);
    expect(instructions.every((i) => i.requiredLength === null || i.requiredLength >= 2000)).toBe(true);

    // Three instructions, without the required length so the toy plan's budgets pass validation.
    const few = join(dir, "few.jsonl");
    writeFileSync(few, instructions.slice(0, 3).map((i) => JSON.stringify({ ...i, requiredLength: null })).join("\n") + "\n");
    const sft = join(dir, "sft.jsonl");
    const aw = await runCli(["agentwrite", few, "--prompts", "toolkit", "--out", sft, "--model", "test-model", "--base-url", server.baseURL, "--json", "--concurrency", "3"], {
      env: { OPENAI_API_KEY: undefined },
    });
    expect(aw.code).toBe(0);
    expect(aw.stderr).toContain("3 written, 0 failed");
    expect(JSON.parse(aw.stdout)).toMatchObject({ done: 3, failed: 0 });
    const records = lines(sft);
    expect(records.map((r) => r.id)).toEqual(instructions.slice(0, 3).map((i) => i.id));

    const kept = join(dir, "kept.jsonl");
    const rejects = join(dir, "rejects.jsonl");
    const fil = await runCli(["filter", sft, "--out", kept, "--rejects", rejects, "--min-words", "40", "--max-plan-steps", "3", "--json"]);
    expect(fil.code).toBe(0);
    const filSummary = JSON.parse(fil.stdout);
    const runaway = records.filter((r) => r.meta.agentwrite.plan.steps.length > 3).length;
    expect(filSummary).toMatchObject({ read: 3, kept: 3 - runaway });
    if (runaway) expect(filSummary.dropped).toEqual({ runaway_plan: runaway });
    expect(lines(rejects)).toHaveLength(runaway);
  });

  it("exits 2 on usage errors with one clear line", async () => {
    const bad = await runCli(["filter", LBW, "--out", join(dir, "x.jsonl"), "--min-length-score", "300"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--min-length-score is 0–100");
  });
});
