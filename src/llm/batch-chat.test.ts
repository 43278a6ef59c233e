/**
 * The Batch API path of the LLM client against the loopback server (real openai SDK): no direct chat
 * call, the same results and journal as the direct path, file splitting, resume without a second
 * submission, failed lines as failures retried alone, expired batches, the budget, no Batch API.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAiServer, type OpenAiServer, type Respond } from "../../test/helpers/openai-server.js";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import { batchStatePath } from "./batch-state.js";
import { createLlmClient, type LlmClientOptions } from "./client.js";
import { ConfigError } from "../errors.js";
import type { LlmCallError } from "./errors.js";
import { openJournal } from "./journal.js";

const dir = makeTmpDir("lw-batch-");
let server: OpenAiServer;
let script: Respond = (body) => `answer to ${body.messages[0]!.content}`;
beforeAll(async () => {
  server = await startOpenAiServer({ respond: (body, ctx) => script(body, ctx) });
});
afterAll(() => server.close());

let journals = 0;
const freshJournal = (): string => join(dir, `journal-${++journals}.jsonl`);
const user = (content: string) => [{ role: "user" as const, content }];
const batchClient = (journalPath: string, extra: Partial<LlmClientOptions> = {}) =>
  createLlmClient({ baseURL: server.baseURL, model: "test-model", env: {}, maxRetries: 0, journalPath, batch: { pollIntervalSec: 0.02 }, ...extra });

function reset(): void {
  script = (body) => `answer to ${body.messages[0]!.content}`;
  server.batch.configure({ enabled: true, pollsToComplete: 2, outcome: "completed", hold: false });
  delete (server.batch as { expireAfterLines?: number }).expireAfterLines;
}

describe("the Batch API path", () => {
  it("answers through one batch with no direct chat call; results, journal and replay match the direct path", async () => {
    reset();
    script = (body) => ({ text: `answer to ${body.messages[0]!.content}`, usage: { prompt_tokens: 1000, completion_tokens: 500, cached_tokens: 400 } });
    const prices = { "test-model": { input: 2, cachedInput: 1, output: 8 } };
    const journalPath = freshJournal();
    const llm = batchClient(journalPath, { prices });
    const directBefore = server.requestCount();
    const batchesBefore = server.batch.batches.length;
    const results = await Promise.all(["a", "b", "c"].map((x) => llm.chat({ messages: user(x), temperature: 0.5, maxTokens: 50, tag: `item ${x}` })));
    await llm.close();
    expect(server.requestCount()).toBe(directBefore);
    expect(server.batch.batches.length).toBe(batchesBefore + 1);
    expect(results.map((r) => r.text)).toEqual(["answer to a", "answer to b", "answer to c"]);
    // Batch price = half the direct price; 400 of 1000 prompt tokens at the cached rate.
    const oneCall = ((600 * 2 + 400 * 1 + 500 * 8) / 1_000_000) * 0.5;
    expect(results[0]!.costUsd).toBeCloseTo(oneCall, 12);
    expect(llm.totals()).toMatchObject({ calls: 3, batchCalls: 3, cachedTokens: 1200, promptTokens: 3000, failed: 0 });
    const lines = readFileSync(journalPath, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { key: string; batch?: boolean; tag?: string });
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => l.batch === true)).toBe(true);
    expect(lines.map((l) => l.tag).sort()).toEqual(["item a", "item b", "item c"]);
    // The batch line sent the same body a direct call sends.
    const sent = server.batchRequests.slice(-3);
    expect(sent[0]).toMatchObject({ model: "test-model", temperature: 0.5, max_tokens: 50 });
    // A direct client on the same journal replays them without HTTP, at the batch price.
    const direct = createLlmClient({ baseURL: server.baseURL, model: "test-model", env: {}, journalPath, prices });
    const again = await direct.chat({ messages: user("b"), temperature: 0.5, maxTokens: 50 });
    await direct.close();
    expect(again).toMatchObject({ text: "answer to b", replayed: true });
    expect(again.costUsd).toBeCloseTo(oneCall, 12);
    expect(server.requestCount()).toBe(directBefore);
  });

  it("splits input files at the request limit and submits one batch per file", async () => {
    reset();
    const llm = batchClient(freshJournal(), { batch: { pollIntervalSec: 0.02, gatherMs: 500, maxRequestsPerFile: 3 } });
    const before = server.batch.batches.length;
    const texts = await Promise.all(Array.from({ length: 7 }, (_, i) => llm.chat({ messages: user(`split ${i}`) }).then((r) => r.text)));
    await llm.close();
    expect(texts[6]).toBe("answer to split 6");
    const made = server.batch.batches.slice(before);
    expect(made.map((b) => b.lines.length)).toEqual([3, 3, 1]);
    expect(new Set(made.flatMap((b) => b.lines.map((l) => (JSON.parse(l) as { custom_id: string }).custom_id))).size).toBe(7);
  });

  it("splits at the byte limit too", async () => {
    reset();
    const llm = batchClient(freshJournal(), { batch: { pollIntervalSec: 0.02, gatherMs: 500, maxBytesPerFile: 700 } });
    const before = server.batch.batches.length;
    await Promise.all(Array.from({ length: 4 }, (_, i) => llm.chat({ messages: user(`${"x".repeat(200)} ${i}`) })));
    await llm.close();
    const made = server.batch.batches.slice(before);
    expect(made.length).toBeGreaterThan(1);
    for (const batch of made) expect(server.batch.files.get(batch.inputFileId)!.content.length).toBeLessThanOrEqual(700);
  });

  it("a client closed while its batch is pending is resumed by the next one: the same batch, no second upload", async () => {
    reset();
    server.batch.configure({ hold: true });
    const journalPath = freshJournal();
    const first = batchClient(journalPath);
    const uploads = server.batch.counts.uploads;
    const creates = server.batch.counts.creates;
    const waiting = Promise.allSettled(["r1", "r2"].map((x) => first.chat({ messages: user(x) })));
    const stateFile = batchStatePath(journalPath);
    const created = (): boolean => existsSync(stateFile) && readFileSync(stateFile, "utf8").includes('"event":"created"');
    while (!created()) await new Promise((r) => setTimeout(r, 10));
    await first.close(); // like a kill: the batch keeps running on the server
    expect((await waiting).every((r) => r.status === "rejected")).toBe(true);

    server.batch.release();
    const second = batchClient(journalPath);
    const texts = await Promise.all(["r1", "r2"].map((x) => second.chat({ messages: user(x) }).then((r) => r.text)));
    await second.close();
    expect(texts).toEqual(["answer to r1", "answer to r2"]);
    expect(server.batch.counts.uploads).toBe(uploads + 1);
    expect(server.batch.counts.creates).toBe(creates + 1);
    expect(readFileSync(batchStatePath(journalPath), "utf8")).toContain('"event":"closed"');
  });

  it("adopts a batch created just before a kill (uploaded, batch id never journaled)", async () => {
    reset();
    const journalPath = freshJournal();
    // Upload and create by hand, journaling only the upload, as a run killed between the two would.
    const key = await (async () => {
      const probe = batchClient(journalPath);
      await probe.close();
      const { requestKey } = await import("./request-key.js");
      return requestKey({ model: "test-model", messages: user("adopt me") });
    })();
    const line = JSON.stringify({ custom_id: key, method: "POST", url: "/v1/chat/completions", body: { model: "test-model", messages: user("adopt me") } });
    const form = new FormData();
    form.append("purpose", "batch");
    form.append("file", new Blob([`${line}\n`]), "in.jsonl");
    const file = (await (await fetch(`${server.baseURL}/files`, { method: "POST", body: form })).json()) as { id: string };
    await fetch(`${server.baseURL}/batches`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h" }),
    });
    writeFileSync(batchStatePath(journalPath), `${JSON.stringify({ event: "uploaded", fileId: file.id, keys: [key], at: "x" })}\n`);
    const creates = server.batch.counts.creates;
    const llm = batchClient(journalPath);
    const result = await llm.chat({ messages: user("adopt me") });
    await llm.close();
    expect(result.text).toBe("answer to adopt me");
    expect(server.batch.counts.creates).toBe(creates);
  });

  it("failed lines (error file, non-200) are failures with reasons; a second client retries only them", async () => {
    reset();
    let failing = true;
    script = (body) => {
      const content = body.messages[0]!.content;
      if (failing && content === "bad-line") return { fault: "batch_error", code: "invalid_prompt", message: "the prompt was refused" };
      if (failing && content === "bad-status") return { fault: "500" };
      return `answer to ${content}`;
    };
    const journalPath = freshJournal();
    const llm = batchClient(journalPath);
    const outcomes = await Promise.allSettled(["ok-1", "bad-line", "bad-status", "ok-2"].map((x) => llm.chat({ messages: user(x) })));
    await llm.close();
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
    const lineError = (outcomes[1] as PromiseRejectedResult).reason as LlmCallError;
    expect(lineError.kind).toBe("batch");
    expect(lineError.message).toContain("invalid_prompt: the prompt was refused");
    expect(((outcomes[2] as PromiseRejectedResult).reason as Error).message).toContain("HTTP 500");
    expect(llm.totals()).toMatchObject({ calls: 2, failed: 2 });

    failing = false;
    const before = server.batchRequests.length;
    const again = batchClient(journalPath);
    const texts = await Promise.all(["ok-1", "bad-line", "bad-status", "ok-2"].map((x) => again.chat({ messages: user(x) }).then((r) => r.text)));
    await again.close();
    expect(texts).toEqual(["answer to ok-1", "answer to bad-line", "answer to bad-status", "answer to ok-2"]);
    expect(
      server.batchRequests
        .slice(before)
        .map((b) => b.messages[0]!.content)
        .sort(),
    ).toEqual(["bad-line", "bad-status"]);
    expect(again.totals()).toMatchObject({ calls: 2, replayed: 2 });
  });

  it("an expired batch keeps its finished lines and reports the rest as failures", async () => {
    reset();
    server.batch.configure({ outcome: "expired", expireAfterLines: 2 });
    const warnings: string[] = [];
    const journalPath = freshJournal();
    const llm = batchClient(journalPath, { batch: { pollIntervalSec: 0.02, onWarning: (m) => warnings.push(m) } });
    const outcomes = await Promise.allSettled(["e1", "e2", "e3", "e4"].map((x) => llm.chat({ messages: user(x) })));
    await llm.close();
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(2);
    const reason = (outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult).reason as Error;
    expect(reason.message).toMatch(/batch_expired|expired/);
    expect(warnings.join("\n")).toMatch(/expired: 2 of 4 requests ran/);
    const journal = await openJournal({ path: journalPath });
    expect(journal.size).toBe(2);
    journal.close();
  });

  it("reports progress after every poll", async () => {
    reset();
    const seen: string[] = [];
    const llm = batchClient(freshJournal(), { batch: { pollIntervalSec: 0.02, onProgress: (p) => seen.push(`${p.status} ${p.completed}/${p.total}`) } });
    await Promise.all(["p1", "p2"].map((x) => llm.chat({ messages: user(x) })));
    await llm.close();
    expect(seen).toEqual(["in_progress 1/2", "in_progress 2/2", "completed 2/2"]);
  });

  it("refuses requests past --max-cost before submitting them", async () => {
    reset();
    // ~ (16+ bytes)/4 prompt tokens + 1000 max tokens at $1000/1M output, halved: about $0.5 a request.
    const llm = batchClient(freshJournal(), { prices: { "test-model": { input: 1000, output: 1000 } }, maxCostUsd: 1.2 });
    const before = server.batchRequests.length;
    const outcomes = await Promise.allSettled(["m1", "m2", "m3", "m4"].map((x) => llm.chat({ messages: user(x), maxTokens: 1000 })));
    await llm.close();
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "rejected"]);
    expect(((outcomes[2] as PromiseRejectedResult).reason as LlmCallError).kind).toBe("budget");
    expect(server.batchRequests.length - before).toBe(2);
    expect(llm.totals().budgetReached).toBe(true);
  });

  it("fails fast with a clear error when the server has no Batch API", async () => {
    reset();
    server.batch.configure({ enabled: false });
    const uploads = server.batch.counts.uploads;
    const llm = batchClient(freshJournal());
    const error = await llm.chat({ messages: user("x") }).catch((e: unknown) => e);
    await llm.close();
    reset();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/no Batch API/);
    expect(server.batch.counts.uploads).toBe(uploads);
  });
  it("redacts the configured key when a batch error line echoes it (any shape, not only sk-…)", async () => {
    reset();
    const key = "gateway-key-0123456789";
    script = () => ({ fault: "batch_error", code: "unauthorized", message: `key ${key} is not allowed; Authorization: Bearer ${key}` });
    const llm = batchClient(freshJournal(), { apiKey: key });
    const error = (await llm.chat({ messages: user("echo") }).catch((e: unknown) => e)) as LlmCallError;
    await llm.close();
    expect(error.kind).toBe("batch");
    expect(error.message).toContain("is not allowed");
    expect(error.message).not.toContain(key);
    expect(String(error.stack)).not.toContain(key);
  });
});
