/**
 * @module io/adapters/turns — shared pieces of the format adapters: reading a list of chat turns from raw
 * JSON (any role/content key names), checking the canonical turn order, and the id/source/meta fields.
 */
import { InputError } from "../../errors.js";
import type { Message, Role } from "../../schemas/message.js";
import { recordId } from "../../text/record-id.js";
import { describeJson } from "../jsonl.js";
import type { AdapterContext, RawRecord } from "./format.js";

/** How a raw role maps: a canonical role, or a reason it cannot be represented (tool turns). */
export type RoleMapping = Role | { unsupported: string };

export interface TurnSyntax {
  roleKey: string;
  contentKey: string;
  /** Raw role → mapping; roles missing from the table are "unknown". */
  roles: Readonly<Record<string, RoleMapping>>;
}

const TOOL_REASON = "is a tool turn; canonical records hold only system/user/assistant turns, so rows with tool calls cannot be converted";

/** OpenAI-style `{role, content}` turns. */
export const MESSAGE_SYNTAX: TurnSyntax = {
  roleKey: "role",
  contentKey: "content",
  roles: {
    system: "system",
    developer: "system",
    user: "user",
    assistant: "assistant",
    tool: { unsupported: `role "tool" ${TOOL_REASON}` },
    function: { unsupported: `role "function" ${TOOL_REASON}` },
  },
};

/** ShareGPT / LLaMA-Factory `{from, value}` turns. */
export const SHAREGPT_SYNTAX: TurnSyntax = {
  roleKey: "from",
  contentKey: "value",
  roles: {
    system: "system",
    human: "user",
    user: "user",
    gpt: "assistant",
    assistant: "assistant",
    function_call: { unsupported: `from "function_call" ${TOOL_REASON}` },
    observation: { unsupported: `from "observation" ${TOOL_REASON}` },
    tool: { unsupported: `from "tool" ${TOOL_REASON}` },
  },
};

/** Throws an InputError at `field` of the current record. */
export function fail(context: AdapterContext, field: string | undefined, reason: string): never {
  throw new InputError({ file: context.file, line: context.line, ...(field ? { field } : {}) }, reason);
}

/** True for a plain JSON object. */
export function isObject(value: unknown): value is RawRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads a required string field. */
export function requireString(raw: RawRecord, key: string, context: AdapterContext, field = key): string {
  const value = raw[key];
  if (value === undefined) fail(context, field, `missing field "${key}"`);
  if (typeof value !== "string") fail(context, field, `expected a string, got ${describeJson(value)}`);
  return value;
}

/** Reads an optional string field (`null` counts as absent). */
export function optionalString(raw: RawRecord, key: string, context: AdapterContext, field = key): string | undefined {
  const value = raw[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") fail(context, field, `expected a string, got ${describeJson(value)}`);
  return value;
}

/**
 * Turn content: a string, or a list of typed text parts (`[{type: "text", text|value: "..."}]`, as OpenAI
 * and LLaMA-Factory's v1 format write it) joined with newlines. Other part types cannot be converted.
 */
export function readContent(value: unknown, context: AdapterContext, field: string): string {
  if (typeof value === "string") return value;
  if (value === undefined) fail(context, field, "missing content");
  if (!Array.isArray(value)) fail(context, field, `expected a string or a list of text parts, got ${describeJson(value)}`);
  const texts: string[] = [];
  value.forEach((part: unknown, index) => {
    const partField = `${field}.${index}`;
    if (typeof part === "string") {
      texts.push(part);
      return;
    }
    if (!isObject(part)) fail(context, partField, `expected a content part object, got ${describeJson(part)}`);
    if (part.type !== undefined && part.type !== "text") {
      fail(context, `${partField}.type`, `content part of type ${JSON.stringify(part.type)} cannot be converted; only text parts can`);
    }
    const text = part.text ?? part.value;
    if (typeof text !== "string") fail(context, partField, `text part has no string "text" or "value"`);
    texts.push(text);
  });
  return texts.join("\n");
}

/** Reads a list of turns with the given key names and role table. Does not check turn order. */
export function readTurns(value: unknown, syntax: TurnSyntax, context: AdapterContext, field: string): Message[] {
  if (value === undefined) fail(context, field, `missing field "${field}"`);
  if (!Array.isArray(value)) fail(context, field, `expected an array of turns, got ${describeJson(value)}`);
  return value.map((turn: unknown, index) => readTurn(turn, syntax, context, `${field}.${index}`));
}

/** Reads one turn object. */
export function readTurn(turn: unknown, syntax: TurnSyntax, context: AdapterContext, field: string): Message {
  if (!isObject(turn)) fail(context, field, `expected a turn object, got ${describeJson(turn)}`);
  const rawRole = turn[syntax.roleKey];
  const roleField = `${field}.${syntax.roleKey}`;
  if (rawRole === undefined) fail(context, roleField, `missing "${syntax.roleKey}"`);
  if (typeof rawRole !== "string") fail(context, roleField, `expected a string, got ${describeJson(rawRole)}`);
  const mapped = Object.hasOwn(syntax.roles, rawRole) ? syntax.roles[rawRole] : undefined;
  if (mapped === undefined) {
    fail(context, roleField, `unknown role ${JSON.stringify(rawRole)} (expected one of ${Object.keys(syntax.roles).join(", ")})`);
  }
  if (typeof mapped === "object") fail(context, roleField, mapped.unsupported);
  return { role: mapped, content: readContent(turn[syntax.contentKey], context, `${field}.${syntax.contentKey}`) };
}

export interface TurnOrder {
  /** Role of the first non-system turn. */
  first: "user" | "assistant";
  /** Role the list must end with. */
  last: "user" | "assistant";
  /** Whether a leading system turn is allowed. */
  allowSystem: boolean;
}

/** The rules for an SFT conversation: [system] user, assistant, user, ..., assistant. */
export const SFT_ORDER: TurnOrder = { first: "user", last: "assistant", allowSystem: true };
/** A preference prompt: [system] user, assistant, ..., user. */
export const PROMPT_ORDER: TurnOrder = { first: "user", last: "user", allowSystem: true };
/** A preference completion: assistant[, user, assistant ...]. */
export const COMPLETION_ORDER: TurnOrder = { first: "assistant", last: "assistant", allowSystem: false };

/**
 * Checks turn order and content: an optional leading system turn, then user/assistant strictly
 * alternating from `first` to `last`, and no empty user or assistant turn. `fieldOf(i)` names turn i.
 */
export function checkTurnOrder(
  messages: readonly Message[],
  order: TurnOrder,
  context: AdapterContext,
  fieldOf: (index: number) => string,
  what = "conversation",
): void {
  if (messages.length === 0) fail(context, fieldOf(-1), `${what} has no turns`);
  let start = 0;
  if (messages[0]!.role === "system") {
    if (!order.allowSystem) fail(context, fieldOf(0), `${what} may not contain a system turn`);
    start = 1;
  }
  if (start >= messages.length) fail(context, fieldOf(-1), `${what} has only a system turn, expected ${article(order.first)} turn after it`);
  let expected: "user" | "assistant" = order.first;
  for (let i = start; i < messages.length; i++) {
    const { role, content } = messages[i]!;
    if (role === "system") fail(context, fieldOf(i), `system turn at position ${i}; only the first turn may be a system turn`);
    if (role !== expected) {
      const reason =
        i === start
          ? `${what} must start with ${article(expected)} turn, got ${role}`
          : `roles do not alternate: turn ${i} is ${role} after ${messages[i - 1]!.role}`;
      fail(context, fieldOf(i), reason);
    }
    if (content.trim() === "") fail(context, fieldOf(i), `empty ${role} turn`);
    expected = expected === "user" ? "assistant" : "user";
  }
  const lastRole = messages[messages.length - 1]!.role;
  if (lastRole !== order.last) {
    const tail = order.last === "assistant" ? " (nothing to train on)" : "";
    fail(context, fieldOf(messages.length - 1), `last turn is ${lastRole}, expected ${order.last}${tail}`);
  }
}

function article(role: string): string {
  return `${role === "assistant" ? "an" : "a"} ${role}`;
}

/** The record id: the input's `id` when present (string or number), else a content hash of `content`. */
export function readId(raw: RawRecord, context: AdapterContext, content: unknown, key = "id"): string {
  const value = raw[key];
  if (value === undefined || value === null || value === "") return recordId(content);
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return fail(context, key, `expected a string or number id, got ${describeJson(value)}`);
}

const PROTO_KEY = 'a key named "__proto__" cannot be kept (JavaScript treats it as the object\'s prototype); rename it';

/**
 * `source` and `meta` of a canonical record: `meta` is the input's `meta` object plus every top-level
 * field the format does not know (`known`), so nothing in the input is dropped silently.
 */
export function readSourceAndMeta(
  raw: RawRecord,
  known: readonly string[],
  context: AdapterContext,
  extraMeta: RawRecord = {},
): { source?: string; meta?: RawRecord } {
  const source = optionalString(raw, "source", context);
  let meta: RawRecord = {};
  if (raw.meta !== undefined && raw.meta !== null) {
    if (!isObject(raw.meta)) fail(context, "meta", `expected an object, got ${describeJson(raw.meta)}`);
    if (Object.hasOwn(raw.meta, "__proto__")) fail(context, "meta.__proto__", PROTO_KEY);
    meta = { ...raw.meta };
  }
  // Every other unknown field is kept in meta; this one could not be (JavaScript objects, and so every
  // schema and writer, treat it as the prototype), so it is refused rather than dropped without a word.
  if (Object.hasOwn(raw, "__proto__")) fail(context, "__proto__", PROTO_KEY);
  for (const [key, value] of Object.entries(raw)) {
    if (key === "id" || key === "source" || key === "meta" || known.includes(key) || value === undefined || value === null) continue;
    meta[key] = value;
  }
  Object.assign(meta, extraMeta);
  return { ...(source !== undefined ? { source } : {}), ...(Object.keys(meta).length > 0 ? { meta } : {}) };
}

/** `id`, then the format's fields, then `source` and `meta` when present: the order writers emit. */
export function withEnvelope(id: string, body: RawRecord, record: { source?: string | undefined; meta?: RawRecord | undefined }): RawRecord {
  const out: RawRecord = { id, ...body };
  if (record.source !== undefined) out.source = record.source;
  if (record.meta !== undefined && Object.keys(record.meta).length > 0) out.meta = record.meta;
  return out;
}

/** Field name of turn `index` in a list at `field` (`-1` names the list itself). */
export function turnField(field: string, key?: string): (index: number) => string {
  return (index) => (index < 0 ? field : key ? `${field}.${index}.${key}` : `${field}.${index}`);
}
