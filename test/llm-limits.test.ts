/**
 * Per-call limits against hostile servers: a whole-call deadline that a drip-feeding server (one chunk
 * every 200 ms, never idle long enough for the idle timeout) cannot dodge, and a response size cap that a
 * server ignoring max_tokens cannot blow through.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLlmClient } from "../src/llm/client.js";
import { LlmCallError } from "../src/llm/errors.js";
import { startOpenAiServer, type OpenAiServer, type ServerFault, type ServerReply } from "./helpers/openai-server.js";
import { runCli } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const dir = makeTmpDir("lw-llm-limits-");
let server: OpenAiServer;
let answer: ServerReply | ServerFault = "ok";
beforeAll(async () => {
  server = await startOpenAiServer({ respond: () => answer });
});
afterAll(() => server.close());

const failure = async (promise: Promise<unknown>): Promise<LlmCallError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(LlmCallError.isLlmCallError(error), String(error)).toBe(true);
  return error as LlmCallError;
};
const ask = { messages: [{ role: "user" as const, content: "Write." }] };

describe("whole-call deadline", () => {
  it("stops a drip-feeding stream at the deadline although chunks keep arriving", async () => {
    answer = { fault: "drip", intervalMs: 100, chunks: 1000 };
    const llm = createLlmClient({ baseURL: server.baseURL, model: "m", maxRetries: 0, timeoutMs: 2000, deadlineMs: 1200 });
    const started = Date.now();
    const error = await failure(llm.chat(ask));
    const took = Date.now() - started;
    await llm.close();
    expect(error.kind).toBe("timeout");
    expect(error.message).toMatch(/did not finish within 1200 ms/);
    expect(took).toBeLessThan(10_000); // 1000 chunks would take 100 s
  });

  it("the idle timeout still fires on a stream that stops sending", async () => {
    answer = { fault: "drip", intervalMs: 3000, chunks: 2 };
    const llm = createLlmClient({ baseURL: server.baseURL, model: "m", maxRetries: 0, timeoutMs: 500, deadlineMs: 60_000 });
    const error = await failure(llm.chat(ask));
    await llm.close();
    expect(error.kind).toBe("timeout");
    expect(error.message).toMatch(/no data for 500 ms/);
  });

  it("sample --timeout 2 fails the drip-fed sample and exits 1", async () => {
    answer = { fault: "drip", intervalMs: 200, chunks: 1000 };
    const prompts = join(dir, "p.jsonl");
    writeFileSync(prompts, `${JSON.stringify({ prompt: "Write 100 words." })}\n`);
    const out = join(dir, "c.jsonl");
    const run = await runCli([
      "sample",
      prompts,
      "--out",
      out,
      "--n",
      "1",
      "--model",
      "m",
      "--base-url",
      server.baseURL,
      "--timeout",
      "2",
      "--max-retries",
      "0",
    ]);
    expect(run.code, run.stderr).toBe(1);
    expect(readFileSync(`${out}.failures.jsonl`, "utf8")).toMatch(/did not finish within 2000 ms/);
  });
});

describe("response size cap", () => {
  it.each([true, false])("a completion far past max_tokens fails as too_large (stream %s)", async (stream) => {
    answer = { text: "word ".repeat(400_000), chunks: 50 }; // 2 MB for max_tokens 100
    const llm = createLlmClient({ baseURL: server.baseURL, model: "m", maxRetries: 0, stream });
    const error = await failure(llm.chat({ ...ask, maxTokens: 100 }));
    await llm.close();
    expect(error.kind).toBe("too_large");
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/more than max_tokens 100 allows/);
  });

  it.each([true, false])("a body past maxResponseBytes is cut off as too_large (stream %s)", async (stream) => {
    answer = { text: "word ".repeat(400_000), chunks: 50 };
    const llm = createLlmClient({ baseURL: server.baseURL, model: "m", maxRetries: 0, stream, maxResponseBytes: 200_000 });
    const error = await failure(llm.chat(ask));
    await llm.close();
    expect(error.kind).toBe("too_large");
    expect(error.message).toMatch(/passed 200000 bytes/);
  });

  it("a normal answer within the limits passes", async () => {
    answer = "A short answer.";
    const llm = createLlmClient({ baseURL: server.baseURL, model: "m", maxRetries: 0, maxResponseBytes: 200_000, deadlineMs: 5000 });
    expect((await llm.chat({ ...ask, maxTokens: 100 })).text).toBe("A short answer.");
    await llm.close();
  });
});
