/**
 * `agentwrite --batch` through the CLI against the loopback server: rounds (one batch of plans, then one
 * per section index), no direct chat call, output byte-identical to the direct path; killed with SIGKILL
 * between rounds (round 2 pending), the re-run resumes that batch and submits nothing twice.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentWriteScript } from "./helpers/agentwrite-script.js";
import { startOpenAiServer, type OpenAiServer } from "./helpers/openai-server.js";
import { runCli, startCli } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const dir = makeTmpDir("batch-aw-");
let server: OpenAiServer;
beforeAll(async () => {
  server = await startOpenAiServer({ respond: agentWriteScript({ sectionWords: 20 }) });
});
afterAll(() => server.close());

const input = join(dir, "instructions.jsonl");
writeFileSync(input, Array.from({ length: 6 }, (_, i) => JSON.stringify({ prompt: `Write an essay on lighthouse number ${i}.` })).join("\n") + "\n");
const args = (out: string): string[] => [
  "agentwrite",
  input,
  "--prompts",
  "toolkit",
  "--out",
  out,
  "--model",
  "test-model",
  "--base-url",
  server.baseURL,
  "--max-retries",
  "0",
  "--json",
];
const batchFlags = ["--batch", "--poll-interval", "0.05"];
const read = (file: string): string => readFileSync(file, "utf8");
const createdBatches = (stateFile: string): number =>
  existsSync(stateFile)
    ? read(stateFile)
        .split("\n")
        .filter((l) => l.includes('"event":"created"')).length
    : 0;

describe("agentwrite --batch (CLI)", { timeout: 180_000 }, () => {
  it("runs in rounds with no direct chat call; output byte-identical to the direct path; SIGKILL between rounds resumes", async () => {
    const direct = await runCli(args(join(dir, "direct.jsonl")));
    expect(direct.code, direct.stderr).toBe(0);
    const maxSections = Math.max(
      ...read(join(dir, "direct.jsonl"))
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { meta: { agentwrite: { sections: unknown[] } } }).meta.agentwrite.sections.length),
    );

    const chats = server.requestCount();
    const before = server.batch.batches.length;
    const batch = await runCli([...args(join(dir, "batch.jsonl")), ...batchFlags]);
    expect(batch.code, batch.stderr).toBe(0);
    expect(server.requestCount()).toBe(chats);
    expect(read(join(dir, "batch.jsonl"))).toBe(read(join(dir, "direct.jsonl")));
    const rounds = server.batch.batches.length - before;
    expect(rounds).toBe(1 + maxSections); // plans, then one batch per section index
    expect(server.batch.batches[before]!.lines).toHaveLength(6); // every plan in the first batch
    const summary = JSON.parse(batch.stdout) as { llm: { batchCalls: number; calls: number } };
    expect(summary.llm.batchCalls).toBe(summary.llm.calls);

    // Kill while round 2 (the first sections) is pending, then resume.
    const out = join(dir, "killed.jsonl");
    const state = `${out}.journal.jsonl.batches.jsonl`;
    const start = server.batch.batches.length;
    server.batch.configure({ holdFrom: start + 2 });
    const first = startCli([...args(out), ...batchFlags]);
    for (let i = 0; i < 600 && createdBatches(state) < 2; i++) await new Promise((r) => setTimeout(r, 50));
    first.child.kill("SIGKILL");
    expect((await first.done).signal).toBe("SIGKILL");
    expect(createdBatches(state)).toBe(2);
    server.batch.release();
    const again = await runCli([...args(out), ...batchFlags]);
    expect(again.code, again.stderr).toBe(0);
    expect(server.requestCount()).toBe(chats);
    expect(server.batch.batches.length - start).toBe(rounds); // round 2 was not submitted again
    expect(read(out)).toBe(read(join(dir, "direct.jsonl")));

    // --dry-run: a plan and (2,000 words ÷ 500) 4 sections assumed per instruction; nothing sent.
    const prices = join(dir, "prices.json");
    writeFileSync(prices, JSON.stringify({ "test-model": { input: 1, output: 2 } }));
    const dry = await runCli([...args(join(dir, "dry.jsonl")), "--prices", prices, "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    const estimate = JSON.parse(dry.stdout) as { calls: number; directUsd: number; batchUsd: number };
    expect(estimate.calls).toBe(6 * 5);
    expect(estimate.batchUsd).toBeCloseTo(estimate.directUsd / 2, 12);
    expect(server.requestCount()).toBe(chats);
    expect(existsSync(join(dir, "dry.jsonl"))).toBe(false);
  });
});
