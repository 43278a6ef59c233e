/**
 * @module llm/capped-fetch — a `fetch` wrapper that caps the wait a server asks for. The openai SDK
 * honours `Retry-After` without any ceiling (a 120 s header waits 120 s), so we rewrite longer waits
 * into `retry-after-ms: <cap>` before the SDK sees the response. The SDK still does the retrying.
 */

/** Parses `retry-after-ms` / `retry-after` (seconds or HTTP date) into milliseconds, if present. */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "" && !Number.isNaN(Number(ms))) return Number(ms);
  const value = headers.get("retry-after");
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (!Number.isNaN(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date - now;
}

/**
 * Wraps `inner` so that error responses asking to wait longer than `maxRetryAfterMs` ask for exactly
 * `maxRetryAfterMs` instead (negative or unparsable waits are left to the SDK's own backoff).
 */
export function cappedRetryAfterFetch(inner: typeof fetch, maxRetryAfterMs: number): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.ok) return response;
    const wait = retryAfterMs(response.headers);
    if (wait === undefined || wait <= maxRetryAfterMs) return response;
    const headers = new Headers(response.headers);
    headers.delete("retry-after");
    headers.set("retry-after-ms", String(maxRetryAfterMs));
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}
