/**
 * @module agentwrite/call-with-retries — per-call policy above the client: retry a call a bounded number
 * of times for failures the SDK does not retry itself (cut streams, empty or unparsable answers).
 * HTTP statuses and timeouts are already retried by the SDK and are not retried again here.
 */
import type { ChatRequest, ChatResult, LlmClient } from "../llm/client.js";
import { LlmCallError, type LlmFailureKind } from "../llm/errors.js";

const RETRY_HERE: ReadonlySet<LlmFailureKind> = new Set(["truncated", "empty", "bad_response"]);

/** Sends `request`, retrying up to `retries` more times on truncated/empty/garbled answers. */
export async function callWithRetries({
  client,
  request,
  retries = 2,
  retryOn = RETRY_HERE,
  signal,
}: {
  client: LlmClient;
  request: ChatRequest;
  retries?: number | undefined;
  /** Failure kinds tried again. @default truncated, empty, bad_response */
  retryOn?: ReadonlySet<LlmFailureKind> | undefined;
  signal?: AbortSignal | undefined;
}): Promise<ChatResult> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await client.chat(request, signal ? { signal } : {});
    } catch (error) {
      if (attempt >= retries || !LlmCallError.isLlmCallError(error) || !retryOn.has(error.kind)) throw error;
    }
  }
}
