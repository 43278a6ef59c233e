import { describe, expect, it } from "vitest";
import { cappedRetryAfterFetch, retryAfterMs } from "./capped-fetch.js";

describe("retryAfterMs", () => {
  it("reads retry-after-ms, seconds and HTTP dates", () => {
    expect(retryAfterMs(new Headers({ "retry-after-ms": "250" }))).toBe(250);
    expect(retryAfterMs(new Headers({ "retry-after": "2" }))).toBe(2000);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(retryAfterMs(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:10 GMT" }), now)).toBe(10_000);
    expect(retryAfterMs(new Headers({}))).toBeUndefined();
  });
});

describe("cappedRetryAfterFetch", () => {
  it("rewrites waits above the cap and leaves others alone", async () => {
    const reply = (headers: Record<string, string>) => async () => new Response("{}", { status: 429, headers });
    const long = await cappedRetryAfterFetch(reply({ "retry-after": "120" }), 1000)("http://x");
    expect(long.headers.get("retry-after")).toBeNull();
    expect(long.headers.get("retry-after-ms")).toBe("1000");
    expect(long.status).toBe(429);
    const short = await cappedRetryAfterFetch(reply({ "retry-after": "1" }), 5000)("http://x");
    expect(short.headers.get("retry-after")).toBe("1");
    const ok = await cappedRetryAfterFetch(async () => new Response("hi", { headers: { "retry-after": "999" } }), 1)("http://x");
    expect(await ok.text()).toBe("hi");
  });
});
