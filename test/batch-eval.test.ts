/**
 * `eval longbench-write --batch` (generation and judging through the Batch API) against the loopback
 * server: no direct chat call, and the predictions, judgements and scores equal the direct run's.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JUDGE_DIMENSIONS } from "../src/schemas/judgement.js";
import { startOpenAiServer, type OpenAiServer } from "./helpers/openai-server.js";
import { runCli } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const BENCH = "../shared/data/longbench-write/longbench_write.jsonl";
const dir = makeTmpDir("batch-eval-");
let server: OpenAiServer;

beforeAll(async () => {
  server = await startOpenAiServer({
    respond: (body, ctx) => {
      if (body.model === "gen-model") return Array.from({ length: 50 + (ctx.prompt.length % 400) }, () => "word").join(" ");
      const n = ctx.prompt.length;
      if (n % 11 === 3) return "No numbers from me.";
      return `Fine.\n\`\`\`json\n${JSON.stringify(Object.fromEntries(JUDGE_DIMENSIONS.map((d, i) => [d, 1 + ((n + i) % 5)])))}\n\`\`\``;
    },
  });
});
afterAll(() => server.close());

describe("eval longbench-write --batch", { timeout: 180_000 }, () => {
  it("generates and judges through batches with no direct call; outputs equal the direct run's", async () => {
    const args = (out: string): string[] => [
      "eval",
      "longbench-write",
      "--base-url",
      server.baseURL,
      "--model",
      "gen-model",
      "--judge-model",
      "judge-model",
      "--judge-base-url",
      server.baseURL,
      "--judge-attempts",
      "1",
      "--bench-file",
      BENCH,
      "--upstream-dir",
      "../shared/data/longwriter-upstream",
      "--lang",
      "en",
      "--out",
      out,
      "--json",
    ];
    const direct = await runCli(args(join(dir, "direct")));
    expect(direct.code, direct.stderr).toBe(0);
    const chats = server.requestCount();
    const batches = server.batch.batches.length;
    const batch = await runCli([...args(join(dir, "batch")), "--batch", "--poll-interval", "0.05"]);
    expect(batch.code, batch.stderr).toBe(0);
    expect(server.requestCount()).toBe(chats);
    // One batch of generations, then one of judge calls.
    expect(server.batch.batches.length - batches).toBe(2);
    for (const file of ["predictions.jsonl", "judgements.jsonl"]) {
      expect(readFileSync(join(dir, "batch", file), "utf8")).toBe(readFileSync(join(dir, "direct", file), "utf8"));
    }
    const a = JSON.parse(direct.stdout) as { overall: unknown; byBucket: unknown };
    const b = JSON.parse(batch.stdout) as { overall: unknown; byBucket: unknown; usage: { generate: { batchCalls: number }; judge: { batchCalls: number } } };
    expect(b.overall).toEqual(a.overall);
    expect(b.byBucket).toEqual(a.byBucket);
    expect(b.usage.generate.batchCalls).toBe(60);
    expect(b.usage.judge.batchCalls).toBe(60);

    // --dry-run after the fact: the generations are in the journal (replayed), the judge calls are counted.
    const dry = await runCli([...args(join(dir, "direct")), "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ calls: 60, replayed: 60, directUsd: null });
    expect(server.requestCount()).toBe(chats);
  });
});
