/**
 * @module test/helpers/openai-server — an OpenAI-compatible `POST /v1/chat/completions` server on
 * 127.0.0.1 for tests and benchmarks. Each test scripts the answers (`respond`), with optional latency
 * and faults: 429 + Retry-After, 500 (or any status), hang, truncated or reset streams,
 * `finish_reason: "length"`/`"content_filter"`, empty text, garbage bodies, an SSE error event. Speaks JSON and SSE
 * (`stream: true`, usage chunk when `stream_options.include_usage`). It counts and records requests.
 * It also speaks the Batch API (`/v1/files`, `/v1/batches`; see openai-batch-routes.ts), answering
 * each batch line with the same `respond` script; batch lines are recorded in `batchRequests`, not
 * `requests`, so a test can assert that a batch run made no direct chat call.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { stableHash } from "../../src/text/record-id.js";
import { createBatchRoutes, type BatchBehaviour, type BatchRoutes } from "./openai-batch-routes.js";

/** A normal answer: the text (and optionally finish reason, usage, model, number of stream chunks). */
export type ServerReply =
  | string
  | {
      text: string;
      finishReason?: string;
      /** `cached_tokens` is reported as `usage.prompt_tokens_details.cached_tokens`. */
      usage?: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number };
      /** Send no usage at all (some servers do not). */
      omitUsage?: boolean;
      model?: string;
      chunks?: number;
    };

/** A scripted failure. */
export type ServerFault =
  | { fault: "429"; retryAfter?: string; retryAfterMs?: string }
  | { fault: "500"; retryAfterMs?: string }
  | { fault: "status"; status: number; body?: string; headers?: Record<string, string> }
  | { fault: "hang" }
  /** Stream: send part of the text, then end cleanly without a finish reason. Non-stream: half a JSON body. */
  | { fault: "truncate"; text?: string }
  /** Stream: send part of the text, then destroy the socket. */
  | { fault: "reset"; text?: string }
  | { fault: "length"; text?: string }
  | { fault: "content_filter" }
  | { fault: "empty" }
  | { fault: "garbage" }
  /** In a batch: the line lands in the error file with this code. Direct: HTTP 500. */
  | { fault: "batch_error"; code?: string; message?: string }
  /** Stream: a first chunk of text, then an SSE event carrying `{"error": {message}}` (as gateways send). Non-stream: a 500 with that body. */
  | { fault: "sse_error"; message: string; text?: string }
  /** Stream: one chunk of `text` every `intervalMs`, `chunks` times, then a normal end (a drip-feeding server). */
  | { fault: "drip"; intervalMs: number; chunks: number; text?: string };

export interface RecordedRequest {
  /** 0-based arrival order. */
  index: number;
  body: ChatBody;
  stream: boolean;
  /** The SDK's retry counter (`x-stainless-retry-count`), 0 on the first attempt. */
  attempt: number;
  /** sha256 of the body without its stream fields: equal for equal requests. */
  key: string;
  authorization: string | undefined;
}

export interface ChatBody {
  model: string;
  messages: Array<{ role: string; content: string }>;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  [name: string]: unknown;
}

export interface RespondContext {
  index: number;
  attempt: number;
  stream: boolean;
  /** Content of the last user message. */
  prompt: string;
  /** Seeded PRNG in [0, 1), shared by the server (deterministic for a given arrival order). */
  random: () => number;
  request: RecordedRequest;
}

export type Respond = (body: ChatBody, ctx: RespondContext) => ServerReply | ServerFault | Promise<ServerReply | ServerFault>;

export interface OpenAiServerOptions {
  respond: Respond;
  /** Delay before each answer (ms). @default 0 */
  latencyMs?: number;
  /** Seed of `ctx.random`. @default 1 */
  seed?: number;
  /** Keep full request bodies in `requests` (turn off for big benchmarks). @default true */
  record?: boolean;
  /** Batch API behaviour (status progression, outcome, hold, or `enabled: false`). */
  batch?: Partial<BatchBehaviour>;
  /**
   * Simulate automatic prefix caching like OpenAI's: a prompt whose first ≥ `minTokens` tokens (in
   * `blockTokens` steps, 4 characters a token) were sent before reports them as `cached_tokens`.
   * Applies to answers without scripted usage. @default off
   */
  prefixCache?: { minTokens?: number; blockTokens?: number };
}

export interface OpenAiServer {
  /** `http://127.0.0.1:PORT/v1` */
  baseURL: string;
  requests: RecordedRequest[];
  requestCount(): number;
  /** Replace the script (switch faults on/off mid-test). */
  setRespond(respond: Respond): void;
  setLatency(ms: number): void;
  /** The Batch API routes: stored files and batches, counts, `configure`, `release`, `failNext`. */
  batch: BatchRoutes;
  /** Bodies of the batch lines answered (in answer order). */
  batchRequests: ChatBody[];
  close(): Promise<void>;
}

/** mulberry32: a tiny seeded PRNG. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function isFault(value: ServerReply | ServerFault): value is ServerFault {
  return typeof value === "object" && "fault" in value;
}

function approxTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/**
 * Starts the server on 127.0.0.1 with an OS-chosen port.
 * @example
 * const server = await startOpenAiServer({ respond: (body) => `echo: ${body.messages[0]!.content}` });
 * const llm = createLlmClient({ baseURL: server.baseURL, model: "m" });
 */
export async function startOpenAiServer(options: OpenAiServerOptions): Promise<OpenAiServer> {
  let respond = options.respond;
  let latencyMs = options.latencyMs ?? 0;
  const record = options.record ?? true;
  const random = seededRandom(options.seed ?? 1);
  const requests: RecordedRequest[] = [];
  const batchRequests: ChatBody[] = [];
  const prefixCache = options.prefixCache ? createPrefixCache(options.prefixCache) : undefined;
  let count = 0;
  const batch = createBatchRoutes(async (line) => {
    const body = line as ChatBody;
    const request: RecordedRequest = { index: batchRequests.length, body, stream: false, attempt: 0, key: stableHash(body), authorization: undefined };
    batchRequests.push(body);
    const users = body.messages.filter((m) => m.role === "user");
    const answer = await respond(body, { index: request.index, attempt: 0, stream: false, prompt: users[users.length - 1]?.content ?? "", random, request });
    if (isFault(answer)) {
      switch (answer.fault) {
        case "batch_error":
          return { error: { code: answer.code ?? "invalid_request", message: answer.message ?? "scripted line error (test server)" } };
        case "429":
          return { status: 429, body: { error: { message: "Rate limit reached (test server)", type: "rate_limit_error" } } };
        case "status":
          return { status: answer.status, body: { error: { message: answer.body ?? `status ${answer.status} (test server)` } } };
        case "length":
          return {
            status: 200,
            body: completionJson(body.model, answer.text ?? "A long answer that stops because max_tokens ran o", "length", {
              prompt_tokens: 10,
              completion_tokens: 16,
            }),
          };
        case "content_filter":
          return { status: 200, body: completionJson(body.model, "", "content_filter", { prompt_tokens: 10, completion_tokens: 0 }) };
        case "empty":
          return { status: 200, body: completionJson(body.model, "", "stop", { prompt_tokens: 10, completion_tokens: 0 }) };
        default:
          return { status: 500, body: { error: { message: "Internal server error (test server)", type: "server_error" } } };
      }
    }
    const reply = typeof answer === "string" ? { text: answer } : answer;
    const usage = reply.omitUsage
      ? undefined
      : (reply.usage ?? { prompt_tokens: approxTokens(body.messages.map((m) => m.content).join("\n")), completion_tokens: approxTokens(reply.text) });
    return { status: 200, body: completionJson(reply.model ?? body.model, reply.text, reply.finishReason ?? "stop", usage) };
  }, options.batch);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = req.url ?? "";
    if (await batch.handle(req, url, Buffer.concat(chunks), res)) return;
    if (req.method === "GET" && url.endsWith("/models")) {
      sendJson(res, 200, { object: "list", data: [{ id: "test-model", object: "model", owned_by: "test" }] });
      return;
    }
    if (req.method !== "POST" || !url.endsWith("/chat/completions")) {
      sendJson(res, 404, { error: { message: `no route ${req.method} ${url}`, type: "not_found" } });
      return;
    }
    let body: ChatBody;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ChatBody;
    } catch {
      sendJson(res, 400, { error: { message: "invalid JSON body", type: "invalid_request_error" } });
      return;
    }
    const { stream: _s, stream_options: _so, ...identity } = body;
    const stream = body.stream === true;
    const request: RecordedRequest = {
      index: count,
      body: record ? body : ({ model: body.model, messages: [] } as ChatBody),
      stream,
      attempt: Number(req.headers["x-stainless-retry-count"] ?? 0),
      key: stableHash(identity),
      authorization: req.headers.authorization,
    };
    count += 1;
    requests.push(request);
    const users = body.messages.filter((m) => m.role === "user");
    const ctx: RespondContext = {
      index: request.index,
      attempt: request.attempt,
      stream,
      prompt: users[users.length - 1]?.content ?? "",
      random,
      request,
    };
    const answer = await respond(body, ctx);
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (res.destroyed) return;
    const model = typeof answer === "object" && !isFault(answer) && answer.model ? answer.model : body.model;
    if (isFault(answer)) {
      sendFault(res, answer, { stream, model, includeUsage: body.stream_options?.include_usage === true });
      return;
    }
    const reply = typeof answer === "string" ? { text: answer } : answer;
    const promptText = body.messages.map((m) => m.content).join("\n");
    const usage = reply.omitUsage
      ? undefined
      : (reply.usage ?? {
          prompt_tokens: approxTokens(promptText),
          completion_tokens: approxTokens(reply.text),
          ...(prefixCache ? { cached_tokens: prefixCache(promptText) } : {}),
        });
    sendCompletion(res, {
      stream,
      model,
      text: reply.text,
      finishReason: reply.finishReason ?? "stop",
      usage,
      includeUsage: body.stream_options?.include_usage === true,
      chunks: reply.chunks ?? 4,
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: `test server script failed: ${String(error)}` } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    batch,
    batchRequests,
    requestCount: () => count,
    setRespond(next) {
      respond = next;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let completionCounter = 0;

/**
 * A prefix cache: remembers a hash chain over `blockTokens`-token blocks of every prompt and answers
 * how many leading tokens of a new prompt were seen before (0 below `minTokens`).
 */
function createPrefixCache({ minTokens = 1024, blockTokens = 128 }: { minTokens?: number; blockTokens?: number }): (prompt: string) => number {
  const seen = new Set<string>();
  const blockChars = blockTokens * 4;
  return (prompt) => {
    let hash = "";
    let cachedChars = 0;
    let missed = false;
    for (let at = 0; at + blockChars <= prompt.length; at += blockChars) {
      hash = createHash("sha1")
        .update(hash)
        .update(prompt.slice(at, at + blockChars))
        .digest("hex");
      if (!missed && seen.has(hash)) cachedChars = at + blockChars;
      else missed = true;
      seen.add(hash);
    }
    const tokens = cachedChars / 4;
    return tokens >= minTokens ? tokens : 0;
  };
}

type UsageIn = { prompt_tokens: number; completion_tokens: number; cached_tokens?: number };

/** The API's usage object (with `prompt_tokens_details` when cached tokens are scripted). */
function usageJson(usage: UsageIn) {
  const { cached_tokens, ...counts } = usage;
  return {
    ...counts,
    total_tokens: usage.prompt_tokens + usage.completion_tokens,
    ...(cached_tokens === undefined ? {} : { prompt_tokens_details: { cached_tokens } }),
  };
}

/** A non-streamed chat completion body. */
function completionJson(model: string, text: string, finishReason: string, usage: UsageIn | undefined) {
  completionCounter += 1;
  return {
    id: `chatcmpl-test-${completionCounter}`,
    object: "chat.completion",
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: finishReason, logprobs: null }],
    ...(usage ? { usage: usageJson(usage) } : {}),
  };
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sseHead(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
}

function chunkOf(id: string, model: string, delta: Record<string, unknown>, finishReason: string | null): string {
  const value = { id, object: "chat.completion.chunk", created: 1_700_000_000, model, choices: [{ index: 0, delta, finish_reason: finishReason }] };
  return `data: ${JSON.stringify(value)}\n\n`;
}

function splitText(text: string, pieces: number): string[] {
  if (text === "") return [];
  const size = Math.max(1, Math.ceil(text.length / Math.max(1, pieces)));
  const out: string[] = [];
  for (let at = 0; at < text.length; at += size) out.push(text.slice(at, at + size));
  return out;
}

function sendCompletion(
  res: ServerResponse,
  o: {
    stream: boolean;
    model: string;
    text: string;
    finishReason: string;
    usage: UsageIn | undefined;
    includeUsage: boolean;
    chunks: number;
  },
): void {
  if (!o.stream) {
    sendJson(res, 200, completionJson(o.model, o.text, o.finishReason, o.usage));
    return;
  }
  completionCounter += 1;
  const id = `chatcmpl-test-${completionCounter}`;
  const usage = o.usage ? usageJson(o.usage) : undefined;
  sseHead(res);
  let out = chunkOf(id, o.model, { role: "assistant", content: "" }, null);
  for (const piece of splitText(o.text, o.chunks)) out += chunkOf(id, o.model, { content: piece }, null);
  out += chunkOf(id, o.model, {}, o.finishReason);
  if (o.includeUsage && usage) {
    out += `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: 1_700_000_000, model: o.model, choices: [], usage })}\n\n`;
  }
  out += "data: [DONE]\n\n";
  res.end(out);
}

function sendFault(res: ServerResponse, fault: ServerFault, o: { stream: boolean; model: string; includeUsage: boolean }): void {
  switch (fault.fault) {
    case "429": {
      const headers: Record<string, string> = {};
      if (fault.retryAfter !== undefined) headers["retry-after"] = fault.retryAfter;
      if (fault.retryAfterMs !== undefined) headers["retry-after-ms"] = fault.retryAfterMs;
      sendJson(res, 429, { error: { message: "Rate limit reached (test server)", type: "rate_limit_error" } }, headers);
      return;
    }
    case "500":
      sendJson(
        res,
        500,
        { error: { message: "Internal server error (test server)", type: "server_error" } },
        fault.retryAfterMs === undefined ? {} : { "retry-after-ms": fault.retryAfterMs },
      );
      return;
    case "status":
      if (fault.body !== undefined) {
        res.writeHead(fault.status, { "content-type": "text/plain", ...fault.headers });
        res.end(fault.body);
      } else {
        sendJson(res, fault.status, { error: { message: `status ${fault.status} (test server)` } }, fault.headers);
      }
      return;
    case "hang":
      return; // never answer; the client's timeout (or close()) ends it
    case "truncate":
    case "reset": {
      const text = fault.text ?? "This answer was cut off in the midd";
      if (!o.stream) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(`{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":${JSON.stringify(text)}`);
        return;
      }
      sseHead(res);
      res.write(chunkOf("chatcmpl-cut", o.model, { role: "assistant", content: "" }, null) + chunkOf("chatcmpl-cut", o.model, { content: text }, null));
      if (fault.fault === "truncate") res.end();
      else setTimeout(() => res.destroy(), 5);
      return;
    }
    case "length":
      sendCompletion(res, {
        stream: o.stream,
        model: o.model,
        text: fault.text ?? "A long answer that stops because max_tokens ran o",
        finishReason: "length",
        usage: { prompt_tokens: 10, completion_tokens: 16 },
        includeUsage: o.includeUsage,
        chunks: 2,
      });
      return;
    case "content_filter":
      sendCompletion(res, {
        stream: o.stream,
        model: o.model,
        text: "",
        finishReason: "content_filter",
        usage: { prompt_tokens: 10, completion_tokens: 0 },
        includeUsage: o.includeUsage,
        chunks: 1,
      });
      return;
    case "empty":
      sendCompletion(res, {
        stream: o.stream,
        model: o.model,
        text: "",
        finishReason: "stop",
        usage: { prompt_tokens: 10, completion_tokens: 0 },
        includeUsage: o.includeUsage,
        chunks: 1,
      });
      return;
    case "batch_error":
      sendJson(res, 500, { error: { message: fault.message ?? "Internal server error (test server)", type: "server_error" } });
      return;
    case "sse_error": {
      const error = { message: fault.message, type: "server_error", code: null };
      if (!o.stream) {
        sendJson(res, 500, { error });
        return;
      }
      sseHead(res);
      res.write(chunkOf("chatcmpl-err", o.model, { role: "assistant", content: fault.text ?? "" }, null));
      res.end(`data: ${JSON.stringify({ error })}\n\n`);
      return;
    }
    case "drip": {
      sseHead(res);
      res.write(chunkOf("chatcmpl-drip", o.model, { role: "assistant", content: "" }, null));
      let sent = 0;
      const timer = setInterval(() => {
        if (res.destroyed) return clearInterval(timer);
        if (sent >= fault.chunks) {
          clearInterval(timer);
          res.end(`${chunkOf("chatcmpl-drip", o.model, {}, "stop")}data: [DONE]\n\n`);
          return;
        }
        sent += 1;
        res.write(chunkOf("chatcmpl-drip", o.model, { content: fault.text ?? "drip " }, null));
      }, fault.intervalMs);
      res.on("close", () => clearInterval(timer));
      return;
    }
    case "garbage":
      if (o.stream) {
        sseHead(res);
        res.end("data: {this is not json\n\n");
      } else {
        res.writeHead(200, { "content-type": "application/json" });
        res.end("<html><body>502 Bad Gateway</body></html>");
      }
      return;
  }
}
