/**
 * @module errors — the toolkit's error types. Every error a user can cause names where it happened
 * (file, line, field) and why, and keeps the original cause.
 */

const MARKER = Symbol.for("longwriter-toolkit.error");

/** Base class of all toolkit errors; `ToolkitError.isInstance` works across duplicate package copies. */
export class ToolkitError extends Error {
  readonly [MARKER] = true;
  /** Process exit code the CLI uses for this error: 1 failure, 2 usage. */
  readonly exitCode: number;

  constructor(message: string, options: { cause?: unknown; exitCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ToolkitError";
    this.exitCode = options.exitCode ?? 1;
  }

  static isInstance(value: unknown): value is ToolkitError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}

/** Where in an input a problem sits. `line` is 1-based (a JSONL line, a JSON array element, a Parquet row). */
export interface InputLocation {
  file: string;
  line?: number;
  field?: string;
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
    super(`${formatLocation(location)}: ${reason}`, options);
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

  constructor(message: string, options: { file?: string; field?: string; cause?: unknown; exitCode?: number } = {}) {
    const where = [options.file, options.field ? `field ${options.field}` : undefined].filter(Boolean).join(": ");
    super(where ? `${where}: ${message}` : message, { cause: options.cause, exitCode: options.exitCode ?? 2 });
    this.name = "ConfigError";
    this.file = options.file;
    this.field = options.field;
  }
}

/** Turns a zod issue path into the dotted field name used in messages (`messages.1.content`). */
export function issuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((part) => String(part)).join(".");
}
