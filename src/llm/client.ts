/**
 * @module llm/client — one chat client over the openai SDK (any OpenAI-compatible server): a concurrency
 * limit, per-request timeouts, the SDK's own HTTP retries (with a ceiling on Retry-After), streaming with
 * usage (the SDK sends the request; llm/chat-stream reads the events), token/cost totals, and an
 * append-only journal that replays finished calls on a re-run.
 *
 * API notes (shape as planned in issue 5, plus): `ChatRequest.tag` labels journal lines; `ChatResult.key`
 * is the journal key; `totals()` also reports `failed` and `savedCostUsd` (what replays would have cost);
 * `close()` closes the journal. Failed calls throw an `LlmCallError` subclass and are never journaled,
 * so a re-run tries them again.
 */
import type OpenAI from "openai";
import type { Message } from "../schemas/message.js";
import { ConfigError } from "../errors.js";
import { cappedRetryAfterFetch } from "./capped-fetch.js";
import { nodeHttpFetch } from "./node-http-fetch.js";
import { loadedOpenAiSdk, loadOpenAiSdk } from "./openai-sdk.js";
import { cappedBodyFetch, ResponseTooLargeError } from "./response-size-cap.js";
import { ChatStream, StreamErrorEvent } from "./chat-stream.js";
import { chatBody, checkCompletion, usageFromApi } from "./chat-wire.js";
import { LlmCallError, TruncatedStreamError } from "./errors.js";
import { openJournal, type Journal } from "./journal.js";
import { createLimiter, type LimiterPriority } from "../util/limiter.js";
import type { PriceTable, UsageCounts } from "./prices.js";
import { redactSecrets } from "../util/redact-secrets.js";
import { requestKey } from "./request-key.js";
import { createSpendLedger, type LlmTotals } from "./spend-ledger.js";
import { createBatchChat, type BatchOptions } from "./batch-chat.js";

export type { LlmTotals } from "./spend-ledger.js";

export interface ChatRequest {
  messages: Message[];
  /** Overrides the client's model for this call. */
  model?: string | undefined;
  temperature?: number | undefined;
  topP?: number | undefined;
  maxTokens?: number | undefined;
  seed?: number | undefined;
  stop?: string[] | undefined;
  /** Label written to the journal line (not part of the key, not sent). */
  tag?: string | undefined;
  /**
   * Scheduling only (not part of the key, not sent): among calls waiting for one of the client's
   * `concurrency` slots, the highest priority starts first, ties in arrival order. A function is read
   * each time a slot frees. Ignored on the Batch API path. @default 0
   */
  priority?: LimiterPriority | undefined;
}

export interface ChatResult {
  text: string;
  finishReason: string;
  /** The model the server says answered (falls back to the requested one). */
  model: string;
  usage: UsageCounts;
  /** Cost from the price table (0 when the model has no price). Replays report the original call's cost. */
  costUsd: number;
  /** True when the answer came from the journal, without HTTP. */
  replayed: boolean;
  /** Journal key (sha256 of the request). */
  key: string;
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
  baseURL?: string | undefined;
  /** API key; wins over `apiKeyEnv`. */
  apiKey?: string | undefined;
  /** Environment variable holding the key. @default "OPENAI_API_KEY" (a placeholder is sent when unset: local servers need none) */
  apiKeyEnv?: string | undefined;
  /** Default model for requests that name none. */
  model: string;
  /** Calls in flight at once. @default 4 */
  concurrency?: number | undefined;
  /** Idle timeout per attempt: to the response headers, and between stream chunks. @default 600_000 */
  timeoutMs?: number | undefined;
  /**
   * Whole-call deadline: the call fails once it has run this long, however steadily the server
   * drip-feeds chunks (SDK retries included). @default 3_600_000
   */
  deadlineMs?: number | undefined;
  /** Most bytes one HTTP response body may have (a server ignoring max_tokens cannot fill memory). @default 64 MiB */
  maxResponseBytes?: number | undefined;
  /** HTTP retries done by the SDK (408/409/429/5xx, connection errors). @default 2 */
  maxRetries?: number | undefined;
  /** Ceiling on a server's Retry-After. @default 60_000 */
  maxRetryAfterMs?: number | undefined;
  /** Stream completions (SSE, with usage). @default true */
  stream?: boolean | undefined;
  /**
   * Return a completion cut off at max_tokens (finish_reason "length") as a result, instead of throwing
   * LengthLimitError: for benchmarks that score whatever the model wrote. @default false
   */
  acceptLengthLimit?: boolean | undefined;
  /** Journal file; when set, finished calls are appended and replayed. */
  journalPath?: string | undefined;
  /** Price table, USD per 1M tokens. */
  prices?: PriceTable | undefined;
  /**
   * Send requests through the Batch API (files + batches, half price) instead of chat calls; needs
   * `journalPath` (batch ids and results are journaled there, so a killed run resumes the same batches).
   */
  batch?: BatchOptions | undefined;
  /** Budget in USD: calls that could pass it are refused with a BudgetExceededError (kind "budget"). */
  maxCostUsd?: number | undefined;
  /** Warnings (a server that reports no usage, batch notices), once each. */
  onWarning?: ((message: string) => void) | undefined;
  /** fetch implementation (test seam). */
  fetch?: typeof fetch | undefined;
  /** Environment to read OPENAI_BASE_URL and the key from. @default process.env */
  env?: Record<string, string | undefined> | undefined;
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
    deadlineMs = 3_600_000,
    maxResponseBytes = 64 * 1024 * 1024,
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
  // The SDK is loaded when a client is created, not when the package is imported (llm/openai-sdk); calls wait for it.
  const sdk: Promise<OpenAI> = loadOpenAiSdk().then(
    ({ default: OpenAiClient }) =>
      new OpenAiClient({
        apiKey,
        baseURL: baseURL || undefined,
        maxRetries,
        timeout: timeoutMs,
        // Chat calls go over node:http (llm/node-http-fetch: a third of the CPU per call of Node's fetch);
        // a caller's own fetch gets the same response-size cap.
        fetch: cappedRetryAfterFetch(options.fetch ? cappedBodyFetch(options.fetch, maxResponseBytes) : nodeHttpFetch({ maxResponseBytes }), maxRetryAfterMs),
        // Failures reach the caller as LlmCallErrors; the SDK's own console logging (e.g. raw garbage SSE
        // chunks) stays off unless the user asks for it with OPENAI_LOG.
        ...(env.OPENAI_LOG ? {} : { logLevel: "off" as const }),
      }),
  );
  sdk.catch(() => undefined); // reported by the first chat(), not as an unhandled rejection
  const journalPromise: Promise<Journal> | undefined = journalPath ? openJournal({ path: journalPath }) : undefined;
  journalPromise?.catch(() => undefined); // reported by the first chat(), not as an unhandled rejection
  const ledger = createSpendLedger({ prices, maxCostUsd: options.maxCostUsd, onWarning: options.onWarning });
  const totals = ledger.totals;
  if (options.batch) {
    if (!journalPromise) throw new ConfigError("the Batch API path needs a journal (batch ids and results are kept there)");
    return createBatchChat({
      sdk,
      model: defaultModel,
      journal: journalPromise,
      ledger,
      batch: options.batch,
      acceptLengthLimit: options.acceptLengthLimit === true,
      secrets,
    });
  }
  const limiter = createLimiter({ concurrency });
  const inFlight = new Map<string, Promise<ChatResult>>();
  let closed = false;

  const callOnce = async (request: ChatRequest, model: string, key: string, signal?: AbortSignal): Promise<ChatResult> => {
    const body = chatBody(request, model);
    // Our own controller: aborts on the caller's signal, when a stream goes idle for timeoutMs, or when
    // the whole call passes its deadline.
    const controller = new AbortController();
    let idle = false;
    let pastDeadline = false;
    const deadlineTimer = setTimeout(() => {
      pastDeadline = true;
      controller.abort();
    }, deadlineMs);
    // A completion cannot be longer than max_tokens allows (32 characters per token is generous).
    const maxChars = request.maxTokens === undefined ? Number.POSITIVE_INFINITY : Math.max(4096, request.maxTokens * 32);
    const onAbort = (): void => controller.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    if (signal?.aborted) controller.abort();
    let idleTimer: NodeJS.Timeout | undefined;
    // Re-armed on every stream chunk: refresh() restarts the same timer instead of making a new one.
    const armIdle = (): void => {
      if (idleTimer) {
        idleTimer.refresh();
        return;
      }
      idleTimer = setTimeout(() => {
        idle = true;
        controller.abort();
      }, timeoutMs);
    };
    let text = "";
    let finishReason: string | null = null;
    let answeredModel = model;
    let usage: UsageCounts = { promptTokens: 0, completionTokens: 0 };
    let usageReported = false;
    let streamed: ChatStream | undefined;
    try {
      if (stream) {
        // The SDK sends the request (and retries it, and turns HTTP errors into APIErrors); the body's
        // events are read here, as bytes arrive (llm/chat-stream): a fifth to a quarter less CPU per call than
        // through the SDK's stream on token-by-token answers (docs/decisions.md, "Streamed answers").
        const response = await (await sdk).chat.completions
          .create({ ...body, stream: true, stream_options: { include_usage: true } }, { signal: controller.signal })
          .asResponse();
        armIdle();
        streamed = new ChatStream();
        for await (const bytes of bodyChunks(response, model)) {
          armIdle();
          streamed.push(bytes);
          if (streamed.text.length > maxChars) {
            controller.abort();
            throw tooLong(model, streamed.text.length, request.maxTokens!);
          }
        }
        streamed.end();
        text = streamed.text;
        finishReason = streamed.finishReason;
        if (streamed.model) answeredModel = streamed.model;
        if (streamed.usage) {
          usage = usageFromApi(streamed.usage);
          usageReported = true;
        }
        if (finishReason === null) throw new TruncatedStreamError({ model, partialChars: text.length });
      } else {
        const completion = await (await sdk).chat.completions.create(body, { signal: controller.signal });
        const choice = completion.choices?.[0];
        if (!choice) throw new LlmCallError("bad_response", "the response has no choices", { model, retryable: true });
        if (completion.model) answeredModel = completion.model;
        text = choice.message?.content ?? "";
        finishReason = choice.finish_reason ?? "unknown";
        if (text.length > maxChars) throw tooLong(model, text.length, request.maxTokens!);
        if (completion.usage) {
          usage = usageFromApi(completion.usage);
          usageReported = true;
        }
      }
    } catch (error) {
      throw toLlmError(error, {
        model,
        idle,
        pastDeadline,
        deadlineMs,
        callerAborted: signal?.aborted === true,
        partialChars: streamed?.text.length ?? text.length,
        timeoutMs,
        secrets,
      });
    } finally {
      clearTimeout(idleTimer);
      clearTimeout(deadlineTimer);
      signal?.removeEventListener("abort", onAbort);
    }
    const costUsd = ledger.charge(answeredModel, usage, { batch: false, usageReported });
    checkCompletion({ model, text, finishReason, acceptLengthLimit: options.acceptLengthLimit === true });
    return { text, finishReason, model: answeredModel, usage, costUsd, replayed: false, key };
  };

  const chat = async (request: ChatRequest, callOptions: { signal?: AbortSignal } = {}): Promise<ChatResult> => {
    if (closed) throw new LlmCallError("aborted", "the client is closed", { model: request.model ?? defaultModel });
    const model = request.model ?? defaultModel;
    const key = requestKey({ ...request, model });
    const journal = journalPromise ? await journalPromise : undefined;
    const entry = journal?.get(key);
    if (entry) {
      const costUsd = ledger.replay(entry.model, entry.usage, entry.batch === true);
      return { text: entry.text, finishReason: entry.finishReason, model: entry.model, usage: entry.usage, costUsd, replayed: true, key };
    }
    const running = inFlight.get(key);
    if (running) return running;
    const promise = limiter
      .run(
        async () => {
          // Aborted while it waited for a slot (the caller's run stopped): never sent.
          if (callOptions.signal?.aborted) throw new LlmCallError("aborted", "the call was aborted before it was sent", { model });
          // The budget counts calls in flight: reserve this one's worst case while it runs.
          const release = ledger.reserve(model, [request], false);
          try {
            return await callOnce(request, model, key, callOptions.signal);
          } finally {
            release();
          }
        },
        { priority: request.priority },
      )
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
    totals: () => ledger.snapshot(),
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
  context: {
    model: string;
    idle: boolean;
    pastDeadline: boolean;
    deadlineMs: number;
    callerAborted: boolean;
    partialChars: number;
    timeoutMs: number;
    secrets: string[];
  },
): LlmCallError {
  const { model, secrets } = context;
  const tooLarge = findTooLarge(error, model);
  if (tooLarge) return tooLarge;
  // Our own aborts (deadline, idle) may surface as an aborted request or as a stream that just ends
  // (a TruncatedStreamError raised above): the flags say which it was.
  if (context.pastDeadline && !context.callerAborted) {
    return new LlmCallError("timeout", `the call did not finish within ${context.deadlineMs} ms (the whole-call deadline, --timeout)`, {
      model,
      retryable: true,
      cause: error,
      secrets,
    });
  }
  if (LlmCallError.isLlmCallError(error) && !context.idle) return error;
  if (context.idle) {
    return context.partialChars > 0
      ? new TruncatedStreamError({ model, partialChars: context.partialChars, cause: error, secrets })
      : new LlmCallError("timeout", `no data for ${context.timeoutMs} ms`, { model, retryable: true, cause: error, secrets });
  }
  // An error can be one of the SDK's classes only once the SDK is loaded.
  const { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } = loadedOpenAiSdk() ?? NO_SDK_ERRORS;
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
    return new LlmCallError("connection", `${redactSecrets(error.message, secrets)} (after the SDK's retries)`, {
      model,
      retryable: true,
      cause: error,
      secrets,
    });
  }
  if (error instanceof APIError && typeof error.status === "number") {
    const status = error.status;
    const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
    return new LlmCallError("http", `HTTP ${status}: ${oneLine(redactSecrets(error.message, secrets))}`, { model, status, retryable, cause: error, secrets });
  }
  if (error instanceof APIError || error instanceof StreamErrorEvent) {
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

/** Stand-ins for the SDK's error classes before it is loaded: nothing is an instance of them. */
class NotAnSdkError extends Error {
  status: number | undefined;
}
const NO_SDK_ERRORS = {
  APIConnectionError: NotAnSdkError,
  APIConnectionTimeoutError: NotAnSdkError,
  APIError: NotAnSdkError,
  APIUserAbortError: NotAnSdkError,
};

/** A response body's chunks: ours (llm/node-http-fetch) and a WHATWG stream (a caller's fetch) are both async iterable. */
function bodyChunks(response: Response, model: string): AsyncIterable<Uint8Array> {
  const body = response.body as unknown as AsyncIterable<Uint8Array> | null;
  if (!body) throw new LlmCallError("bad_response", "the streamed response has no body", { model, retryable: true });
  return body;
}

function tooLong(model: string, chars: number, maxTokens: number): LlmCallError {
  return new LlmCallError("too_large", `the completion passed ${chars} characters, more than max_tokens ${maxTokens} allows; the server ignores max_tokens`, {
    model,
    retryable: false,
  });
}

/** The response-size error, wherever the SDK put it (thrown as is, or as the cause of its own error). */
function findTooLarge(error: unknown, model: string): LlmCallError | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof ResponseTooLargeError) return new LlmCallError("too_large", e.message, { model, retryable: false });
  }
  return undefined;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}
