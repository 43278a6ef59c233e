/** @module llm/request-key — the journal key of a chat request: sha256 of its stable-stringified content. */
import { stableHash } from "../text/record-id.js";
import type { WireRequest } from "./chat-wire.js";

/** What identifies a request: everything that changes the answer, nothing that does not (stream, timeouts). */
export interface RequestIdentity extends WireRequest {
  model: string;
}

/** sha256 hex of the request's identity; the same request always gives the same key. */
export function requestKey(request: RequestIdentity): string {
  return stableHash({
    model: request.model,
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
    temperature: request.temperature,
    topP: request.topP,
    maxTokens: request.maxTokens,
    seed: request.seed,
    stop: request.stop,
  });
}
