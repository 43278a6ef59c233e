/**
 * @module llm/batch-chat — the Batch API behind the ordinary `LlmClient.chat` interface. Calls are not
 * sent one by one: requests that arrive together (every caller waiting on its answer) are gathered,
 * written as batch JSONL (`custom_id` = journal key, split at 50,000 requests / 200 MB per file),
 * uploaded through `files`, submitted through `batches` and polled. Results go into the same journal as
 * direct calls, so replays, outputs and a later direct run are the same whichever path answered.
 *
 * Rounds come for free: AgentWrite's k-th sections are asked for once the (k-1)-th batch has answered,
 * so each round is one batch. Every id (input file, batch) is appended to the batch state
 * (`<journal>.batches.jsonl`) as soon as it exists: a killed run resumes polling the same batch and
 * never submits or pays for it twice; a file uploaded just before a kill is matched to its batch by
 * `batches.list`, or submitted if no batch was created from it.
 */
import type OpenAI from "openai";
import { ConfigError } from "../errors.js";
import type { ChatRequest, ChatResult, LlmClient } from "./client.js";
import { chatBody, checkCompletion, usageFromApi } from "./chat-wire.js";
import { LlmCallError, type LlmFailureKind } from "./errors.js";
import type { Journal } from "./journal.js";
import { loadOpenAiSdk } from "./openai-sdk.js";
import { batchStatePath, openBatchState, type BatchRecord, type BatchState } from "./batch-state.js";
import type { UsageCounts } from "./prices.js";
import { requestKey } from "./request-key.js";
import type { SpendLedger } from "./spend-ledger.js";

/** The Batch API's limits per input file. */
export const BATCH_MAX_REQUESTS = 50_000;
export const BATCH_MAX_BYTES = 200 * 1024 * 1024;
/** Items a stage keeps in flight in batch mode: a whole input file's worth, so one round is one batch. */
export const BATCH_WINDOW = BATCH_MAX_REQUESTS;

export interface BatchOptions {
  /** Seconds between status polls. @default 30 */
  pollIntervalSec?: number | undefined;
  /** Quiet time (ms) after the last new request before the gathered ones are submitted. @default min(1000, poll interval / 2) */
  gatherMs?: number | undefined;
  /** @default 50_000 */
  maxRequestsPerFile?: number | undefined;
  /** @default 200 MB */
  maxBytesPerFile?: number | undefined;
  /** Status after every poll (for a progress line). */
  onProgress?: ((progress: BatchProgress) => void) | undefined;
  /** Notices: a batch expired or was cancelled, polling trouble. */
  onWarning?: ((message: string) => void) | undefined;
}

export interface BatchProgress {
  batchId: string;
  status: string;
  total: number;
  completed: number;
  failed: number;
  /** Since this run started polling it. */
  elapsedMs: number;
  /** Batches this run is waiting for. */
  openBatches: number;
}

const TERMINAL = new Set(["completed", "expired", "cancelled", "failed"]);

interface Waiter {
  key: string;
  model: string;
  tag: string | undefined;
  promise: Promise<ChatResult>;
  resolve: (result: ChatResult) => void;
  reject: (error: unknown) => void;
  /** Releases the budget reserved for it. */
  release?: () => void;
}

/** Parsed line of a batch output or error file. */
interface ResultLine {
  custom_id?: string;
  response?: { status_code?: number; body?: unknown } | null;
  error?: { code?: string; message?: string } | null;
}

/**
 * Creates the batch-mode client (used by `createLlmClient` when `batch` is set).
 * @example const llm = createLlmClient({ model: "gpt-4o", journalPath: "out.journal.jsonl", batch: { pollIntervalSec: 60 } });
 */
export function createBatchChat(options: {
  /** The SDK's client (once the SDK is loaded: llm/openai-sdk). */
  sdk: Promise<OpenAI>;
  model: string;
  journal: Promise<Journal>;
  ledger: SpendLedger;
  batch: BatchOptions;
  acceptLengthLimit: boolean;
  /** Configured credentials, redacted verbatim from every error (a server may echo them in an error line). */
  secrets?: readonly string[];
}): LlmClient {
  const { sdk, model: defaultModel, ledger, acceptLengthLimit } = options;
  const pollMs = Math.max(1, Math.round((options.batch.pollIntervalSec ?? 30) * 1000));
  const gatherMs = options.batch.gatherMs ?? Math.min(1000, Math.ceil(pollMs / 2));
  const maxRequests = options.batch.maxRequestsPerFile ?? BATCH_MAX_REQUESTS;
  const maxBytes = options.batch.maxBytesPerFile ?? BATCH_MAX_BYTES;
  const { onProgress, onWarning } = options.batch;
  const totals = ledger.totals;
  const secrets = options.secrets ?? [];
  /** Every error of the batch path goes through LlmCallError's redaction with the configured key. */
  const callError = (kind: LlmFailureKind, message: string, opts: { model: string; retryable?: boolean; cause?: unknown }): LlmCallError =>
    new LlmCallError(kind, message, { ...opts, secrets });

  const waiters = new Map<string, Waiter>();
  const pending: Array<{ waiter: Waiter; request: ChatRequest }> = [];
  /** Key → the open input file holding it. */
  const openByKey = new Map<string, BatchRecord>();
  const tracking = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const sleepers = new Set<() => void>();
  let gatherTimer: NodeJS.Timeout | undefined;
  let closed = false;

  // Fail fast, before anything is uploaded, when the server has no Batch API.
  const ready: Promise<{ journal: Journal; state: BatchState }> = (async () => {
    const journal = await options.journal;
    const { APIError } = await loadOpenAiSdk();
    try {
      await (await sdk).batches.list({ limit: 1 });
    } catch (error) {
      if (error instanceof APIError && (error.status === 404 || error.status === 405 || error.status === 501)) {
        throw new ConfigError(`--batch: the server has no Batch API (GET /v1/batches answered HTTP ${error.status}); run without --batch`, { cause: error });
      }
      throw callError("batch", `cannot reach the Batch API: ${oneLine(error)}`, { model: defaultModel, retryable: true, cause: error });
    }
    const state = openBatchState(batchStatePath(journal.path));
    for (const record of state.open()) {
      for (const key of record.keys) openByKey.set(key, record);
      track(record, journal, state);
    }
    return { journal, state };
  })();
  ready.catch(() => undefined); // reported to every chat() that awaits it

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (closed) return resolve();
      const timer = setTimeout(() => {
        timers.delete(timer);
        sleepers.delete(resolve);
        resolve();
      }, ms);
      timers.add(timer);
      sleepers.add(resolve);
    });

  const settleFailure = (key: string, error: LlmCallError): void => {
    const waiter = waiters.get(key);
    if (!waiter) return;
    waiters.delete(key);
    waiter.release?.();
    totals.failed += 1;
    waiter.reject(error);
  };

  /** Reads one output/error line into the journal (successes) and the waiting callers. */
  const collectLine = (line: ResultLine, record: BatchRecord, journal: Journal, seen: Set<string>, failures: Map<string, string>): void => {
    const key = line.custom_id;
    if (typeof key !== "string" || seen.has(key)) return;
    seen.add(key);
    const waiter = waiters.get(key);
    const model = waiter?.model ?? defaultModel;
    const fail = (reason: string): void => {
      failures.set(key, reason);
      settleFailure(key, callError("batch", `batch ${record.batchId}: ${reason}`, { model, retryable: true }));
    };
    if (line.error) return fail(`${line.error.code ?? "error"}: ${line.error.message ?? "no message"}`);
    const status = line.response?.status_code;
    const body = line.response?.body as
      | {
          model?: string;
          choices?: Array<{ message?: { content?: string | null }; finish_reason?: string | null }>;
          usage?: Parameters<typeof usageFromApi>[0];
          error?: { message?: string };
        }
      | undefined;
    if (status !== 200) return fail(`HTTP ${status ?? "?"}: ${body?.error?.message ?? "no message"}`);
    const choice = body?.choices?.[0];
    if (!body || !choice) return fail("the answer has no choices");
    const answeredModel = body.model || model;
    const text = choice.message?.content ?? "";
    const finishReason = choice.finish_reason ?? "unknown";
    const usage: UsageCounts = body.usage ? usageFromApi(body.usage) : { promptTokens: 0, completionTokens: 0 };
    const costUsd = ledger.charge(answeredModel, usage, { batch: true, usageReported: body.usage !== undefined && body.usage !== null });
    totals.calls += 1;
    totals.batchCalls += 1;
    try {
      checkCompletion({ model, text, finishReason, acceptLengthLimit });
    } catch (error) {
      failures.set(key, (error as Error).message);
      if (waiter) settleFailure(key, error as LlmCallError);
      return;
    }
    journal.append({ key, text, finishReason, model: answeredModel, usage, batch: true, ...(waiter?.tag ? { tag: waiter.tag } : {}) });
    if (waiter) {
      waiters.delete(key);
      waiter.release?.();
      waiter.resolve({ text, finishReason, model: answeredModel, usage, costUsd, replayed: false, key });
    }
  };

  const collect = async (record: BatchRecord, batch: OpenAI.Batches.Batch, journal: Journal, state: BatchState): Promise<void> => {
    const seen = new Set<string>();
    const failures = new Map<string, string>();
    let ran = 0;
    for (const fileId of [batch.output_file_id, batch.error_file_id]) {
      if (!fileId) continue;
      const text = await (await (await sdk).files.content(fileId)).text();
      for (const raw of text.split("\n")) {
        if (raw.trim() === "") continue;
        let line: ResultLine;
        try {
          line = JSON.parse(raw) as ResultLine;
        } catch {
          continue;
        }
        if (line.response) ran += 1;
        collectLine(line, record, journal, seen, failures);
      }
    }
    const why =
      batch.status === "completed"
        ? "the batch completed without a line for this request"
        : batch.status === "failed"
          ? `the batch failed${batch.errors?.data?.length ? `: ${batch.errors.data.map((e) => e.message ?? e.code).join("; ")}` : ""}`
          : `the batch ${batch.status === "expired" ? "expired (24h window)" : batch.status} before answering this request`;
    for (const key of record.keys) {
      // A caller that started waiting while the files were downloading, after its line was read.
      const reason = seen.has(key) ? (failures.get(key) ?? "the answer arrived before this call waited for it; run again") : why;
      if (waiters.has(key)) settleFailure(key, callError("batch", `batch ${record.batchId}: ${reason}`, { model: waiters.get(key)!.model, retryable: true }));
      if (openByKey.get(key) === record) openByKey.delete(key);
    }
    if (batch.status !== "completed") {
      onWarning?.(`batch ${batch.id} ${batch.status}: ${ran} of ${record.keys.length} requests ran; the others are failures a re-run submits again`);
    }
    state.closed(record, batch.status);
  };

  /** Creates the batch for an uploaded file that has none yet (adopting one made just before a kill). */
  const ensureBatch = async (record: BatchRecord, state: BatchState): Promise<string> => {
    if (record.batchId) return record.batchId;
    let looked = 0;
    for await (const batch of (await sdk).batches.list({ limit: 100 })) {
      if (batch.input_file_id === record.fileId) {
        state.created(record, batch.id);
        return batch.id;
      }
      if (++looked >= 1000) break; // newest first: a batch made from this file is among the latest
    }
    const batch = await (await sdk).batches.create({
      input_file_id: record.fileId,
      endpoint: "/v1/chat/completions",
      completion_window: "24h",
      metadata: { source: "longwriter-toolkit" },
    });
    state.created(record, batch.id);
    return batch.id;
  };

  /** Polls one batch until it ends, then collects it. */
  function track(record: BatchRecord, journal: Journal, state: BatchState): void {
    if (tracking.has(record.fileId)) return;
    tracking.add(record.fileId);
    const started = Date.now();
    (async () => {
      let troubles = 0;
      const batchId = await ensureBatch(record, state);
      for (;;) {
        await sleep(pollMs);
        if (closed) return;
        let batch: OpenAI.Batches.Batch;
        const { APIError } = await loadOpenAiSdk();
        try {
          batch = await (await sdk).batches.retrieve(batchId);
          troubles = 0;
        } catch (error) {
          troubles += 1;
          if (error instanceof APIError && error.status === 404) throw error;
          onWarning?.(`polling batch ${batchId} failed (${troubles} in a row): ${oneLine(error)}`);
          if (troubles >= 10) throw error;
          continue;
        }
        const counts = batch.request_counts ?? { total: record.keys.length, completed: 0, failed: 0 };
        onProgress?.({
          batchId,
          status: batch.status,
          total: counts.total,
          completed: counts.completed,
          failed: counts.failed,
          elapsedMs: Date.now() - started,
          openBatches: tracking.size,
        });
        if (TERMINAL.has(batch.status)) {
          await collect(record, batch, journal, state);
          return;
        }
      }
    })()
      .catch((error: unknown) => {
        // The batch stays open in the state: a re-run resumes it. This run's callers fail.
        for (const key of record.keys) {
          settleFailure(
            key,
            callError("batch", `batch of file ${record.fileId}: ${oneLine(error)} (a re-run resumes it)`, {
              model: defaultModel,
              retryable: true,
              cause: error,
            }),
          );
          if (openByKey.get(key) === record) openByKey.delete(key);
        }
      })
      .finally(() => tracking.delete(record.fileId));
  }

  const submitFile = async (items: Array<{ waiter: Waiter }>, text: string, journal: Journal, state: BatchState): Promise<void> => {
    const keys = items.map((item) => item.waiter.key);
    let record: BatchRecord | undefined;
    try {
      const { toFile } = await loadOpenAiSdk();
      const file = await (await sdk).files.create({
        file: await toFile(Buffer.from(text, "utf8"), "longwriter-batch.jsonl", { type: "application/jsonl" }),
        purpose: "batch",
      });
      record = state.uploaded(file.id, keys);
      for (const key of keys) openByKey.set(key, record);
      await ensureBatch(record, state);
    } catch (error) {
      for (const key of keys) {
        if (record && openByKey.get(key) === record) openByKey.delete(key);
        settleFailure(key, callError("batch", `could not submit the batch: ${oneLine(error)}`, { model: defaultModel, retryable: true, cause: error }));
      }
      return;
    }
    track(record, journal, state);
  };

  const flush = async (): Promise<void> => {
    gatherTimer = undefined;
    const items = pending.splice(0);
    if (items.length === 0 || closed) return;
    const { journal, state } = await ready;
    // The budget: requests that would pass it are refused, in arrival order.
    const accepted: typeof items = [];
    for (const item of items) {
      try {
        item.waiter.release = ledger.reserve(item.waiter.model, [item.request], true);
        accepted.push(item);
      } catch (error) {
        settleFailure(item.waiter.key, error as LlmCallError);
      }
    }
    const files: Array<{ items: typeof items; text: string }> = [];
    let file: typeof items = [];
    let text = "";
    let bytes = 0;
    for (const item of accepted) {
      const line = `${JSON.stringify({ custom_id: item.waiter.key, method: "POST", url: "/v1/chat/completions", body: chatBody(item.request, item.waiter.model) })}\n`;
      const size = Buffer.byteLength(line, "utf8");
      if (size > maxBytes) {
        settleFailure(
          item.waiter.key,
          callError("batch", `the request is ${size} bytes, over the ${maxBytes}-byte batch file limit`, { model: item.waiter.model }),
        );
        continue;
      }
      if (file.length >= maxRequests || bytes + size > maxBytes) {
        files.push({ items: file, text });
        file = [];
        text = "";
        bytes = 0;
      }
      file.push(item);
      text += line;
      bytes += size;
    }
    if (file.length > 0) files.push({ items: file, text });
    // One after the other, so batches are created (and listed) in request order.
    for (const next of files) await submitFile(next.items, next.text, journal, state);
  };
  const flushSafely = (): void => {
    flush().catch((error: unknown) => {
      for (const key of [...waiters.keys()]) {
        if (!openByKey.has(key))
          settleFailure(key, callError("batch", `could not submit: ${oneLine(error)}`, { model: defaultModel, retryable: true, cause: error }));
      }
    });
  };

  const chat = async (request: ChatRequest, callOptions: { signal?: AbortSignal } = {}): Promise<ChatResult> => {
    const model = request.model ?? defaultModel;
    if (closed) throw callError("aborted", "the client is closed", { model });
    const key = requestKey({ ...request, model });
    const { journal } = await ready;
    const entry = journal.get(key);
    if (entry) {
      const costUsd = ledger.replay(entry.model, entry.usage, entry.batch === true);
      return { text: entry.text, finishReason: entry.finishReason, model: entry.model, usage: entry.usage, costUsd, replayed: true, key };
    }
    let waiter = waiters.get(key);
    if (!waiter) {
      let resolve!: (result: ChatResult) => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<ChatResult>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      promise.catch(() => undefined);
      waiter = { key, model, tag: request.tag, promise, resolve, reject };
      waiters.set(key, waiter);
      // Already in a batch that is still open (a resumed run): wait for it instead of submitting again.
      if (!openByKey.has(key)) {
        pending.push({ waiter, request });
        clearTimeout(gatherTimer);
        if (pending.length >= maxRequests) flushSafely();
        else gatherTimer = setTimeout(flushSafely, gatherMs);
      }
    }
    const signal = callOptions.signal;
    if (!signal) return waiter.promise;
    if (signal.aborted) throw callError("aborted", "the call was aborted", { model });
    return new Promise<ChatResult>((resolve, reject) => {
      const onAbort = (): void => reject(callError("aborted", "the call was aborted (its batch keeps running; a re-run collects it)", { model }));
      signal.addEventListener("abort", onAbort, { once: true });
      waiter.promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  };

  return {
    chat,
    model: defaultModel,
    totals: () => ledger.snapshot(),
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(gatherTimer);
      for (const timer of timers) clearTimeout(timer);
      for (const wake of sleepers) wake();
      timers.clear();
      sleepers.clear();
      for (const key of [...waiters.keys()]) {
        const waiter = waiters.get(key)!;
        waiters.delete(key);
        waiter.release?.();
        waiter.reject(callError("aborted", "the client was closed while the call waited for its batch", { model: waiter.model }));
      }
      const opened = await options.journal.catch(() => undefined);
      opened?.close();
    },
  };
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}
