/**
 * @module llm/chat-wire — the wire form of a chat request (the body sent directly or as a Batch API line)
 * and the reading of an answer: usage with cached prompt tokens, and the checks that make a finished
 * completion usable text. Shared by the direct client and the batch path so both treat answers alike.
 */
import { ToolkitError } from "../errors.js";
import { ContentFilterError, EmptyCompletionError, LengthLimitError } from "./errors.js";
import type { UsageCounts } from "./prices.js";
import type { Message } from "../schemas/message.js";

/** The fields of a chat request that go on the wire. */
export interface WireRequest {
  messages: Message[];
  temperature?: number | undefined;
  topP?: number | undefined;
  maxTokens?: number | undefined;
  seed?: number | undefined;
  stop?: string[] | undefined;
}

/** The `/v1/chat/completions` body (without stream fields). */
export function chatBody(request: WireRequest, model: string) {
  return {
    model,
    messages: request.messages.map(wireMessage),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.topP === undefined ? {} : { top_p: request.topP }),
    ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
    ...(request.seed === undefined ? {} : { seed: request.seed }),
    ...(request.stop === undefined ? {} : { stop: request.stop }),
  };
}

/** A turn as sent: role and text only. Tool turns never reach a prompt (the toolkit sends no tool definitions). */
function wireMessage(message: Message): { role: "system" | "user" | "assistant"; content: string } {
  const { role, content } = message;
  if (role === "tool" || message.tool_calls !== undefined) {
    throw new ToolkitError("a prompt with tool calls or tool results cannot be sent: the toolkit sends no tool definitions", { code: "invalid_request" });
  }
  return { role, content };
}

/** An API `usage` object as `usageFromApi` reads it (chat completion, stream chunk or batch output line). */
export interface ApiUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
}

/** Token counts from an API `usage` object. */
export function usageFromApi(usage: ApiUsage): UsageCounts {
  const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    promptTokens: usage.prompt_tokens ?? 0,
    completionTokens: usage.completion_tokens ?? 0,
    ...(cached > 0 ? { cachedTokens: cached } : {}),
  };
}

/** Throws when a finished completion is not usable text (cut at max_tokens, filtered, empty). */
export function checkCompletion({
  model,
  text,
  finishReason,
  acceptLengthLimit,
}: {
  model: string;
  text: string;
  finishReason: string;
  acceptLengthLimit: boolean;
}): void {
  if (finishReason === "length" && !acceptLengthLimit) throw new LengthLimitError({ model, partialChars: text.length });
  if (finishReason === "content_filter") throw new ContentFilterError({ model });
  if (text.trim() === "") throw new EmptyCompletionError({ model, finishReason });
}
