/** The loopback OpenAI-compatible test server, spoken to with plain fetch (the SDK path is in src/llm/client.test.ts). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom, startOpenAiServer, type OpenAiServer } from "./helpers/openai-server.js";

let server: OpenAiServer;
beforeAll(async () => {
  server = await startOpenAiServer({ respond: (_body, ctx) => `n=${ctx.index} r=${ctx.random().toFixed(6)}`, seed: 42 });
});
afterAll(() => server.close());

const post = (body: unknown) =>
  fetch(`${server.baseURL}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe("startOpenAiServer", () => {
  it("listens on 127.0.0.1, answers JSON, counts and records requests with stable keys", async () => {
    expect(server.baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const body = { model: "m", messages: [{ role: "user", content: "hi" }] };
    const a = (await (await post(body)).json()) as { choices: Array<{ message: { content: string }; finish_reason: string }>; usage: unknown };
    const random = seededRandom(42);
    expect(a.choices[0]!.message.content).toBe(`n=0 r=${random().toFixed(6)}`);
    expect(a.choices[0]!.finish_reason).toBe("stop");
    expect(a.usage).toBeTruthy();
    await post({ ...body, stream: true });
    expect(server.requestCount()).toBe(2);
    expect(server.requests[0]!.key).toBe(server.requests[1]!.key); // stream flags are not part of the key
    expect(server.requests[1]!.stream).toBe(true);
  });

  it("streams SSE chunks ending in [DONE], with a usage chunk on request", async () => {
    server.setRespond(() => ({ text: "abcdefgh", chunks: 4 }));
    const text = await (await post({ model: "m", messages: [{ role: "user", content: "x" }], stream: true, stream_options: { include_usage: true } })).text();
    const events = text.split("\n\n").filter(Boolean);
    expect(events.at(-1)).toBe("data: [DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice("data: ".length)));
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? "").join("")).toBe("abcdefgh");
    expect(chunks.at(-1).usage.completion_tokens).toBeGreaterThan(0);
    expect(chunks.at(-2).choices[0].finish_reason).toBe("stop");
  });

  it("serves scripted faults and 404s unknown routes", async () => {
    server.setRespond(() => ({ fault: "429", retryAfter: "7" }));
    const limited = await post({ model: "m", messages: [] });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    server.setRespond(() => ({ fault: "garbage" }));
    expect(await (await post({ model: "m", messages: [] })).text()).toContain("Bad Gateway");
    expect((await fetch(`${server.baseURL}/nope`)).status).toBe(404);
    server.setLatency(60);
    server.setRespond(() => "slow");
    const started = Date.now();
    await post({ model: "m", messages: [] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });
});
