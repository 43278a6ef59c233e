/**
 * @module llm/errors — a failed LLM call is an error, never text. Each class says why the call failed,
 * which model it asked and whether trying the same request again may help (`retryable`).
 */
import { ToolkitError } from "../errors.js";
import { redactedError, redactSecrets } from "../util/redact-secrets.js";

/** Why a call failed, as a short stable code (used in failure files and counters). */
export type LlmFailureKind =
  | "length"
  | "content_filter"
  | "empty"
  | "truncated"
  | "bad_response"
  | "http"
  | "timeout"
  | "connection"
  | "aborted"
  /** The run's --max-cost budget would be passed by starting this call. */
  | "budget"
  /** A Batch API line failed, or its batch expired/was cancelled/failed before answering it. */
  | "batch"
  /** The response was larger than max_tokens allows or than the response size cap. */
  | "too_large";

/**
 * HTTP statuses after which every further call of the run fails the same way (a bad key, no access to
 * the model, an unknown model or endpoint): a run stops instead of paying for more failures.
 */
export const RUN_FATAL_STATUSES: ReadonlySet<number> = new Set([401, 403, 404]);

/** True for an LLM call error that should stop the whole run (see RUN_FATAL_STATUSES). */
export function stopsTheRun(error: unknown): boolean {
  return LlmCallError.isLlmCallError(error) && error.status !== undefined && RUN_FATAL_STATUSES.has(error.status);
}

/** Base class of every LLM call failure. */
export class LlmCallError extends ToolkitError {
  readonly kind: LlmFailureKind;
  readonly model: string;
  /** HTTP status when the server answered with an error. */
  readonly status: number | undefined;
  /** True when the same request may succeed on another try (transient network or server trouble). */
  readonly retryable: boolean;

  constructor(
    kind: LlmFailureKind,
    message: string,
    options: { model: string; status?: number; retryable?: boolean; cause?: unknown; secrets?: ReadonlyArray<string | undefined> },
  ) {
    // The one place LLM call errors are built: the message and the cause never carry a credential,
    // whatever the server echoed (see redact-secrets).
    const secrets = options.secrets ?? [];
    super(redactSecrets(`LLM call to ${options.model} failed (${kind}): ${message}`, secrets), {
      cause: options.cause === undefined ? undefined : redactedError(options.cause, secrets),
      code: `llm_${kind}`,
    });
    this.name = "LlmCallError";
    this.kind = kind;
    this.model = options.model;
    this.status = options.status;
    this.retryable = options.retryable ?? false;
  }

  static isLlmCallError(value: unknown): value is LlmCallError {
    return ToolkitError.isInstance(value) && typeof (value as Partial<LlmCallError>).kind === "string" && "retryable" in value;
  }
}

/** The completion stopped at max_tokens (`finish_reason: "length"`): the text is cut off, so it is not used. */
export class LengthLimitError extends LlmCallError {
  /** How much text arrived before the cut (kept for debugging, never written as output). */
  readonly partialChars: number;
  constructor(options: { model: string; partialChars: number }) {
    super("length", 'the completion hit the max_tokens limit (finish_reason "length"); raise --max-tokens or shorten the request', {
      model: options.model,
      retryable: false,
    });
    this.name = "LengthLimitError";
    this.partialChars = options.partialChars;
  }
}

/** The provider's content filter stopped the completion (`finish_reason: "content_filter"`). */
export class ContentFilterError extends LlmCallError {
  constructor(options: { model: string }) {
    super("content_filter", 'the provider\'s content filter blocked the completion (finish_reason "content_filter")', {
      model: options.model,
      retryable: false,
    });
    this.name = "ContentFilterError";
  }
}

/** The server finished normally but returned no text. */
export class EmptyCompletionError extends LlmCallError {
  constructor(options: { model: string; finishReason: string }) {
    super("empty", `the completion is empty (finish_reason "${options.finishReason}")`, { model: options.model, retryable: true });
    this.name = "EmptyCompletionError";
  }
}

/** A streamed completion ended without a finish reason (connection dropped or server stopped early). */
export class TruncatedStreamError extends LlmCallError {
  constructor(options: { model: string; partialChars: number; cause?: unknown; secrets?: ReadonlyArray<string | undefined> }) {
    super("truncated", `the stream ended without a finish reason after ${options.partialChars} characters`, {
      model: options.model,
      retryable: true,
      cause: options.cause,
      ...(options.secrets ? { secrets: options.secrets } : {}),
    });
    this.name = "TruncatedStreamError";
  }
}

/** Starting this call could pass the run's budget (`--max-cost`): it was not sent. */
export class BudgetExceededError extends LlmCallError {
  readonly maxCostUsd: number;
  constructor(options: { model: string; maxCostUsd: number; spentUsd: number }) {
    super(
      "budget",
      `not started: the budget of $${options.maxCostUsd} would be passed ($${options.spentUsd.toFixed(4)} spent or in flight); re-run with a higher --max-cost to continue`,
      { model: options.model, retryable: false },
    );
    this.name = "BudgetExceededError";
    this.maxCostUsd = options.maxCostUsd;
  }
}
