import { describe, expect, it } from "vitest";
import { createHubFetch, hubRetryDelayMs } from "./hub-fetch.js";
import { resolveHubConfig } from "./hub-config.js";
import { redactSecrets } from "../util/redact-secrets.js";
import { stripUrlQueries } from "./hub-error.js";

function scripted(responses: Array<Response | Error>): { fetch: typeof fetch; calls: number } {
  const state = { calls: 0, fetch: undefined as unknown as typeof fetch };
  state.fetch = (async () => {
    const next = responses[Math.min(state.calls, responses.length - 1)]!;
    state.calls += 1;
    if (next instanceof Error) throw next;
    return next.clone();
  }) as typeof fetch;
  return state;
}

describe("createHubFetch", () => {
  it("honours Retry-After on 429, capped by maxDelayMs", async () => {
    const s = scripted([new Response("slow down", { status: 429, headers: { "Retry-After": "120" } }), new Response("ok")]);
    const sleeps: number[] = [];
    const hub = createHubFetch({ fetch: s.fetch, maxDelayMs: 5000, sleep: async (ms) => void sleeps.push(ms) });
    const res = await hub.fetch("http://127.0.0.1/x");
    expect(await res.text()).toBe("ok");
    expect(sleeps).toEqual([5000]);
    expect(hub.retryCount()).toBe(1);
  });

  it("retries 5xx and network errors with growing backoff, then gives up", async () => {
    const s = scripted([new TypeError("fetch failed"), new Response("", { status: 503 }), new Response("", { status: 500 })]);
    const sleeps: number[] = [];
    const hub = createHubFetch({ fetch: s.fetch, retries: 3, baseDelayMs: 100, random: () => 0.5, sleep: async (ms) => void sleeps.push(ms) });
    const res = await hub.fetch("http://127.0.0.1/x", { method: "POST", body: "{}" });
    expect(res.status).toBe(500);
    expect(s.calls).toBe(4);
    expect(sleeps).toEqual([100, 200, 400]);
  });

  it("does not retry 4xx (409/412 are the caller's), nor streamed bodies, nor aborts", async () => {
    const s = scripted([new Response("", { status: 412 })]);
    const hub = createHubFetch({ fetch: s.fetch, sleep: async () => undefined });
    expect((await hub.fetch("http://127.0.0.1/x")).status).toBe(412);
    expect(s.calls).toBe(1);
    const s2 = scripted([new TypeError("reset")]);
    const hub2 = createHubFetch({ fetch: s2.fetch, sleep: async () => undefined });
    await expect(hub2.fetch("http://127.0.0.1/x", { method: "PUT", body: new ReadableStream(), duplex: "half" } as RequestInit)).rejects.toThrow("reset");
    expect(s2.calls).toBe(1);
    const controller = new AbortController();
    controller.abort();
    const s3 = scripted([new DOMException("aborted", "AbortError")]);
    const hub3 = createHubFetch({ fetch: s3.fetch, sleep: async () => undefined });
    await expect(hub3.fetch("http://127.0.0.1/x", { signal: controller.signal })).rejects.toThrow();
    expect(s3.calls).toBe(1);
  });

  it("counts uploaded bytes of successful PUTs only", async () => {
    const s = scripted([new Response("", { status: 500 }), new Response("")]);
    const hub = createHubFetch({ fetch: s.fetch, sleep: async () => undefined });
    await hub.fetch("http://127.0.0.1/put", { method: "PUT", body: new Blob([new Uint8Array(1234)]) });
    expect(hub.uploadedBytes()).toBe(1234);
    expect(hub.requestCount()).toBe(2);
    await hub.fetch("http://127.0.0.1/v1/xorbs/default/abc", { method: "POST", body: new Uint8Array(10) });
    await hub.fetch("http://127.0.0.1/api/x/commit/main", { method: "POST", body: "{}" });
    expect(hub.uploadedBytes()).toBe(1244);
  });

  it("parses Retry-After dates and RateLimit t=", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(hubRetryDelayMs(new Headers({ "Retry-After": "Thu, 01 Jan 2026 00:00:10 GMT" }), now)).toBe(10_000);
    expect(hubRetryDelayMs(new Headers({ RateLimit: '"api";r=0;t=55' }))).toBe(55_000);
    expect(hubRetryDelayMs(new Headers())).toBeUndefined();
  });
});

describe("resolveHubConfig", () => {
  it("reads HF_ENDPOINT and HF_TOKEN, explicit options win", () => {
    expect(resolveHubConfig({ env: {} })).toEqual({ endpoint: "https://huggingface.co", token: undefined });
    expect(resolveHubConfig({ env: { HF_ENDPOINT: "http://127.0.0.1:9/", HF_TOKEN: "hf_abc" } })).toEqual({ endpoint: "http://127.0.0.1:9", token: "hf_abc" });
    expect(resolveHubConfig({ env: { MY_TOKEN: "hf_mine" }, tokenEnv: "MY_TOKEN", endpoint: "http://x.test" }).token).toBe("hf_mine");
  });

  it("fails clearly without leaking a bad token", () => {
    expect(() => resolveHubConfig({ env: {}, requireToken: true })).toThrow(/HF_TOKEN/);
    expect(() => resolveHubConfig({ env: {}, tokenEnv: "NOPE", requireToken: true })).toThrow(/NOPE is not set/);
    try {
      resolveHubConfig({ env: { HF_TOKEN: "secret-value-123" } });
      expect.unreachable();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain("secret-value-123");
    }
    expect(() => resolveHubConfig({ env: { HF_ENDPOINT: "ftp://x" } })).toThrow(/endpoint/);
  });

  it("redacts tokens and URL query strings", () => {
    expect(redactSecrets("Bearer hf_abcdefgh, hf_abcdefgh and xyz-secret-value; hf_hub_download stays", ["xyz-secret-value"])).toBe(
      "[redacted], [redacted] and [redacted]; hf_hub_download stays",
    );
    expect(stripUrlQueries("PUT https://s3.test/obj?X-Amz-Signature=abc failed. URL: http://h/x")).toBe("PUT https://s3.test/obj?… failed. URL: http://h/x");
  });
});
