/**
 * @module util/redact-secrets — removes credentials from text before it can reach a message, a failure
 * file, a journal, a report or `--json` output. A server (or a gateway in front of it) may echo the
 * request's `Authorization` header in an error body or an SSE error event; whatever it echoes, the
 * configured key value, any `Bearer <token>`, and `sk-…` / `hf_…` shaped tokens come out as `[redacted]`.
 */

/** What a removed secret is replaced with. */
export const REDACTED = "[redacted]";

/** Shorter configured values are not searched for verbatim (they would match ordinary words). */
const MIN_SECRET_LENGTH = 6;

/**
 * Token shapes that are credentials wherever they appear: `Bearer <anything>`, OpenAI keys (`sk-…`,
 * `sk-proj-…`), Hugging Face tokens (`hf_…`), and `Authorization: <value>` header echoes.
 */
const TOKEN_PATTERNS: readonly RegExp[] = [
  /\bBearer\s+[^\s"'`,;)}\]]+/gi,
  /\b(authorization|api[-_]?key|x-api-key)(["']?\s*[:=]\s*["']?)(?!\[redacted\])[^\s"'`,;)}\]]+/gi,
  /\bsk-[A-Za-z0-9_-]{6,}/g,
  /\bhf_[A-Za-z0-9]{6,}/g,
];

/**
 * Returns `text` with every secret replaced by `[redacted]`: the given configured values (verbatim,
 * when at least 6 characters long) and every token-shaped credential.
 * @example
 * redactSecrets('401: bad key "Bearer sk-abc123456"', ["sk-abc123456"]) // '401: bad key "[redacted]"'
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH) continue;
    out = out.split(secret).join(REDACTED);
  }
  out = out.replace(TOKEN_PATTERNS[0]!, REDACTED);
  out = out.replace(TOKEN_PATTERNS[1]!, (_match, name: string, separator: string) => `${name}${separator}${REDACTED}`);
  out = out.replace(TOKEN_PATTERNS[2]!, REDACTED);
  out = out.replace(TOKEN_PATTERNS[3]!, REDACTED);
  return out;
}

/**
 * A stand-in for an error whose message may hold a secret: same name and (redacted) message, no
 * response body, headers or request attached. Used as the `cause` of LLM call errors.
 */
export function redactedError(error: unknown, secrets: ReadonlyArray<string | undefined> = []): Error {
  const message = error instanceof Error ? error.message : String(error);
  const copy = new Error(redactSecrets(message, secrets));
  copy.name = error instanceof Error ? error.name : "Error";
  if (error instanceof Error && error.stack) {
    copy.stack = redactSecrets(error.stack, secrets);
  }
  return copy;
}
