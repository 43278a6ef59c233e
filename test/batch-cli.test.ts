/**
 * `--batch` end to end through the CLI and the real openai SDK against the loopback server: sample and
 * judge make no direct chat call and write byte-identical outputs to the direct path; a judge killed
 * with SIGKILL while its batch is pending resumes the same batch; failed lines are failures a re-run
 * retries alone; --max-cost stops a run and a re-run with more continues; no Batch API fails fast.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JUDGE_DIMENSIONS } from "../src/schemas/judgement.js";
import { createTokenCounter } from "../src/tokenizers/tokens.js";
import { startOpenAiServer, type ChatBody, type OpenAiServer, type Respond } from "./helpers/openai-server.js";
import { runCli, startCli } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const dir = makeTmpDir("batch-cli-");
let server: OpenAiServer;
const failing = new Set<string>();

/** Deterministic answers from the request alone, so the direct and the batch path get the same ones. */
const answer: Respond = (body: ChatBody) => {
  const content = body.messages[0]!.content;
  const seed = Number(body.seed ?? 0);
  if (failing.has(`${content}#${seed}`)) return { fault: "batch_error", code: "scripted", message: `no answer for seed ${seed}` };
  if (content.includes("{{") || /Relevance/.test(content)) {
    const n = content.length % 5;
    return JSON.stringify(Object.fromEntries(JUDGE_DIMENSIONS.map((d, i) => [d, 1 + ((n + i) % 5)])));
  }
  return { text: `Reply ${seed} to "${content}": ${"word ".repeat(5 + seed)}`.trim(), usage: { prompt_tokens: 100, completion_tokens: 50, cached_tokens: 20 } };
};

beforeAll(async () => {
  server = await startOpenAiServer({ respond: (body, ctx) => answer(body, ctx) });
});
afterAll(() => server.close());

const prompts = join(dir, "prompts.jsonl");
writeFileSync(prompts, ["alpha", "beta", "gamma"].map((t, i) => JSON.stringify({ prompt: `Write ${100 * (i + 1)} words about ${t}.` })).join("\n") + "\n");
const llm = (): string[] => ["--base-url", server.baseURL, "--max-retries", "0"];
const batchFlags = ["--batch", "--poll-interval", "0.05"];
const read = (file: string): string => readFileSync(file, "utf8");

describe("--batch on sample and judge (CLI)", { timeout: 120_000 }, () => {
  it("sample --batch: no direct chat call, byte-identical to the direct path, tokens and cost reported", async () => {
    const direct = await runCli(["sample", prompts, "--model", "w", "--n", "2", "--out", join(dir, "direct.jsonl"), ...llm()]);
    expect(direct.code).toBe(0);
    const chatsBefore = server.requestCount();
    const batchesBefore = server.batch.batches.length;
    const run = await runCli(["sample", prompts, "--model", "w", "--n", "2", "--out", join(dir, "batch.jsonl"), "--json", ...batchFlags, ...llm()]);
    expect(run.code, run.stderr).toBe(0);
    expect(server.requestCount()).toBe(chatsBefore);
    expect(server.batch.batches.length).toBe(batchesBefore + 1);
    expect(read(join(dir, "batch.jsonl"))).toBe(read(join(dir, "direct.jsonl")));
    expect(JSON.parse(run.stdout)).toMatchObject({ candidates: 6, calls: 6, batchCalls: 6, promptTokens: 600, cachedTokens: 120, completionTokens: 300 });
    expect(run.stderr).toMatch(/batch batch_test_\d+: completed, 6\/6 done, 0 failed/);
  });

  it("judge --batch: byte-identical to the direct path; killed while pending, the re-run resumes the same batch", async () => {
    const candidates = join(dir, "direct.jsonl");
    const direct = await runCli(["judge", candidates, "--judge-model", "j", "--out", join(dir, "judged-direct.jsonl"), ...llm()]);
    expect(direct.code, direct.stderr).toBe(0);

    server.batch.configure({ hold: true });
    const out = join(dir, "judged-batch.jsonl");
    const chatsBefore = server.requestCount();
    const createsBefore = server.batch.counts.creates;
    const first = startCli(["judge", candidates, "--judge-model", "j", "--out", out, ...batchFlags, ...llm()]);
    const state = `${out}.journal.jsonl.batches.jsonl`;
    for (let i = 0; i < 600 && !(existsSync(state) && read(state).includes('"created"')); i++) await new Promise((r) => setTimeout(r, 50));
    first.child.kill("SIGKILL");
    const killed = await first.done;
    expect(killed.signal).toBe("SIGKILL");
    expect(existsSync(out)).toBe(false);
    expect(server.batch.counts.creates).toBe(createsBefore + 1);

    server.batch.release();
    const again = await runCli(["judge", candidates, "--judge-model", "j", "--out", out, "--json", ...batchFlags, ...llm()]);
    expect(again.code, again.stderr).toBe(0);
    expect(server.batch.counts.creates).toBe(createsBefore + 1); // no second batch
    expect(server.requestCount()).toBe(chatsBefore); // and no direct call
    expect(read(out)).toBe(read(join(dir, "judged-direct.jsonl")));
    expect(JSON.parse(again.stdout)).toMatchObject({ candidates: 6, batchCalls: 6 });
  });

  it("failed batch lines are sample failures with reasons; a re-run retries only them", async () => {
    failing.add("Write 200 words about beta.#1");
    const out = join(dir, "partial.jsonl");
    const run = await runCli(["sample", prompts, "--model", "w", "--n", "2", "--out", out, ...batchFlags, ...llm()]);
    expect(run.code).toBe(1);
    const failures = read(`${out}.failures.jsonl`)
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { promptId: string; sample: number; kind: string; message: string });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ sample: 1, kind: "batch" });
    expect(failures[0]!.message).toContain("scripted: no answer for seed 1");

    failing.clear();
    const before = server.batchRequests.length;
    const again = await runCli(["sample", prompts, "--model", "w", "--n", "2", "--out", out, ...batchFlags, ...llm()]);
    expect(again.code, again.stderr).toBe(0);
    expect(server.batchRequests.slice(before).map((b) => `${b.messages[0]!.content}#${String(b.seed)}`)).toEqual(["Write 200 words about beta.#1"]);
    expect(read(out)).toBe(read(join(dir, "direct.jsonl")));
    expect(existsSync(`${out}.failures.jsonl`)).toBe(false);
  });

  it("--max-cost stops a run at the budget (exit 1, done work written); a re-run with more continues", async () => {
    const prices = join(dir, "prices.json");
    // About $0.4 per call as estimated (max_tokens 100 at $4000/1M): two calls fit in $1.
    writeFileSync(prices, JSON.stringify({ w: { input: 10, output: 4000 } }));
    const out = join(dir, "budget.jsonl");
    const args = ["sample", prompts, "--model", "w", "--n", "2", "--max-tokens", "100", "--concurrency", "1", "--out", out, "--prices", prices, ...llm()];
    const run = await runCli([...args, "--max-cost", "1", "--json"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/budget reached: \$0\.\d+ spent of --max-cost \$1/);
    const summary = JSON.parse(run.stdout) as { candidates: number; calls: number; costUsd: number; budgetReached: boolean };
    expect(summary.budgetReached).toBe(true);
    expect(summary.calls).toBe(summary.candidates);
    expect(summary.candidates).toBeGreaterThan(0);
    expect(summary.candidates).toBeLessThan(6);
    expect(summary.costUsd).toBeLessThanOrEqual(1);
    const failures = read(`${out}.failures.jsonl`);
    expect(failures).toContain('"kind":"budget"');

    const again = await runCli([...args, "--max-cost", "10", "--json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ candidates: 6, replayed: summary.calls, calls: 6 - summary.calls });
  });

  it("--dry-run prints calls, tokens (o200k_base) and the direct and batch price, sends nothing, counts journal replays", async () => {
    const prices = join(dir, "dry-prices.json");
    writeFileSync(prices, JSON.stringify({ w: { input: 2, output: 8 }, j: { input: 1, output: 4 } }));
    const chats = server.requestCount();
    const uploads = server.batch.counts.uploads;
    const counter = await createTokenCounter("o200k_base");
    const promptTokens = read(prompts)
      .trim()
      .split("\n")
      .reduce((sum, line) => sum + counter.count((JSON.parse(line) as { prompt: string }).prompt), 0);
    counter.free();
    const fresh = await runCli([
      "sample",
      prompts,
      "--model",
      "w",
      "--n",
      "2",
      "--max-tokens",
      "500",
      "--out",
      join(dir, "dry.jsonl"),
      "--prices",
      prices,
      "--dry-run",
      "--json",
      ...llm(),
    ]);
    expect(fresh.code, fresh.stderr).toBe(0);
    const estimate = JSON.parse(fresh.stdout) as {
      calls: number;
      replayed: number;
      inputTokens: number;
      outputTokens: number;
      directUsd: number;
      batchUsd: number;
    };
    expect(estimate).toMatchObject({ calls: 6, replayed: 0, inputTokens: promptTokens * 2, outputTokens: 3000 });
    expect(estimate.directUsd).toBeCloseTo((promptTokens * 2 * 2 + 3000 * 8) / 1e6, 12);
    expect(estimate.batchUsd).toBeCloseTo(estimate.directUsd / 2, 12);
    // The direct run's journal holds all 6 samples (same settings, no --max-tokens): all replayed.
    const replay = await runCli(["sample", prompts, "--model", "w", "--n", "2", "--out", join(dir, "direct.jsonl"), "--prices", prices, "--dry-run", ...llm()]);
    expect(replay.stdout).toMatch(/sample dry run: 0 calls \(6 more replayed/);
    expect(replay.stdout).toMatch(/price batch +\$0\.00 \(--batch\)/);
    const judged = await runCli([
      "judge",
      join(dir, "direct.jsonl"),
      "--judge-model",
      "j",
      "--out",
      join(dir, "dry-judged.jsonl"),
      "--prices",
      prices,
      "--dry-run",
      "--json",
      ...llm(),
    ]);
    expect(JSON.parse(judged.stdout)).toMatchObject({ calls: 6, replayed: 0 });
    expect(server.requestCount()).toBe(chats);
    expect(server.batch.counts.uploads).toBe(uploads);
    expect(existsSync(join(dir, "dry.jsonl"))).toBe(false);
    expect(existsSync(join(dir, "dry-judged.jsonl"))).toBe(false);
  });

  it("--batch against a server without the Batch API fails fast, before any call", async () => {
    server.batch.configure({ enabled: false });
    const chats = server.requestCount();
    const run = await runCli(["sample", prompts, "--model", "w", "--out", join(dir, "none.jsonl"), ...batchFlags, ...llm()]);
    server.batch.configure({ enabled: true });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no Batch API/);
    expect(server.requestCount()).toBe(chats);
    expect(existsSync(join(dir, "none.jsonl"))).toBe(false);
  });
});
