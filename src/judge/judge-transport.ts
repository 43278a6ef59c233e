/**
 * @module judge/judge-transport — which failed judge calls are the transport's fault and which are the
 * judge's reply. A transport failure (HTTP error after the SDK's retries, timeout, dropped connection,
 * truncated stream, a body that is not a completion, an empty completion) says nothing about the
 * response being judged: it is an item failure — listed, never cached as a verdict, retried by a re-run.
 * Only a reply that arrived is a try: it parses, or it counts against the item's budget.
 */
import { ToolkitError } from "../errors.js";
import { LlmCallError, type LlmFailureKind } from "../llm/errors.js";

/** Failures of a call that delivered a reply of the judge's (cut off at max_tokens, or filtered). */
const REPLY_KINDS: ReadonlySet<LlmFailureKind> = new Set(["length", "content_filter"]);

/** True when `error` is a failed judge call whose reply arrived (it counts as a try). */
export function isJudgeReplyFailure(error: unknown): error is LlmCallError {
  return LlmCallError.isLlmCallError(error) && REPLY_KINDS.has(error.kind);
}

/** A judge call that failed in transport; the item has no verdict (not even an unparseable one). */
export class JudgeTransportError extends ToolkitError {
  readonly kind: string;
  constructor(cause: unknown) {
    const kind = LlmCallError.isLlmCallError(cause) ? cause.kind : "error";
    super(`judge call failed in transport (${kind}): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "JudgeTransportError";
    this.kind = kind;
  }
}

/** Rethrows a failed judge call: caller aborts as they are, reply failures never reach here, the rest as transport. */
export function asJudgeTransportError(error: unknown): unknown {
  if (LlmCallError.isLlmCallError(error) && error.kind === "aborted") return error;
  if (error instanceof JudgeTransportError) return error;
  return new JudgeTransportError(error);
}
