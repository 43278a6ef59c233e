/**
 * AgentWrite against the OpenAI-compatible test server, in process, through the real openai SDK:
 * a clean run; 20 % of requests faulted (seeded); plan re-asks; labels stripped; input errors.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { loadAgentWritePrompts, type AgentWritePrompts } from "../src/agentwrite/prompts.js";
import { runAgentWrite } from "../src/agentwrite/run-agentwrite.js";
import { InputError } from "../src/errors.js";
import { sftRecordSchema } from "../src/schemas/sft-record.js";
import { agentWriteScript } from "./helpers/agentwrite-script.js";
import { startOpenAiServer, type OpenAiServer } from "./helpers/openai-server.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const dir = makeTmpDir("lw-aw-faults-");
let prompts: AgentWritePrompts;
let clean: OpenAiServer;
let faulty: OpenAiServer;
beforeAll(async () => {
  prompts = await loadAgentWritePrompts();
  clean = await startOpenAiServer({ respond: agentWriteScript() });
  faulty = await startOpenAiServer({ respond: agentWriteScript({ faultRate: 0.2, seed: 11 }) });
});
afterAll(async () => {
  await clean.close();
  await faulty.close();
});

const readJsonlFile = (file: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, any>);

function writeInstructions(name: string, count: number): string {
  const file = join(dir, name);
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({ prompt: `Write a story about lighthouse keeper number ${i}${i % 7 === 3 ? " [prose-first]" : ""}.`, topic: `t${i}` }),
  );
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

const llm = (server: OpenAiServer) => ({
  baseURL: server.baseURL,
  model: "test-model",
  env: {},
  concurrency: 8,
  timeoutMs: 2_000,
  maxRetries: 2,
  prices: { "test-model": { input: 1, output: 2 } },
});

describe("runAgentWrite", () => {
  it("writes one SftRecord per instruction, in input order, with plan and section meta", async () => {
    const input = writeInstructions("clean.jsonl", 12);
    const out = join(dir, "clean.out.jsonl");
    const summary = await runAgentWrite({ input, out, llm: llm(clean), prompts, parallel: 8 });
    expect(summary).toMatchObject({ instructions: 12, done: 12, failed: 0 });
    const records = readJsonlFile(out);
    expect(records).toHaveLength(12);
    records.forEach((record, i) => {
      sftRecordSchema.parse(record);
      expect(record.messages[0].content).toContain(`number ${i}`);
      const meta = record.meta.agentwrite;
      expect(record.meta.topic).toBe(`t${i}`);
      expect(meta.plan.steps.length).toBe(meta.sections.length);
      expect(meta.sections.every((s: { words: number; budget: number }) => s.words === 30 && s.budget === 30)).toBe(true);
      expect(meta.tokens.prompt).toBeGreaterThan(0);
      expect(meta.costUsd).toBeGreaterThan(0);
      const answer: string = record.messages[1].content;
      expect(answer).not.toMatch(/Paragraph \d/); // labels stripped
      expect(answer.split("\n\n")).toHaveLength(meta.sections.length);
    });
    // "[prose-first]" instructions needed a second plan request.
    expect(records[3]!.meta.agentwrite.planAttempts).toBe(2);
    expect(records[0]!.meta.agentwrite.planAttempts).toBe(1);
    expect(readFileSync(`${out}.failures.jsonl`, "utf8")).toBe("");
    expect(existsSync(`${out}.journal.jsonl`)).toBe(true);

    // A finished run is replayed entirely from the journal: same bytes, no HTTP.
    const before = clean.requestCount();
    const again = await runAgentWrite({ input, out: join(dir, "clean.out.jsonl"), llm: llm(clean), prompts, parallel: 8, lookAhead: 2 });
    expect(clean.requestCount()).toBe(before);
    expect(again.llm.calls).toBe(0);
    expect(again.llm.replayed).toBeGreaterThan(0);
    expect(readJsonlFile(out)).toEqual(records);
  });

  it("with 20 % of requests faulted, every instruction is written or failed with a reason, and no fault text is written", async () => {
    const input = writeInstructions("faults.jsonl", 50);
    const out = join(dir, "faults.out.jsonl");
    const reference = join(dir, "faults.reference.jsonl");
    await runAgentWrite({ input, out: reference, llm: llm(clean), prompts, parallel: 8 });
    const started = Date.now();
    const summary = await runAgentWrite({ input, out, llm: llm(faulty), prompts, parallel: 8, lookAhead: 10, settings: { callRetries: 2 } });
    expect(Date.now() - started).toBeLessThan(30_000); // retries wait milliseconds (retry-after-ms), not the SDK's default seconds
    const written = readJsonlFile(out);
    const failures = readJsonlFile(`${out}.failures.jsonl`);
    expect(written.length + failures.length).toBe(50);
    expect(summary.done).toBe(written.length);
    expect(summary.failed).toBe(failures.length);
    expect(failures.length).toBeGreaterThan(0); // length/content_filter faults cannot be retried away
    expect(written.length).toBeGreaterThan(25);
    const ids = new Set([...written.map((r) => r.id), ...failures.map((f) => f.id)]);
    expect(ids.size).toBe(50);
    for (const failure of failures) {
      expect(failure.reason).toEqual(expect.any(String));
      expect(failure.reason.length).toBeGreaterThan(10);
      expect(["plan", "write"]).toContain(failure.stage);
      expect(failure.kind).toEqual(expect.any(String));
    }
    // Nothing from an error: each written record equals the fault-free run's record for that id.
    const byId = new Map(readJsonlFile(reference).map((r) => [r.id, r]));
    for (const record of written) {
      expect(JSON.stringify(record)).not.toMatch(/FAULT-TEXT|Bad Gateway|Rate limit|Internal server error/);
      const expected = byId.get(record.id)!;
      expect(record.messages).toEqual(expected.messages);
    }
    // A rerun (faults gone) retries only what failed, replaying the rest, and matches the clean run.
    const before = clean.requestCount();
    const rerun = await runAgentWrite({ input, out, llm: llm(clean), prompts, parallel: 8 });
    expect(rerun).toMatchObject({ done: 50, failed: 0 });
    expect(rerun.llm.replayed).toBeGreaterThan(rerun.llm.calls);
    expect(clean.requestCount() - before).toBe(rerun.llm.calls);
    expect(readFileSync(out, "utf8")).toBe(readFileSync(reference, "utf8"));
    // Kinds come from the fault mix.
    for (const kind of Object.keys(summary.failuresByKind)) {
      expect(["length", "content_filter", "truncated", "empty", "bad_response", "http", "timeout", "connection", "plan_invalid"]).toContain(kind);
    }
  });

  it("keeps more calls in flight than Node's listener warning threshold, with one run signal for all calls", async () => {
    // Every call in flight listens on the run's signal; 16 at once must not read as a listener leak.
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning);
    process.on("warning", onWarning);
    // A caller's signal, as the CLI passes one (Ctrl-C): the run follows it through one signal made once.
    const caller = new AbortController();
    try {
      const input = writeInstructions("wide.jsonl", 24);
      const out = join(dir, "wide.out.jsonl");
      const summary = await runAgentWrite({ input, out, llm: { ...llm(clean), concurrency: 16 }, prompts, parallel: 24, settings: { signal: caller.signal } });
      expect(summary).toMatchObject({ instructions: 24, done: 24, failed: 0 });
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.filter((warning) => warning.name === "MaxListenersExceededWarning")).toEqual([]);
    // Node keeps every signal made by AbortSignal.any in a set on its sources: one for the run, not one per call
    // (checked where this Node exposes the set).
    const dependants = Object.getOwnPropertySymbols(caller.signal).find((symbol) => symbol.description === "kDependantSignals");
    if (dependants) expect((caller.signal as unknown as Record<symbol, Set<unknown>>)[dependants]!.size).toBeLessThanOrEqual(1);
  });

  it("fails on a bad input line naming file, line and field, and writes no output", async () => {
    const input = join(dir, "bad.jsonl");
    writeFileSync(input, `${JSON.stringify({ prompt: "Write a poem." })}\n${JSON.stringify({ text: "no prompt" })}\n`);
    const out = join(dir, "bad.out.jsonl");
    const error = await runAgentWrite({ input, out, llm: llm(clean), prompts }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain("bad.jsonl:2: field prompt");
    expect(existsSync(out)).toBe(false);
    const skipped = await runAgentWrite({ input, out, llm: llm(clean), prompts, skipInvalid: true });
    expect(skipped.done).toBe(1);
    expect(skipped.invalid).toHaveLength(1);
  });
});
