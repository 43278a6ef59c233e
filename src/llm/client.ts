/**
 * @module llm/client — one chat client over the openai SDK (any OpenAI-compatible server): a concurrency
 * limit, per-request timeouts, the SDK's own HTTP retries (with a ceiling on Retry-After), streaming with
 * usage, token/cost totals, and an append-only journal that replays finished calls on a re-run.
 *
 * API notes (shape as planned in issue 5, plus): `ChatRequest.tag` labels journal lines; `ChatResult.key`
 * is the journal key; `totals()` also reports `failed` and `savedCostUsd` (what replays would have cost);
 * `close()` closes the journal. Failed calls throw an `LlmCallError` subclass and are never journaled,
 * so a re-run tries them again.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import type { Message } from "../schemas/message.js";
import { ConfigError } from "../errors.js";
import { cappedRetryAfterFetch } from "./capped-fetch.js";
import { ContentFilterError, EmptyCompletionError, LengthLimitError, LlmCallError, TruncatedStreamError } from "./errors.js";
import { openJournal, type Journal } from "./journal.js";
import { createLimiter } from "./limiter.js";
import { costOf, type PriceTable } from "./prices.js";
import { redactSecrets } from "./redact-secrets.js";
import { requestKey } from "./request-key.js";

export interface ChatRequest {
  messages: Message[];
  /** Overrides the client's model for this call. */
  model?: string;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
  stop?: string[];
  /** Label written to the journal line (not part of the key, not sent). */
  tag?: string;
}

export interface ChatResult {
  text: string;
  finishReason: string;
  /** The model the server says answered (falls back to the requested one). */
  model: string;
  usage: { promptTokens: number; completionTokens: number };
  /** Cost from the price table (0 when the model has no price). Replays report the original call's cost. */
  costUsd: number;
  /** True when the answer came from the journal, without HTTP. */
  replayed: boolean;
  /** Journal key (sha256 of the request). */
  key: string;
}

export interface LlmTotals {
  /** Calls answered over HTTP in this run. */
  calls: number;
  /** Calls answered from the journal. */
  replayed: number;
  /** Calls that failed (after the SDK's retries). */
  failed: number;
  /** Tokens and cost paid in this run (HTTP calls, including failed calls that reported usage). */
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  /** What the replayed calls cost when they were first made. */
  savedCostUsd: number;
}

export interface LlmClient {
  /** Sends one chat request; resolves with the text or throws an `LlmCallError`. */
  chat(request: ChatRequest, options?: { signal?: AbortSignal }): Promise<ChatResult>;
  totals(): LlmTotals;
  /** The default model. */
  readonly model: string;
  /** Closes the journal (further calls fail). */
  close(): Promise<void>;
}

export interface LlmClientOptions {
  /** Server base URL (…/v1). @default process.env.OPENAI_BASE_URL, else the OpenAI API */
  baseURL?: string;
  /** API key; wins over `apiKeyEnv`. */
  apiKey?: string;
  /** Environment variable holding the key. @default "OPENAI_API_KEY" (a placeholder is sent when unset: local servers need none) */
  apiKeyEnv?: string;
  /** Default model for requests that name none. */
  model: string;
  /** Calls in flight at once. @default 4 */
  concurrency?: number;
  /** Per-attempt timeout: to the response headers, and between stream chunks. @default 600_000 */
  timeoutMs?: number;
  /** HTTP retries done by the SDK (408/409/429/5xx, connection errors). @default 2 */
  maxRetries?: number;
  /** Ceiling on a server's Retry-After. @default 60_000 */
  maxRetryAfterMs?: number;
  /** Stream completions (SSE, with usage). @default true */
  stream?: boolean;
  /**
   * Return a completion cut off at max_tokens (finish_reason "length") as a result, instead of throwing
   * LengthLimitError: for benchmarks that score whatever the model wrote. @default false
   */
  acceptLengthLimit?: boolean;
  /** Journal file; when set, finished calls are appended and replayed. */
  journalPath?: string;
  /** Price table, USD per 1M tokens. */
  prices?: PriceTable;
  /** fetch implementation (test seam). */
  fetch?: typeof fetch;
  /** Environment to read OPENAI_BASE_URL and the key from. @default process.env */
  env?: Record<string, string | undefined>;
}

/** Sent as the key when no key is configured (vLLM, llama.cpp, Ollama need none). */
export const PLACEHOLDER_API_KEY = "no-key";

/**
 * Creates a chat client.
 * @example
 * const llm = createLlmClient({ model: "gpt-4o", journalPath: "out.jsonl.journal.jsonl" });
 * const { text } = await llm.chat({ messages: [{ role: "user", content: "Hi" }] });
 */
export function createLlmClient(options: LlmClientOptions): LlmClient {
  const {
    model: defaultModel,
    concurrency = 4,
    timeoutMs = 600_000,
    maxRetries = 2,
    maxRetryAfterMs = 60_000,
    stream = true,
    journalPath,
    prices,
    env = process.env,
  } = options;
  if (!defaultModel) throw new ConfigError("no model given (--model)");
  const keyEnv = options.apiKeyEnv ?? "OPENAI_API_KEY";
  const apiKey = options.apiKey ?? env[keyEnv] ?? PLACEHOLDER_API_KEY;
  const baseURL = options.baseURL ?? env.OPENAI_BASE_URL ?? undefined;
  /** Values redacted from every error this client raises (a server may echo the Authorization header). */
  const secrets = apiKey === PLACEHOLDER_API_KEY ? [] : [apiKey];
  const sdk = new OpenAI({
    apiKey,
    baseURL: baseURL || undefined,
    maxRetries,
    timeout: timeoutMs,
    fetch: cappedRetryAfterFetch(options.fetch ?? globalThis.fetch, maxRetryAfterMs),
    // Failures reach the caller as LlmCallErrors; the SDK's own console logging (e.g. raw garbage SSE
    // chunks) stays off unless the user asks for it with OPENAI_LOG.
    ...(env.OPENAI_LOG ? {} : { logLevel: "off" as const }),
  });
  const limiter = createLimiter({ concurrency });
  const journalPromise: Promise<Journal> | undefined = journalPath ? openJournal({ path: journalPath }) : undefined;
  journalPromise?.catch(() => undefined); // reported by the first chat(), not as an unhandled rejection
  const inFlight = new Map<string, Promise<ChatResult>>();
  const totals: LlmTotals = { calls: 0, replayed: 0, failed: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, savedCostUsd: 0 };
  let closed = false;

  const callOnce = async (request: ChatRequest, model: string, key: string, signal?: AbortSignal): Promise<ChatResult> => {
    const body = {
      model,
      messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      ...(request.topP === undefined ? {} : { top_p: request.topP }),
      ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
      ...(request.seed === undefined ? {} : { seed: request.seed }),
      ...(request.stop === undefined ? {} : { stop: request.stop }),
    };
    // Our own controller: aborts on the caller's signal or when a stream goes idle for timeoutMs.
    const controller = new AbortController();
    let idle = false;
    const onAbort = (): void => controller.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    if (signal?.aborted) controller.abort();
    let idleTimer: NodeJS.Timeout | undefined;
    const armIdle = (): void => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        idle = true;
        controller.abort();
      }, timeoutMs);
    };
    let text = "";
    let finishReason: string | null = null;
    let answeredModel = model;
    let usage = { promptTokens: 0, completionTokens: 0 };
    try {
      if (stream) {
        const chunks = await sdk.chat.completions.create(
          { ...body, stream: true, stream_options: { include_usage: true } },
          { signal: controller.signal },
        );
        armIdle();
        for await (const chunk of chunks) {
          armIdle();
          if (chunk.model) answeredModel = chunk.model;
          for (const choice of chunk.choices ?? []) {
            if (choice.index !== 0 && choice.index !== undefined) continue;
            text += choice.delta?.content ?? "";
            if (choice.finish_reason) finishReason = choice.finish_reason;
          }
          if (chunk.usage) usage = { promptTokens: chunk.usage.prompt_tokens ?? 0, completionTokens: chunk.usage.completion_tokens ?? 0 };
        }
        if (finishReason === null) throw new TruncatedStreamError({ model, partialChars: text.length });
      } else {
        const completion = await sdk.chat.completions.create(body, { signal: controller.signal });
        const choice = completion.choices?.[0];
        if (!choice) throw new LlmCallError("bad_response", "the response has no choices", { model, retryable: true });
        if (completion.model) answeredModel = completion.model;
        text = choice.message?.content ?? "";
        finishReason = choice.finish_reason ?? "unknown";
        if (completion.usage) {
          usage = { promptTokens: completion.usage.prompt_tokens ?? 0, completionTokens: completion.usage.completion_tokens ?? 0 };
        }
      }
    } catch (error) {
      throw toLlmError(error, { model, idle, callerAborted: signal?.aborted === true, partialChars: text.length, timeoutMs, secrets });
    } finally {
      clearTimeout(idleTimer);
      signal?.removeEventListener("abort", onAbort);
    }
    const costUsd = costOf(prices, answeredModel, usage.promptTokens, usage.completionTokens);
    totals.promptTokens += usage.promptTokens;
    totals.completionTokens += usage.completionTokens;
    totals.costUsd += costUsd;
    if (finishReason === "length" && !options.acceptLengthLimit) throw new LengthLimitError({ model, partialChars: text.length });
    if (finishReason === "content_filter") throw new ContentFilterError({ model });
    if (text.trim() === "") throw new EmptyCompletionError({ model, finishReason });
    return { text, finishReason, model: answeredModel, usage, costUsd, replayed: false, key };
  };

  const chat = async (request: ChatRequest, callOptions: { signal?: AbortSignal } = {}): Promise<ChatResult> => {
    if (closed) throw new LlmCallError("aborted", "the client is closed", { model: request.model ?? defaultModel });
    const model = request.model ?? defaultModel;
    const key = requestKey({ ...request, model });
    const journal = journalPromise ? await journalPromise : undefined;
    const entry = journal?.get(key);
    if (entry) {
      const costUsd = costOf(prices, entry.model, entry.usage.promptTokens, entry.usage.completionTokens);
      totals.replayed += 1;
      totals.savedCostUsd += costUsd;
      return { text: entry.text, finishReason: entry.finishReason, model: entry.model, usage: entry.usage, costUsd, replayed: true, key };
    }
    const running = inFlight.get(key);
    if (running) return running;
    const promise = limiter
      .run(() => callOnce(request, model, key, callOptions.signal))
      .then(
        (result) => {
          totals.calls += 1;
          if (!closed) {
            journal?.append({
              key,
              text: result.text,
              finishReason: result.finishReason,
              model: result.model,
              usage: result.usage,
              ...(request.tag ? { tag: request.tag } : {}),
            });
          }
          return result;
        },
        (error: unknown) => {
          totals.failed += 1;
          throw error;
        },
      )
      .finally(() => inFlight.delete(key));
    inFlight.set(key, promise);
    return promise;
  };

  return {
    chat,
    model: defaultModel,
    totals: () => ({ ...totals }),
    async close() {
      closed = true;
      if (journalPromise) (await journalPromise.catch(() => undefined))?.close();
    },
  };
}

/**
 * Maps whatever the SDK threw onto our error classes. Messages and causes are redacted: the configured
 * key, `Bearer …` and key-shaped tokens never survive, even when the server echoes them.
 */
function toLlmError(
  error: unknown,
  context: { model: string; idle: boolean; callerAborted: boolean; partialChars: number; timeoutMs: number; secrets: string[] },
): LlmCallError {
  const { model, secrets } = context;
  if (LlmCallError.isLlmCallError(error)) return error;
  if (context.idle) {
    return context.partialChars > 0
      ? new TruncatedStreamError({ model, partialChars: context.partialChars, cause: error, secrets })
      : new LlmCallError("timeout", `no data for ${context.timeoutMs} ms`, { model, retryable: true, cause: error, secrets });
  }
  if (context.callerAborted || error instanceof APIUserAbortError) {
    return new LlmCallError("aborted", "the call was aborted", { model, cause: error, secrets });
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new LlmCallError("timeout", `no response within ${context.timeoutMs} ms (after the SDK's retries)`, {
      model,
      retryable: true,
      cause: error,
      secrets,
    });
  }
  if (error instanceof APIConnectionError) {
    return new LlmCallError("connection", `${redactSecrets(error.message, secrets)} (after the SDK's retries)`, { model, retryable: true, cause: error, secrets });
  }
  if (error instanceof APIError && typeof error.status === "number") {
    const status = error.status;
    const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
    return new LlmCallError("http", `HTTP ${status}: ${oneLine(redactSecrets(error.message, secrets))}`, { model, status, retryable, cause: error, secrets });
  }
  if (error instanceof APIError) {
    // No status: the server reported an error inside a 200 stream (an SSE `error` event).
    return new LlmCallError("bad_response", `the server sent an error event in the stream: ${oneLine(redactSecrets(error.message, secrets))}`, {
      model,
      retryable: true,
      cause: error,
      secrets,
    });
  }
  if (context.partialChars > 0) return new TruncatedStreamError({ model, partialChars: context.partialChars, cause: error, secrets });
  const message = error instanceof Error ? error.message : String(error);
  return new LlmCallError("bad_response", oneLine(redactSecrets(message, secrets)), { model, retryable: true, cause: error, secrets });
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}
