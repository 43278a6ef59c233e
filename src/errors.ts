/**
 * @module errors — the toolkit's error types. Every error a user can cause names where it happened
 * (file, line, field) and why, and keeps the original cause.
 */

const MARKER = Symbol.for("longwriter-toolkit.error");

/** What every toolkit error carries, whichever built-in error class it extends. */
export interface ToolkitErrorFields {
  /** A short stable code for programs (`invalid_input`, `invalid_config`, `invalid_option`, `hub`, `llm_http`, …). */
  readonly code: string;
  /** Process exit code the CLI uses for this error: 1 failure, 2 usage. */
  readonly exitCode: number;
}

/**
 * Base class of all toolkit errors. `ToolkitError.isInstance(e)` (and `e instanceof ToolkitError`) is
 * true for every error of the family, also across duplicate package copies and for `OptionError`,
 * which extends RangeError so code that catches RangeError keeps working.
 */
export class ToolkitError extends Error implements ToolkitErrorFields {
  readonly [MARKER] = true;
  readonly code: string;
  readonly exitCode: number;

  constructor(message: string, options: { cause?: unknown; exitCode?: number | undefined; code?: string | undefined } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ToolkitError";
    this.exitCode = options.exitCode ?? 1;
    this.code = options.code ?? "toolkit_error";
  }

  static isInstance(value: unknown): value is ToolkitError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }

  /** `e instanceof ToolkitError` checks the family marker; subclasses keep the ordinary prototype check. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class instanceof was called on; only the base checks the marker
    return this === ToolkitError ? ToolkitError.isInstance(value) : Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

/**
 * A bad argument or option passed to a library function (a count that must be positive, a missing
 * client). A RangeError, so it reads like one, and a member of the toolkit family (`code`
 * "invalid_option", `field`, exit code 2).
 */
export class OptionError extends RangeError implements ToolkitErrorFields {
  readonly [MARKER] = true;
  readonly code = "invalid_option";
  readonly exitCode = 2;
  readonly field: string | undefined;

  constructor(message: string, options: { field?: string | undefined } = {}) {
    super(message);
    this.name = "OptionError";
    this.field = options.field;
  }
}

/** Where in an input a problem sits. `line` is 1-based (a JSONL line, a JSON array element, a Parquet row). */
export interface InputLocation {
  file: string;
  line?: number | undefined;
  field?: string | undefined;
}

/** Formats a location as `file:line: field` (parts that are unknown are left out). */
export function formatLocation({ file, line, field }: InputLocation): string {
  let text = file;
  if (line !== undefined) text += `:${line}`;
  if (field !== undefined && field !== "") text += `: field ${field}`;
  return text;
}

/** Bad input data: invalid JSON, bad UTF-8, a record failing its schema, an unconvertible row. */
export class InputError extends ToolkitError {
  readonly file: string;
  readonly line: number | undefined;
  readonly field: string | undefined;
  readonly reason: string;

  constructor(location: InputLocation, reason: string, options: { cause?: unknown } = {}) {
    super(`${formatLocation(location)}: ${reason}`, { ...options, code: "invalid_input" });
    this.name = "InputError";
    this.file = location.file;
    this.line = location.line;
    this.field = location.field;
    this.reason = reason;
  }
}

/** A configuration problem (recipe, policy, flags): exit code 2 when it is a usage error. */
export class ConfigError extends ToolkitError {
  readonly file: string | undefined;
  readonly field: string | undefined;

  constructor(message: string, options: { file?: string | undefined; field?: string | undefined; cause?: unknown; exitCode?: number | undefined } = {}) {
    const where = [options.file, options.field ? `field ${options.field}` : undefined].filter(Boolean).join(": ");
    super(where ? `${where}: ${message}` : message, { cause: options.cause, exitCode: options.exitCode ?? 2, code: "invalid_config" });
    this.name = "ConfigError";
    this.file = options.file;
    this.field = options.field;
  }
}

/** Turns a zod issue path into the dotted field name used in messages (`messages.1.content`). */
export function issuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((part) => String(part)).join(".");
}
