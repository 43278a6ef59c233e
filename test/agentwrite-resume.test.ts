/**
 * Done-when of issue 5: the `longwriter agentwrite` CLI, killed with SIGKILL at 5 points and resumed each
 * time, produces output identical to an uninterrupted run, and the server sees no request twice except
 * those in flight at a kill.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import { loadAgentWritePrompts } from "../src/agentwrite/prompts.js";
import { runAgentWrite } from "../src/agentwrite/run-agentwrite.js";
import { agentWriteScript } from "./helpers/agentwrite-script.js";
import { startOpenAiServer, type OpenAiServer } from "./helpers/openai-server.js";
import { startCli } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const dir = makeTmpDir("lw-aw-resume-");
let server: OpenAiServer;
/** When set, the request with this (run-local) number triggers a SIGKILL of `victim`. */
let killAt: number | undefined;
let victim: ChildProcess | undefined;
let runRequests = 0;
const script = agentWriteScript({ sectionWords: 20 });

beforeAll(async () => {
  server = await startOpenAiServer({
    latencyMs: 15,
    respond: (body, ctx) => {
      runRequests += 1;
      if (killAt !== undefined && runRequests === killAt && victim) victim.kill("SIGKILL");
      return script(body, ctx);
    },
  });
});
afterAll(() => server.close());

const journalKeys = (file: string): Set<string> =>
  existsSync(file)
    ? new Set(
        readFileSync(file, "utf8")
          .split("\n")
          .filter((l) => l.trim())
          .flatMap((l) => {
            try {
              return [(JSON.parse(l) as { key: string }).key];
            } catch {
              return [];
            }
          }),
      )
    : new Set();

describe("agentwrite CLI resume after SIGKILL", () => {
  it("gives the uninterrupted output after 5 kills, repeating only in-flight requests", async () => {
    const input = join(dir, "instructions.jsonl");
    writeFileSync(
      input,
      Array.from({ length: 10 }, (_, i) => JSON.stringify({ prompt: `Write an essay on bridge number ${i}.` })).join("\n") + "\n",
    );
    const args = (out: string) => ["agentwrite", input, "--prompts", "toolkit", "--out", out, "--model", "test-model", "--base-url", server.baseURL, "--concurrency", "3", "--json"];
    const env = { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined };

    // Uninterrupted reference run, in process with the CLI's defaults (saves a process start).
    const reference = join(dir, "reference.jsonl");
    runRequests = 0;
    const clean = await runAgentWrite({
      input,
      out: reference,
      llm: { baseURL: server.baseURL, model: "test-model", env: {}, concurrency: 3 },
      prompts: await loadAgentWritePrompts(),
      parallel: 3,
      planAttempts: 3,
      planLimits: { maxSteps: 50 },
      settings: { temperature: 1, maxTokens: 4096, callRetries: 2 },
    });
    expect(clean).toMatchObject({ done: 10, failed: 0 });
    const total = runRequests;
    expect(total).toBeGreaterThanOrEqual(30);

    // Five kills, each after a different number of requests of that run; then a final resume.
    const out = join(dir, "resumed.jsonl");
    const journal = `${out}.journal.jsonl`;
    const firstIndex = server.requestCount();
    const inFlightAtKills = new Set<string>();
    for (const at of [2, 5, 8, 6, 4]) {
      runRequests = 0;
      killAt = at;
      const before = server.requestCount();
      const run = startCli(args(out), { env });
      victim = run.child;
      const result = await run.done;
      expect(result.signal).toBe("SIGKILL");
      expect(existsSync(out)).toBe(false); // nothing half-written
      const done = journalKeys(journal);
      const sent = server.requests.slice(before).map((r) => r.key);
      for (const key of sent) if (!done.has(key)) inFlightAtKills.add(key);
    }
    killAt = undefined;
    victim = undefined;
    runRequests = 0;
    const last = await startCli(args(out), { env }).done;
    expect(last.code).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(readFileSync(reference, "utf8"));
    expect(readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]); // killed runs' temp files are cleaned up

    // Across the killed and resumed runs, only requests in flight at a kill were sent twice.
    const counts = new Map<string, number>();
    for (const request of server.requests.slice(firstIndex)) counts.set(request.key, (counts.get(request.key) ?? 0) + 1);
    const repeated = [...counts].filter(([, n]) => n > 1).map(([key]) => key);
    for (const key of repeated) expect(inFlightAtKills.has(key)).toBe(true);
    // At most --concurrency calls are open at a kill, plus one that may leave while the signal lands.
    expect(inFlightAtKills.size).toBeLessThanOrEqual(5 * (3 + 1));
    expect(counts.size).toBe(total); // the same set of distinct requests as the clean run
    const summary = JSON.parse(last.stdout) as { llm: { replayed: number; calls: number } };
    expect(summary.llm.replayed).toBeGreaterThan(0);
  }, 150_000);
});

describe("agentwrite CLI on Ctrl-C", () => {
  it("stops with exit 130, writes no output and keeps the journal", async () => {
    const hanging = await startOpenAiServer({
      respond: (_body, ctx) => (ctx.index < 2 ? "Section 1 | 100 words | a\nSection 2 | 100 words | b" : { fault: "hang" }),
    });
    try {
      const input = join(dir, "sigint.jsonl");
      writeFileSync(input, '{"prompt":"Write a story."}\n{"prompt":"Write a poem."}\n');
      const out = join(dir, "sigint.out.jsonl");
      const run = startCli(["agentwrite", input, "--prompts", "toolkit", "--out", out, "--model", "m", "--base-url", hanging.baseURL], {
        env: { OPENAI_API_KEY: undefined },
      });
      while (hanging.requestCount() < 3) await new Promise((r) => setTimeout(r, 20));
      run.child.kill("SIGINT");
      const result = await run.done;
      expect(result.code).toBe(130);
      expect(result.stderr).toContain("interrupted");
      expect(existsSync(out)).toBe(false);
      expect(journalKeys(`${out}.journal.jsonl`).size).toBe(2);
    } finally {
      await hanging.close();
    }
  }, 60_000);
});
