/**
 * @module hub/hub-error — the error Hub operations throw: what failed, the HTTP status when there is
 * one, a hint for common statuses, and never a token.
 */
import { ToolkitError } from "../errors.js";
import { redactSecrets } from "../util/redact-secrets.js";
import { isHubApiError } from "./hub-library.js";

/** A Hub operation failed (network, auth, missing repo/revision, integrity). */
export class HubError extends ToolkitError {
  readonly status: number | undefined;
  constructor(message: string, options: { cause?: unknown; status?: number | undefined; exitCode?: number | undefined } = {}) {
    super(message, { ...options, code: "hub" });
    this.name = "HubError";
    this.status = options.status;
  }
}

/** True for fetch-level failures (DNS, refused, reset), as opposed to HTTP error answers. */
export function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError && !isHubApiError(error);
}

/** Drops query strings from URLs in a message (presigned upload URLs carry signatures there). */
export function stripUrlQueries(text: string): string {
  return text.replace(/(https?:\/\/[^\s?#]+)\?[^\s#]*/g, "$1?…");
}

/** Turns a library/network error into a HubError with a clear, token-free message. */
export function toHubError(error: unknown, what: string, token?: string): HubError {
  if (ToolkitError.isInstance(error)) return error as HubError;
  if (isHubApiError(error)) {
    const hint =
      error.statusCode === 401
        ? " (check the token: it is missing, wrong, or lacks access)"
        : error.statusCode === 403
          ? " (the token lacks write access to this namespace)"
          : error.statusCode === 404
            ? " (repo, revision or file not found)"
            : "";
    return new HubError(redactSecrets(stripUrlQueries(`${what}: HTTP ${error.statusCode}${hint}: ${error.message}`), [token]), {
      cause: error,
      status: error.statusCode,
    });
  }
  const cause = (error as { cause?: { code?: string } } | undefined)?.cause;
  const detail = error instanceof Error ? `${error.message}${cause?.code ? ` (${cause.code})` : ""}` : String(error);
  return new HubError(redactSecrets(stripUrlQueries(`${what}: ${detail}`), [token]), { cause: error });
}
