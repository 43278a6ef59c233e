import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync, appendFileSync } from "node:fs";
import { join } from "node:path";
import { startOpenAiServer, type OpenAiServer, type Respond } from "../../test/helpers/openai-server.js";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import { createLlmClient, PLACEHOLDER_API_KEY } from "./client.js";
import { ContentFilterError, EmptyCompletionError, LengthLimitError, LlmCallError, TruncatedStreamError } from "./errors.js";

const dir = makeTmpDir("lw-llm-");
let server: OpenAiServer;
let script: Respond = () => "unset";
beforeAll(async () => {
  server = await startOpenAiServer({ respond: (body, ctx) => script(body, ctx) });
});
afterAll(() => server.close());

const user = (content: string) => [{ role: "user" as const, content }];
const client = (extra: Partial<Parameters<typeof createLlmClient>[0]> = {}) =>
  createLlmClient({ baseURL: server.baseURL, model: "test-model", env: {}, maxRetries: 2, timeoutMs: 2_000, ...extra });

describe("createLlmClient", () => {
  it.each([true, false])("returns text, usage and cost (stream=%s)", async (stream) => {
    script = (body) => ({ text: `echo: ${body.messages[0]!.content}`, usage: { prompt_tokens: 1000, completion_tokens: 2000 } });
    const llm = client({ stream, prices: { "test-model": { input: 1, output: 2 } } });
    const before = server.requestCount();
    const result = await llm.chat({ messages: user("hello"), temperature: 0.5, maxTokens: 99 });
    expect(result).toMatchObject({ text: "echo: hello", finishReason: "stop", model: "test-model", replayed: false });
    expect(result.usage).toEqual({ promptTokens: 1000, completionTokens: 2000 });
    expect(result.costUsd).toBeCloseTo(0.005, 10);
    const sent = server.requests[before]!;
    expect(sent.stream).toBe(stream);
    expect(sent.body.temperature).toBe(0.5);
    expect(sent.body.max_tokens).toBe(99);
    if (stream) expect(sent.body.stream_options).toEqual({ include_usage: true });
    expect(llm.totals()).toMatchObject({ calls: 1, replayed: 0, failed: 0, promptTokens: 1000, completionTokens: 2000 });
  });

  it.each([true, false])("counts cached prompt tokens at the cached price and warns once when usage is missing (stream=%s)", async (stream) => {
    script = () => ({ text: "cached", usage: { prompt_tokens: 2000, completion_tokens: 100, cached_tokens: 1536 } });
    const warnings: string[] = [];
    const llm = client({ stream, prices: { "test-model": { input: 1, cachedInput: 0.25, output: 2 } }, onWarning: (m) => warnings.push(m) });
    const result = await llm.chat({ messages: user(`cache ${stream}`) });
    expect(result.usage).toEqual({ promptTokens: 2000, completionTokens: 100, cachedTokens: 1536 });
    expect(result.costUsd).toBeCloseTo((464 * 1 + 1536 * 0.25 + 100 * 2) / 1e6, 12);
    script = () => ({ text: "no usage here", omitUsage: true });
    await llm.chat({ messages: user(`nousage a ${stream}`) });
    await llm.chat({ messages: user(`nousage b ${stream}`) });
    expect(llm.totals()).toMatchObject({ calls: 3, cachedTokens: 1536, usageMissing: 2 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/reported no token usage/);
  });

  it("refuses calls that could pass maxCostUsd, counting calls in flight", async () => {
    script = () => ({ text: "paid", usage: { prompt_tokens: 10, completion_tokens: 100 } });
    // Worst case per call ~ (16+5 bytes)/4 prompt tokens + 100 max tokens at $1/token output: about $100.
    const llm = client({ prices: { "test-model": { input: 1_000_000, output: 1_000_000 } }, maxCostUsd: 250, concurrency: 4 });
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map((i) => llm.chat({ messages: user(`budget ${i}`), maxTokens: 100 })));
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "rejected"]);
    expect(((outcomes[2] as PromiseRejectedResult).reason as LlmCallError).kind).toBe("budget");
    expect(llm.totals()).toMatchObject({ calls: 2, budgetReached: true });
  });

  it("sends a placeholder key when none is set, and reads --api-key-env", async () => {
    script = () => "ok";
    await client().chat({ messages: user("a") });
    expect(server.requests.at(-1)!.authorization).toBe(`Bearer ${PLACEHOLDER_API_KEY}`);
    await client({ apiKeyEnv: "MY_KEY", env: { MY_KEY: "sk-secret-123" } }).chat({ messages: user("b") });
    expect(server.requests.at(-1)!.authorization).toBe("Bearer sk-secret-123");
  });

  it.each([
    ["length", LengthLimitError],
    ["content_filter", ContentFilterError],
    ["empty", EmptyCompletionError],
    ["truncate", TruncatedStreamError],
    ["reset", TruncatedStreamError],
  ] as const)("turns fault %s into an error, never text", async (fault, errorClass) => {
    script = () => ({ fault });
    const llm = client();
    const error = await llm.chat({ messages: user(`fault ${fault}`) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errorClass);
    expect(llm.totals().failed).toBe(1);
  });

  it.each([true, false])("garbage bodies are bad_response errors (stream=%s)", async (stream) => {
    script = () => ({ fault: "garbage" });
    const error = await client({ stream, maxRetries: 0 })
      .chat({ messages: user("garbage") })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmCallError);
    expect((error as LlmCallError).kind).toBe("bad_response");
  });

  it("reads a stream of many small writes (one event per token, as hosted APIs send)", async () => {
    script = () => ({ fault: "drip", intervalMs: 1, chunks: 120, text: "tök " });
    const result = await client().chat({ messages: user("drip") });
    expect(result.text).toBe("tök ".repeat(120));
    expect(result.finishReason).toBe("stop");
  });

  it("streams through a caller's own fetch too (a WHATWG body), with the response-size cap", async () => {
    script = () => ({ text: "through the global fetch", chunks: 6 });
    const result = await client({ fetch: (input, init) => globalThis.fetch(input, init) }).chat({ messages: user("own fetch") });
    expect(result.text).toBe("through the global fetch");
    script = () => ({ text: "x".repeat(5000), chunks: 50 });
    const error = (await client({ fetch: (input, init) => globalThis.fetch(input, init), maxResponseBytes: 2000, maxRetries: 0 })
      .chat({ messages: user("own fetch, too large") })
      .catch((e: unknown) => e)) as LlmCallError;
    expect(error.kind).toBe("too_large");
  });

  it("turns an error event inside a 200 stream into a bad_response error carrying its message", async () => {
    script = () => ({ fault: "sse_error", message: "upstream model overloaded", text: "Partial " });
    const error = (await client({ maxRetries: 0 })
      .chat({ messages: user("sse error") })
      .catch((e: unknown) => e)) as LlmCallError;
    expect(error).toBeInstanceOf(LlmCallError);
    expect(error.kind).toBe("bad_response");
    expect(error.message).toContain("the server sent an error event in the stream: upstream model overloaded");
    expect(error.retryable).toBe(true);
  });

  it("reports a call its caller aborts in the middle of the stream as aborted", async () => {
    script = () => ({ fault: "drip", intervalMs: 20, chunks: 100 });
    const caller = new AbortController();
    const call = client({ maxRetries: 0 })
      .chat({ messages: user("abort mid-stream") }, { signal: caller.signal })
      .catch((e: unknown) => e);
    setTimeout(() => caller.abort(), 150);
    const error = (await call) as LlmCallError;
    expect(error).toBeInstanceOf(LlmCallError);
    expect(error.kind).toBe("aborted");
  });

  it("lets the SDK retry 429 and caps a long Retry-After", async () => {
    script = (_body, ctx) => (ctx.attempt === 0 ? { fault: "429", retryAfter: "120" } : "after the wait");
    const before = server.requestCount();
    const started = Date.now();
    const result = await client({ maxRetryAfterMs: 50 }).chat({ messages: user("rate limited") });
    expect(result.text).toBe("after the wait");
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(server.requestCount() - before).toBe(2);
  });

  it("gives up after maxRetries on 500 with an http error carrying the status", async () => {
    script = () => ({ fault: "500" });
    const before = server.requestCount();
    const error = (await client({ maxRetries: 1 })
      .chat({ messages: user("500") })
      .catch((e: unknown) => e)) as LlmCallError;
    expect(error.kind).toBe("http");
    expect(error.status).toBe(500);
    expect(error.retryable).toBe(true);
    expect(server.requestCount() - before).toBe(2);
  });

  it("times out a hanging server", async () => {
    script = () => ({ fault: "hang" });
    const error = (await client({ timeoutMs: 150, maxRetries: 0 })
      .chat({ messages: user("hang") })
      .catch((e: unknown) => e)) as LlmCallError;
    expect(error.kind).toBe("timeout");
  });

  it("never puts the API key into error messages", async () => {
    script = () => ({ fault: "status", status: 401 });
    const error = (await client({ apiKey: "sk-very-secret", maxRetries: 0 })
      .chat({ messages: user("401") })
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toContain("401");
    expect(error.message).not.toContain("sk-very-secret");
  });

  it("limits concurrency and shares identical in-flight requests", async () => {
    let inFlight = 0;
    let peak = 0;
    script = async (body) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 30));
      inFlight -= 1;
      return `answer ${body.messages[0]!.content}`;
    };
    const llm = client({ concurrency: 3 });
    const before = server.requestCount();
    const results = await Promise.all([...Array(9).keys()].map((i) => llm.chat({ messages: user(`q${i % 8}`) })));
    expect(results[8]!.text).toBe("answer q0");
    expect(peak).toBe(3);
    expect(server.requestCount() - before).toBe(8);
  });

  it("starts waiting calls by priority (a function read when a slot frees), ties in arrival order", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const started: string[] = [];
    script = async (body) => {
      const content = body.messages[0]!.content;
      started.push(content);
      if (content === "p-first") await gate;
      return `answer ${content}`;
    };
    const llm = client({ concurrency: 1 });
    const first = llm.chat({ messages: user("p-first") });
    for (const deadline = Date.now() + 5000; started.length === 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 5));
    let late = 0;
    const waiting = [
      llm.chat({ messages: user("p-low"), priority: 1 }),
      llm.chat({ messages: user("p-none") }),
      llm.chat({ messages: user("p-late"), priority: () => late }),
      llm.chat({ messages: user("p-high-a"), priority: 3 }),
      llm.chat({ messages: user("p-high-b"), priority: 3 }),
    ];
    late = 5; // re-ranked while waiting: read when the slot frees, not when queued
    release();
    await Promise.all([first, ...waiting]);
    expect(started).toEqual(["p-first", "p-late", "p-high-a", "p-high-b", "p-low", "p-none"]);
    // The priority is scheduling only: neither sent nor part of the journal key.
    expect(server.requests.at(-1)!.body).not.toHaveProperty("priority");
  });

  it("journals finished calls and replays them without HTTP; failures are not journaled", async () => {
    const journalPath = join(dir, "out.jsonl.journal.jsonl");
    script = (body) => (body.messages[0]!.content === "bad" ? { fault: "length" } : `A: ${body.messages[0]!.content}`);
    const first = client({ journalPath, prices: { "test-model": { input: 1, output: 1 } } });
    await first.chat({ messages: user("one"), tag: "t1" });
    await first.chat({ messages: user("two") });
    await expect(first.chat({ messages: user("bad") })).rejects.toBeInstanceOf(LengthLimitError);
    await first.close();
    const lines = readFileSync(journalPath, "utf8").trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toMatchObject({ text: "A: one", tag: "t1" });

    // A torn last line (as a SIGKILL mid-append would leave) is ignored and cut off.
    appendFileSync(journalPath, '{"key":"abc","text":"torn');
    const before = server.requestCount();
    const second = client({ journalPath, prices: { "test-model": { input: 1, output: 1 } } });
    const replay = await second.chat({ messages: user("one") });
    expect(replay).toMatchObject({ text: "A: one", replayed: true });
    expect(replay.costUsd).toBeGreaterThan(0);
    expect(server.requestCount()).toBe(before);
    await second.chat({ messages: user("three") });
    expect(server.requestCount()).toBe(before + 1);
    expect(second.totals()).toMatchObject({ calls: 1, replayed: 1 });
    await second.close();
    const after = readFileSync(journalPath, "utf8");
    expect(after.endsWith("\n")).toBe(true);
    expect(
      after
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).text),
    ).toEqual(["A: one", "A: two", "A: three"]);
  });

  it("reports an unusable journal path on the first call, without an unhandled rejection", async () => {
    const notADir = join(dir, "plain-file");
    writeFileSync(notADir, "");
    const llm = client({ journalPath: join(notADir, "x.journal.jsonl") });
    await new Promise((r) => setTimeout(r, 20));
    await expect(llm.chat({ messages: user("j") })).rejects.toThrow();
    await llm.close();
  });

  it("keys requests by content: a different temperature is a different call", async () => {
    const journalPath = join(dir, "keys.journal.jsonl");
    writeFileSync(journalPath, "");
    script = (body) => `t=${String(body.temperature)}`;
    const llm = client({ journalPath });
    const a = await llm.chat({ messages: user("same"), temperature: 0 });
    const b = await llm.chat({ messages: user("same"), temperature: 1 });
    expect(a.key).not.toBe(b.key);
    expect(b.text).toBe("t=1");
    await llm.close();
  });
});
