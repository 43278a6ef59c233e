/**
 * @module io/adapters/turns — shared pieces of the format adapters: reading a list of chat turns from raw
 * JSON (any role/content key names), checking the canonical turn order, and the id/source/meta fields.
 */
import { InputError } from "../../errors.js";
import type { Message, Role, ToolCall } from "../../schemas/message.js";
import { recordId } from "../../text/record-id.js";
import { describeJson } from "../jsonl.js";
import type { AdapterContext, RawRecord } from "./format.js";

/**
 * How a raw role maps: a canonical role, `"function_call"` (a LLaMA-Factory turn whose value is the JSON of
 * the assistant's call(s)), or a reason it cannot be represented here (tool turns in preference data).
 */
export type RoleMapping = Role | "function_call" | { unsupported: string };

export interface TurnSyntax {
  roleKey: string;
  contentKey: string;
  /** Raw role → mapping; roles missing from the table are "unknown". */
  roles: Readonly<Record<string, RoleMapping>>;
  /** Read OpenAI's tool fields of a turn (`tool_calls`, `tool_call_id`, `name`); otherwise they are refused. */
  toolFields?: boolean;
}

const TOOL_REASON = "is a tool turn; preference records hold only system/user/assistant turns";

/** OpenAI-style `{role, content}` turns without tool turns (preference data). */
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

/** OpenAI-style turns with tool calls (`tool_calls` on assistant turns, `tool` turns with the results). */
export const MESSAGE_TOOL_SYNTAX: TurnSyntax = {
  ...MESSAGE_SYNTAX,
  roles: {
    ...MESSAGE_SYNTAX.roles,
    tool: "tool",
    function: { unsupported: `role "function" is OpenAI's retired function-calling layout; write the call as tool_calls and the result as a "tool" turn` },
  },
  toolFields: true,
};

/** ShareGPT / LLaMA-Factory `{from, value}` turns without tool turns (preference data). */
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

/** LLaMA-Factory's tool turns: `function_call` (the call as JSON) and `observation` (the result). */
export const SHAREGPT_TOOL_SYNTAX: TurnSyntax = {
  ...SHAREGPT_SYNTAX,
  roles: { ...SHAREGPT_SYNTAX.roles, function_call: "function_call", observation: "tool", tool: "tool" },
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
  const contentField = `${field}.${syntax.contentKey}`;
  if (mapped === "function_call") {
    return { role: "assistant", content: "", tool_calls: readLlamaFactoryCalls(turn[syntax.contentKey], context, contentField) };
  }
  if (!syntax.toolFields) {
    for (const key of ["tool_calls", "tool_call_id"]) {
      if (turn[key] !== undefined && turn[key] !== null)
        fail(context, `${field}.${key}`, `tool calls ${TOOL_REASON.replace(/^is a tool turn; /, "are not supported: ")}`);
    }
    return { role: mapped, content: readContent(turn[syntax.contentKey], context, contentField) };
  }
  const rawCalls = turn.tool_calls;
  const hasCalls = rawCalls !== undefined && rawCalls !== null;
  if (hasCalls && mapped !== "assistant") fail(context, `${field}.tool_calls`, `only assistant turns make tool calls, this one is ${mapped}`);
  // An assistant turn that only calls tools may have no content (OpenAI writes null).
  const rawContent = turn[syntax.contentKey];
  const content = hasCalls && (rawContent === null || rawContent === undefined) ? "" : readContent(rawContent, context, contentField);
  const message: Message = { role: mapped, content };
  if (hasCalls) message.tool_calls = readToolCalls(rawCalls, context, `${field}.tool_calls`);
  for (const key of ["tool_call_id", "name"] as const) {
    const value = turn[key];
    if (value === undefined || value === null || mapped !== "tool") continue;
    if (typeof value !== "string" || value === "") fail(context, `${field}.${key}`, `expected a non-empty string, got ${describeJson(value)}`);
    message[key] = value;
  }
  return message;
}

/** OpenAI `tool_calls`: `[{id?, type: "function", function: {name, arguments}}]`, arguments JSON text (or an object). */
function readToolCalls(value: unknown, context: AdapterContext, field: string): ToolCall[] {
  if (!Array.isArray(value) || value.length === 0) fail(context, field, `expected a non-empty list of tool calls, got ${describeJson(value)}`);
  return value.map((raw: unknown, index) => {
    const callField = `${field}.${index}`;
    if (!isObject(raw)) fail(context, callField, `expected a tool call object, got ${describeJson(raw)}`);
    if (raw.type !== undefined && raw.type !== "function") fail(context, `${callField}.type`, `expected "function", got ${describeJson(raw.type)}`);
    if (!isObject(raw.function)) fail(context, `${callField}.function`, `expected {name, arguments}, got ${describeJson(raw.function)}`);
    const call = makeCall(raw.function.name, raw.function.arguments, context, `${callField}.function`);
    if (raw.id === undefined || raw.id === null) return call;
    if (typeof raw.id !== "string" || raw.id === "") fail(context, `${callField}.id`, `expected a non-empty string, got ${describeJson(raw.id)}`);
    return { id: raw.id, ...call };
  });
}

/** A LLaMA-Factory `function_call` value: JSON text of `{name, arguments}` or of a list of them (parallel calls). */
function readLlamaFactoryCalls(value: unknown, context: AdapterContext, field: string): ToolCall[] {
  if (typeof value !== "string") fail(context, field, `expected the call as JSON text, got ${describeJson(value)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    fail(context, field, `function_call is not JSON: ${(error as Error).message}`);
  }
  const calls = Array.isArray(parsed) ? parsed : [parsed];
  if (calls.length === 0) fail(context, field, "function_call holds an empty list of calls");
  return calls.map((call: unknown, index) => {
    const where = Array.isArray(parsed) ? `${field}[${index}]` : field;
    if (!isObject(call)) fail(context, where, `expected {"name", "arguments"}, got ${describeJson(call)}`);
    return makeCall(call.name, call.arguments, context, where);
  });
}

/** One call with its arguments as JSON text of an object (an object is serialised; text must parse to one). */
function makeCall(name: unknown, args: unknown, context: AdapterContext, field: string): ToolCall {
  if (name === undefined) fail(context, `${field}.name`, 'missing the function "name"');
  if (typeof name !== "string" || name === "") fail(context, `${field}.name`, `expected a function name, got ${describeJson(name)}`);
  let text: string;
  if (typeof args === "string") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(args);
    } catch (error) {
      fail(context, `${field}.arguments`, `arguments are not JSON: ${(error as Error).message}`);
    }
    if (!isObject(parsed)) fail(context, `${field}.arguments`, `arguments must be a JSON object, got ${describeJson(parsed)}`);
    text = args;
  } else if (isObject(args)) {
    text = JSON.stringify(args);
  } else if (args === undefined || args === null) {
    text = "{}";
  } else {
    fail(context, `${field}.arguments`, `arguments must be a JSON object (or its text), got ${describeJson(args)}`);
  }
  return { type: "function", function: { name, arguments: text } };
}

export interface TurnOrder {
  /** Role of the first non-system turn. */
  first: "user" | "assistant";
  /** Role the list must end with. */
  last: "user" | "assistant";
  /** Whether a leading system turn is allowed. */
  allowSystem: boolean;
  /** Whether assistant turns may call tools (answered by `tool` turns before the next assistant turn). */
  allowTools?: boolean;
}

/**
 * The rules for an SFT conversation: [system] user, assistant, user, ..., assistant, where an assistant
 * turn may call tools and is then followed by the `tool` results and another assistant turn.
 */
export const SFT_ORDER: TurnOrder = { first: "user", last: "assistant", allowSystem: true, allowTools: true };
/** A preference prompt: [system] user, assistant, ..., user. */
export const PROMPT_ORDER: TurnOrder = { first: "user", last: "user", allowSystem: true };
/** A preference completion: assistant[, user, assistant ...]. */
export const COMPLETION_ORDER: TurnOrder = { first: "assistant", last: "assistant", allowSystem: false };

/**
 * Checks turn order and content: an optional leading system turn, then user/assistant strictly
 * alternating from `first` to `last`, and no empty user or assistant turn. With `allowTools`, an
 * assistant turn with `tool_calls` is followed by one or more `tool` turns (answering its calls by id
 * when both sides carry ids) and then by another assistant turn; it may also end the conversation.
 * `fieldOf(i)` names turn i.
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
  // The assistant turn whose calls the following tool turns answer.
  let calling: Message | undefined;
  for (let i = start; i < messages.length; i++) {
    const message = messages[i]!;
    const { role, content } = message;
    if (role === "system") fail(context, fieldOf(i), `system turn at position ${i}; only the first turn may be a system turn`);
    if (role === "tool") {
      if (!order.allowTools) fail(context, fieldOf(i), `${what} may not contain tool turns`);
      if (!calling) fail(context, fieldOf(i), `tool turn ${i} follows no assistant tool call (turn ${i - 1} is ${describeTurn(messages[i - 1]!)})`);
      checkAnswers(message, calling, context, fieldOf(i));
      continue;
    }
    if (calling && messages[i - 1]!.tool_calls !== undefined) {
      fail(context, fieldOf(i), `turn ${i - 1} calls tools but turn ${i} is ${role}; expected the results as tool turns`);
    }
    if (role !== expected) {
      const reason =
        i === start
          ? `${what} must start with ${article(expected)} turn, got ${role}`
          : `roles do not alternate: turn ${i} is ${role} after ${describeTurn(messages[i - 1]!)}`;
      fail(context, fieldOf(i), reason);
    }
    if (message.tool_calls !== undefined) {
      if (!order.allowTools) fail(context, fieldOf(i), `${what} may not contain tool calls`);
      calling = message;
      continue; // the results come next, then another assistant turn
    }
    calling = undefined;
    if (content.trim() === "") fail(context, fieldOf(i), `empty ${role} turn`);
    expected = expected === "user" ? "assistant" : "user";
  }
  const lastRole = messages[messages.length - 1]!.role;
  if (lastRole !== order.last) {
    const tail = order.last === "assistant" ? " (nothing to train on)" : "";
    fail(context, fieldOf(messages.length - 1), `last turn is ${lastRole}, expected ${order.last}${tail}`);
  }
}

/** A tool turn's `tool_call_id` must name one of the calls it answers (when those carry ids). */
function checkAnswers(result: Message, calling: Message, context: AdapterContext, field: string): void {
  if (result.tool_call_id === undefined) return;
  const ids = (calling.tool_calls ?? []).flatMap((call) => (call.id === undefined ? [] : [call.id]));
  if (ids.length > 0 && !ids.includes(result.tool_call_id)) {
    fail(
      context,
      `${field}.tool_call_id`,
      `answers call ${JSON.stringify(result.tool_call_id)}, but the calls before it are ${ids.map((id) => JSON.stringify(id)).join(", ")}`,
    );
  }
}

function describeTurn(message: Message): string {
  return message.tool_calls !== undefined ? "an assistant tool call" : message.role;
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
