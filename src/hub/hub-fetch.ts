/**
 * @module hub/hub-fetch — the `fetch` we hand to `@huggingface/hub`, which retries nothing itself:
 * retries 429 (honouring Retry-After / RateLimit, capped), 5xx and network resets with bounded
 * exponential backoff and jitter, and counts uploaded bytes. 409/412 are left to the caller.
 */
import { retryAfterMs } from "../llm/capped-fetch.js";

export interface HubRetryEvent {
  attempt: number;
  /** HTTP status, or undefined for a network error. */
  status: number | undefined;
  method: string;
  /** URL without query string (LFS hrefs carry signatures in it). */
  url: string;
  delayMs: number;
  reason: string;
}

export interface HubFetchOptions {
  /** Underlying fetch. @default globalThis.fetch */
  fetch?: typeof fetch | undefined;
  /** Retries after the first attempt. @default 5 */
  retries?: number | undefined;
  /** First backoff delay. @default 500 */
  baseDelayMs?: number | undefined;
  /** Ceiling for one backoff delay and for a server's Retry-After. @default 60_000 */
  maxDelayMs?: number | undefined;
  /** Called before each retry (logging). */
  onRetry?: ((event: HubRetryEvent) => void) | undefined;
  /** Called after a successful upload request (LFS PUT, Xet xorb/shard POST) with the bytes it sent. */
  onUploaded?: ((bytes: number) => void) | undefined;
  /** Sleep function (tests). */
  sleep?: ((ms: number) => Promise<void>) | undefined;
  /** Random source for jitter (tests). @default Math.random */
  random?: (() => number) | undefined;
}

/** A fetch with retries, plus counters. */
export interface HubFetch {
  fetch: typeof fetch;
  /** Bytes sent by successful uploads so far (LFS PUTs, Xet xorbs/shards). */
  uploadedBytes(): number;
  /** Requests made, retries included. */
  requestCount(): number;
  /** Retries made. */
  retryCount(): number;
}

const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);

/**
 * How long the Hub asks us to wait: `Retry-After` (seconds or an HTTP date, parsed by the LLM layer's
 * `retryAfterMs`), else the `t=` of a `RateLimit: "api";r=0;t=55` header; milliseconds or undefined.
 */
export function hubRetryDelayMs(headers: Headers, now: number = Date.now()): number | undefined {
  const hinted = retryAfterMs(headers, now);
  if (hinted !== undefined) return Math.max(0, hinted);
  const rateLimit = headers.get("ratelimit");
  const match = rateLimit ? /(?:^|[;,\s])t=(\d+)/.exec(rateLimit) : null;
  return match ? Number(match[1]) * 1000 : undefined;
}

function bodySize(body: unknown): number | undefined {
  if (body === undefined || body === null) return 0;
  if (typeof body === "string") return Buffer.byteLength(body);
  if (body instanceof Blob) return body.size;
  if (body instanceof ArrayBuffer) return body.byteLength;
  if (ArrayBuffer.isView(body)) return body.byteLength;
  if (body instanceof URLSearchParams) return Buffer.byteLength(body.toString());
  return undefined; // a stream: cannot be re-sent
}

function isAbort(error: unknown, signal: AbortSignal | null | undefined): boolean {
  return signal?.aborted === true || (error instanceof Error && error.name === "AbortError");
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? `${error.message} (${cause.code})` : cause?.message ? `${error.message} (${cause.message})` : error.message;
}

/**
 * Creates the retrying fetch. A request is retried only when its body can be sent again (strings,
 * Blobs, buffers); streamed bodies fail on the first error.
 */
export function createHubFetch(options: HubFetchOptions = {}): HubFetch {
  const inner = options.fetch ?? globalThis.fetch;
  const retries = options.retries ?? 5;
  const baseDelay = options.baseDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 60_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  let uploaded = 0;
  let requests = 0;
  let retried = 0;

  const wrapped = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    const rawUrl = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const url = rawUrl.split("?")[0]!;
    const size = bodySize(init?.body);
    const canRetry = size !== undefined && !(input instanceof Request && input.body);
    for (let attempt = 0; ; attempt++) {
      requests += 1;
      const backoff = Math.min(maxDelay, baseDelay * 2 ** attempt) * (0.75 + 0.5 * random());
      let response: Response;
      try {
        response = await inner(input, init);
      } catch (error) {
        if (isAbort(error, init?.signal) || !canRetry || attempt >= retries) throw error;
        const delayMs = Math.round(backoff);
        retried += 1;
        options.onRetry?.({ attempt: attempt + 1, status: undefined, method, url, delayMs, reason: describeNetworkError(error) });
        await sleep(delayMs);
        continue;
      }
      if (RETRY_STATUS.has(response.status) && canRetry && attempt < retries) {
        const hinted = hubRetryDelayMs(response.headers);
        const delayMs = Math.round(Math.min(maxDelay, hinted ?? backoff));
        void response.body?.cancel().catch(() => undefined); // do not wait: a tee'd body never settles
        retried += 1;
        options.onRetry?.({ attempt: attempt + 1, status: response.status, method, url, delayMs, reason: `HTTP ${response.status}` });
        await sleep(delayMs);
        continue;
      }
      // LFS uploads are PUTs (basic and multipart parts); Xet uploads POST xorbs and shards to the CAS.
      if (response.ok && size && (method === "PUT" || /\/v1\/(xorbs|shards)(\/|$)/.test(url))) {
        uploaded += size;
        options.onUploaded?.(size);
      }
      return response;
    }
  };

  return {
    fetch: wrapped as typeof fetch,
    uploadedBytes: () => uploaded,
    requestCount: () => requests,
    retryCount: () => retried,
  };
}
