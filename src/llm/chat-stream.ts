/**
 * @module llm/chat-stream — a streamed chat completion read from the raw SSE bytes of its response (see
 * llm/sse-decoder): the text, finish reason, model and usage, built up chunk by chunk as bytes arrive.
 * Events are treated as the openai SDK treats them: `[DONE]` ends the answer and whatever follows it is
 * ignored; every other event's data must be JSON (a SyntaxError otherwise); data with an `error` member is
 * the server reporting a failure inside a 200 stream (a StreamErrorEvent); `thread.*` events (the
 * Assistants API) carry no chat chunk and are skipped. Only the first choice (index 0) is read.
 */
import type { ApiUsage } from "./chat-wire.js";
import { SseDecoder, type SseEvent } from "./sse-decoder.js";

interface ChunkData {
  error?: unknown;
  model?: string;
  choices?: Array<{ index?: number; delta?: { content?: string | null } | null; finish_reason?: string | null }> | null;
  usage?: ApiUsage | null;
}

/** The server sent an error event in the middle of a stream (e.g. a gateway's upstream failure). */
export class StreamErrorEvent extends Error {
  constructor(readonly detail: unknown) {
    super(errorEventMessage(detail));
    this.name = "StreamErrorEvent";
  }
}

/** The message of an error event: its `message` when it has one, else the whole error as JSON. */
function errorEventMessage(detail: unknown): string {
  const message = (detail as { message?: unknown } | null)?.message;
  if (message) return typeof message === "string" ? message : JSON.stringify(message);
  return JSON.stringify(detail) ?? "(an error event without details)";
}

/** A completion being streamed: feed it the body's bytes with `push`, then call `end`. */
export class ChatStream {
  /** The text so far. */
  text = "";
  /** The first choice's finish reason, once a chunk has carried one. */
  finishReason: string | null = null;
  /** The model the server names in its chunks. */
  model: string | undefined;
  /** The usage chunk's counts (with `stream_options.include_usage`). */
  usage: ApiUsage | undefined;
  private readonly sse = new SseDecoder();
  private done = false;

  /** Takes the next bytes of the response body. Throws on an error event or an event that is not JSON. */
  push(bytes: Uint8Array): void {
    for (const event of this.sse.push(bytes)) this.take(event);
  }

  /** The body has ended. */
  end(): void {
    for (const event of this.sse.end()) this.take(event);
  }

  private take({ event, data }: SseEvent): void {
    if (this.done) return;
    if (data.startsWith("[DONE]")) {
      this.done = true;
      return;
    }
    const chunk = JSON.parse(data) as ChunkData | null;
    if (event?.startsWith("thread.") || chunk === null || typeof chunk !== "object") return;
    if (chunk.error) throw new StreamErrorEvent(chunk.error);
    if (chunk.model) this.model = chunk.model;
    for (const choice of chunk.choices ?? []) {
      if (choice.index !== 0 && choice.index !== undefined) continue;
      const content = choice.delta?.content;
      if (content) this.text += content;
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
    if (chunk.usage) this.usage = chunk.usage;
  }
}
