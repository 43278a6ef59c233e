/**
 * The library runners behind `sample`, `judge` and `pairs`, called in process against the loopback
 * server (the same files the CLI writes, with summaries as values), and the shared CLI run lifecycle:
 * Ctrl-C during `sample` or `judge` exits 130 with a resume hint, leaving no output.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPairs } from "../src/dpo/run-pairs.js";
import { runSample } from "../src/dpo/run-sample.js";
import { runJudge } from "../src/judge/run-judge.js";
import { candidateSchema } from "../src/schemas/candidate.js";
import { JUDGE_DIMENSIONS } from "../src/schemas/judgement.js";
import { startOpenAiServer, type OpenAiServer } from "./helpers/openai-server.js";
import { startCli } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const dir = makeTmpDir("dpo-runners-");
let server: OpenAiServer;
const prompts = join(dir, "prompts.jsonl");

beforeAll(async () => {
  server = await startOpenAiServer({
    respond: (body) => {
      const content = body.messages[0]!.content;
      if (content.includes("<Response>")) {
        const n = content.length;
        return JSON.stringify(Object.fromEntries(JUDGE_DIMENSIONS.map((d, i) => [d, 1 + ((n + i) % 5)])));
      }
      if (content.includes("fail me") && Number(body.seed) === 1) return { fault: "length", text: "cut" };
      return "word ".repeat(40 * (Number(body.seed) + 1));
    },
  });
  writeFileSync(
    prompts,
    ['{"prompt":"Write 80 words about rain."}', "not json", '{"prompt":"Write 120 words about snow, fail me."}', '{"prompt":"Write about hail."}'].join("\n") +
      "\n",
  );
});
afterAll(() => server.close());

describe("runSample → runJudge → runPairs", () => {
  it("writes the same files the CLI writes and returns the counts", async () => {
    const candidates = join(dir, "candidates.jsonl");
    const progress: number[] = [];
    const sampled = await runSample({
      input: prompts,
      out: candidates,
      llm: { baseURL: server.baseURL, model: "w", maxRetries: 0 },
      model: "w",
      n: 3,
      skipInvalid: true,
      onProgress: ({ prompts: done }) => progress.push(done),
    });
    expect(sampled).toMatchObject({ prompts: 3, candidates: 8, failedSamples: 1, skippedLines: 1, calls: 8, replayed: 0, out: candidates });
    expect(sampled.invalid).toHaveLength(1);
    expect(sampled.invalid[0]!.line).toBe(2);
    expect(progress).toEqual([1, 2, 3]);
    expect(sampled.journal).toBe(`${candidates}.journal.jsonl`);
    expect(sampled.failures).toBe(`${candidates}.failures.jsonl`);
    const failures = readFileSync(sampled.failures!, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(failures).toEqual([expect.objectContaining({ sample: 1, kind: "length" })]);
    const rows = readFileSync(candidates, "utf8")
      .trim()
      .split("\n")
      .map((l) => candidateSchema.parse(JSON.parse(l)));
    expect(rows.map((c) => c.sample)).toEqual([0, 1, 2, 0, 2, 0, 1, 2]);
    expect(rows[0]).toMatchObject({ requiredLength: 80, lengthWords: 40 });

    // A re-run replays every finished sample from the journal and asks only for the failed one.
    const mark = server.requestCount();
    const again = await runSample({
      input: prompts,
      out: candidates,
      llm: { baseURL: server.baseURL, model: "w", maxRetries: 0 },
      model: "w",
      n: 3,
      skipInvalid: true,
    });
    expect(server.requestCount() - mark).toBe(1);
    expect(again).toMatchObject({ replayed: 8, calls: 0, failedSamples: 1 }); // `calls` counts answered calls; the cut-off one is re-asked and fails again

    const scored = join(dir, "scored.jsonl");
    const judged = await runJudge({ input: candidates, out: scored, llm: { baseURL: server.baseURL, model: "judge" }, judgeModel: "judge", twice: true });
    expect(judged).toMatchObject({ candidates: 8, fromCache: 0, unscored: 0, judgeModel: "judge", calls: 16, cache: `${scored}.judge-cache.jsonl` });
    expect(judged.agreement!.items).toBe(8);
    expect(JSON.parse(readFileSync(judged.agreementPath!, "utf8"))).toEqual(judged.agreement);
    const rejudged = await runJudge({ input: candidates, out: scored, llm: { baseURL: server.baseURL, model: "judge" }, judgeModel: "judge", twice: true });
    expect(rejudged).toMatchObject({ fromCache: 8, calls: 0 });

    const out = join(dir, "pairs");
    const paired = await runPairs({ input: scored, policy: "recipes/dpo-longwriter-paper.yaml", out });
    expect(paired.mode).toBe("pairs");
    if (paired.mode !== "pairs") return;
    expect(paired).toMatchObject({ policy: "longwriter-paper", candidates: 8, prompts: 3, skippedRows: 0, out });
    expect(paired.pairs).toBe(paired.promptsWithPairs);
    const card = readFileSync(join(out, "README.md"), "utf8");
    expect(card).toContain("## How the pairs were made");
    expect(card).toContain(`${paired.pairs} pairs from ${paired.promptsWithPairs} of 3 prompts (8 candidates).`);

    const audited = await runPairs({ input: join(out, "data"), auditOnly: true, format: "trl" });
    expect(audited).toMatchObject({ mode: "audit-only", pairs: paired.pairs, out: undefined });
  });

  it("audit-only reads a file twice, keeping no pair: every row checked before anything is written", async () => {
    const file = join(dir, "pref-signals.jsonl");
    const line = (i: number) =>
      JSON.stringify({
        prompt: `Write ${i + 1}00 words.`,
        chosen: "word ".repeat(20 + i),
        rejected: "short",
        signals: i % 2 === 0 ? { quality: { chosen: 8, rejected: 3 } } : { length: { chosen: 1, rejected: 0.5 }, quality: { chosen: 7, rejected: 2 } },
      });
    writeFileSync(file, `${Array.from({ length: 30 }, (_, i) => line(i)).join("\n")}\n{"prompt": "a broken row"\n`);
    const out = join(dir, "audited");
    await expect(runPairs({ input: file, auditOnly: true, out })).rejects.toThrow(/pref-signals.jsonl:31: invalid JSON/);
    expect(existsSync(out)).toBe(false);
    const audited = await runPairs({ input: file, auditOnly: true, out, skipInvalid: true });
    expect(audited).toMatchObject({ mode: "audit-only", pairs: 30, skippedRows: 1, out });
    expect(audited.invalid).toHaveLength(1);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { counts: unknown; audit: unknown };
    expect(manifest.counts).toEqual({ pairs: 30, skippedRows: 1 });
    // The same audit as reading without --out, and the signal columns in the order first seen.
    const bare = await runPairs({ input: file, auditOnly: true, skipInvalid: true });
    expect(manifest.audit).toEqual(JSON.parse(JSON.stringify(bare.audit)));
    const card = readFileSync(join(out, "README.md"), "utf8");
    expect(card.indexOf("quality_chosen")).toBeGreaterThan(-1);
    expect(card.indexOf("quality_chosen")).toBeLessThan(card.indexOf("length_chosen"));
    const reread = await runPairs({ input: join(out, "data"), auditOnly: true, format: "trl" });
    expect(reread.pairs).toBe(30);
  });

  it("checks its options before reading anything", async () => {
    await expect(runPairs({ input: "nowhere.jsonl" })).rejects.toThrow(/field policy: name a pair policy/);
    await expect(runPairs({ input: "nowhere.jsonl", policy: "recipes/dpo-longwriter-paper.yaml" })).rejects.toThrow(/field out/);
    await expect(runPairs({ input: "nowhere.jsonl", auditOnly: true, format: "alpaca" })).rejects.toThrow(/not a preference format/);
  });
});

describe("CLI run lifecycle on Ctrl-C", () => {
  it.each([
    ["sample", (base: string, out: string) => ["sample", prompts, "--model", "w", "--n", "2", "--out", out, "--skip-invalid", "--base-url", base], "journal"],
    ["judge", (base: string, out: string) => ["judge", join(dir, "candidates.jsonl"), "--judge-model", "j", "--out", out, "--base-url", base], "judge cache"],
  ])("%s stops with exit 130, names how to resume and writes no output", async (_name, argv, where) => {
    const hanging = await startOpenAiServer({ respond: () => ({ fault: "hang" }) });
    try {
      const out = join(dir, `${_name}-sigint.jsonl`);
      const run = startCli(argv(hanging.baseURL, out), { env: { OPENAI_API_KEY: undefined } });
      while (hanging.requestCount() < 1) await new Promise((r) => setTimeout(r, 20));
      run.child.kill("SIGINT");
      const result = await run.done;
      expect(result.code).toBe(130);
      expect(result.stderr).toContain(`interrupted: no output written; finished`);
      expect(result.stderr).toContain(where);
      expect(existsSync(out)).toBe(false);
    } finally {
      await hanging.close();
    }
  });
});
