/**
 * @module io/column-spec — a small, generic description of a Parquet table (name + type + nullable per
 * column) that maps onto an explicit Parquet schema, so every dataset kind (SFT, DPO, candidates, ...) can
 * be written and read back with the same code.
 */
import type { SchemaElement } from "hyparquet";
import { InputError, OptionError } from "../errors.js";

/**
 * Column types:
 * - `string` UTF-8 text; `int32`, `int64` integers; `double`; `boolean`;
 * - `messages` a chat: `list<struct<role: string, content: string>>` (3-level LIST, fields in that order),
 *   what `datasets` and TRL call a conversational column;
 * - `tool-messages` a chat with tool calls: `list<struct<role, content, tool_calls: list<struct<id, type,
 *   function: struct<name, arguments>>>, tool_call_id, name>>` (OpenAI's field names; `arguments` is JSON
 *   text), the layout `datasets` infers for such rows; turns without tool fields hold nulls there;
 * - `json` any JSON value stored as a JSON string (free-form objects such as `meta`).
 */
/** Key of the Parquet key-value metadata entry that records the column spec (so `json` columns decode). */
export const COLUMNS_METADATA_KEY = "longwriter.columns";

export type ColumnType = "string" | "int32" | "int64" | "double" | "boolean" | "messages" | "tool-messages" | "json";

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  /** Whether the column may hold null (a missing/undefined value is written as null). @default false */
  nullable?: boolean;
}

/** One chat turn as stored in a `messages` column. */
export interface MessageValue {
  role: string;
  content: string;
}

/** One chat turn as stored in a `tool-messages` column (absent tool fields are null). */
export interface ToolMessageValue extends MessageValue {
  tool_calls: Array<{ id: string | null; type: string; function: { name: string; arguments: string } }> | null;
  tool_call_id: string | null;
  name: string | null;
}

/** SFT rows as `datasets` users expect them: `messages` first, then `id`, `source`, `meta` (JSON string). */
export const SFT_COLUMNS: readonly ColumnSpec[] = Object.freeze([
  { name: "messages", type: "messages" },
  { name: "id", type: "string" },
  { name: "source", type: "string", nullable: true },
  { name: "meta", type: "json", nullable: true },
]);

/**
 * SFT rows with tool calls: `messages` as `tool-messages` and a `tools` column (JSON text of the row's
 * tool definitions, null for rows without) next to it. Used only when some row has tool content, so
 * datasets without tools keep `SFT_COLUMNS` byte for byte.
 */
export const SFT_TOOL_COLUMNS: readonly ColumnSpec[] = Object.freeze([
  { name: "messages", type: "tool-messages" },
  { name: "tools", type: "string", nullable: true },
  { name: "id", type: "string" },
  { name: "source", type: "string", nullable: true },
  { name: "meta", type: "json", nullable: true },
]);

/** The SFT columns for rows with (`true`) or without tool content. */
export function sftColumns(tools: boolean): readonly ColumnSpec[] {
  return tools ? SFT_TOOL_COLUMNS : SFT_COLUMNS;
}

const COLUMN_TYPES: ReadonlySet<string> = new Set(["string", "int32", "int64", "double", "boolean", "messages", "tool-messages", "json"]);

/** Checks a column list (unique, non-empty names; known types); throws a plain Error naming the problem. */
export function validateColumns(columns: readonly ColumnSpec[]): void {
  if (columns.length === 0) throw new OptionError("a Parquet table needs at least one column", { field: "columns" });
  const seen = new Set<string>();
  for (const column of columns) {
    if (!column.name) throw new OptionError("column with an empty name", { field: "columns" });
    if (seen.has(column.name)) throw new OptionError(`duplicate column "${column.name}"`, { field: "columns" });
    if (!COLUMN_TYPES.has(column.type)) throw new OptionError(`column "${column.name}": unknown type "${String(column.type)}"`, { field: "columns" });
    seen.add(column.name);
  }
}

/** The explicit Parquet schema for `columns` (hyparquet-writer turns objects into JSON strings without one). */
export function parquetSchemaFor(columns: readonly ColumnSpec[]): SchemaElement[] {
  validateColumns(columns);
  const schema: SchemaElement[] = [{ name: "root", num_children: columns.length }];
  for (const column of columns) {
    const repetition = column.nullable ? "OPTIONAL" : "REQUIRED";
    switch (column.type) {
      case "string":
      case "json":
        schema.push({ name: column.name, type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" }, repetition_type: repetition });
        break;
      case "int32":
        schema.push({ name: column.name, type: "INT32", repetition_type: repetition });
        break;
      case "int64":
        schema.push({ name: column.name, type: "INT64", repetition_type: repetition });
        break;
      case "double":
        schema.push({ name: column.name, type: "DOUBLE", repetition_type: repetition });
        break;
      case "boolean":
        schema.push({ name: column.name, type: "BOOLEAN", repetition_type: repetition });
        break;
      case "messages":
        // Standard 3-level list, as Arrow (and so `datasets`) writes it: element and fields are OPTIONAL.
        schema.push(
          { name: column.name, repetition_type: repetition, converted_type: "LIST", logical_type: { type: "LIST" }, num_children: 1 },
          { name: "list", repetition_type: "REPEATED", num_children: 1 },
          { name: "element", repetition_type: "OPTIONAL", num_children: 2 },
          { name: "role", type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" }, repetition_type: "OPTIONAL" },
          { name: "content", type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" }, repetition_type: "OPTIONAL" },
        );
        break;
      case "tool-messages":
        schema.push(
          { name: column.name, repetition_type: repetition, converted_type: "LIST", logical_type: { type: "LIST" }, num_children: 1 },
          { name: "list", repetition_type: "REPEATED", num_children: 1 },
          { name: "element", repetition_type: "OPTIONAL", num_children: 5 },
          text("role"),
          text("content"),
          { name: "tool_calls", repetition_type: "OPTIONAL", converted_type: "LIST", logical_type: { type: "LIST" }, num_children: 1 },
          { name: "list", repetition_type: "REPEATED", num_children: 1 },
          { name: "element", repetition_type: "OPTIONAL", num_children: 3 },
          text("id"),
          text("type"),
          { name: "function", repetition_type: "OPTIONAL", num_children: 2 },
          text("name"),
          text("arguments"),
          text("tool_call_id"),
          text("name"),
        );
        break;
    }
  }
  return schema;
}

/** An OPTIONAL UTF-8 string field of a struct. */
function text(name: string): SchemaElement {
  return { name, type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" }, repetition_type: "OPTIONAL" };
}

/** Where a value that cannot be written came from, for the error message. */
export interface ValueLocation {
  file: string;
  /** 1-based row number within the output. */
  row: number;
}

/**
 * Converts one row's value to what the Parquet writer takes for `column` (int64 → bigint, json →
 * string, messages → `{role, content}[]` with only those two fields), or throws an InputError naming the
 * file, row and column.
 */
export function encodeValue(column: ColumnSpec, value: unknown, where: ValueLocation): unknown {
  if (value === undefined || value === null) {
    if (column.nullable) return null;
    throw bad(column, where, `is required, got ${value === null ? "null" : "nothing"}`);
  }
  switch (column.type) {
    case "string":
      if (typeof value !== "string") throw bad(column, where, `expected a string, got ${describe(value)}`);
      return value;
    case "int32":
      if (typeof value !== "number" || !Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
        throw bad(column, where, `expected a 32-bit integer, got ${describe(value)}`);
      }
      return value;
    case "int64":
      if (typeof value === "bigint") return value;
      if (typeof value !== "number" || !Number.isSafeInteger(value)) throw bad(column, where, `expected an integer, got ${describe(value)}`);
      return BigInt(value);
    case "double":
      if (typeof value !== "number") throw bad(column, where, `expected a number, got ${describe(value)}`);
      return value;
    case "boolean":
      if (typeof value !== "boolean") throw bad(column, where, `expected a boolean, got ${describe(value)}`);
      return value;
    case "json": {
      const text = JSON.stringify(value);
      if (text === undefined) throw bad(column, where, `cannot be stored as JSON (${describe(value)})`);
      return text;
    }
    case "messages":
      return encodeMessages(column, value, where);
    case "tool-messages":
      return encodeToolMessages(column, value, where);
  }
}

function encodeToolMessages(column: ColumnSpec, value: unknown, where: ValueLocation): ToolMessageValue[] {
  const turns = encodeMessages(column, value, where);
  return (value as Array<Record<string, unknown>>).map((message, index) => {
    const field = `${column.name}.${index}`;
    const optional = (key: string): string | null => {
      const v = message[key];
      if (v === undefined || v === null) return null;
      if (typeof v !== "string") throw bad(column, where, `expected a string ${key}, got ${describe(v)}`, `${field}.${key}`);
      return v;
    };
    const calls = message.tool_calls;
    let toolCalls: ToolMessageValue["tool_calls"] = null;
    if (calls !== undefined && calls !== null) {
      if (!Array.isArray(calls)) throw bad(column, where, `expected a list of tool calls, got ${describe(calls)}`, `${field}.tool_calls`);
      toolCalls = calls.map((call: unknown, c) => {
        const fn = (call as { function?: Record<string, unknown> } | null)?.function;
        const callField = `${field}.tool_calls.${c}`;
        if (typeof fn?.name !== "string" || typeof fn.arguments !== "string") {
          throw bad(column, where, "expected a call {type, function: {name, arguments}} with string name and arguments", callField);
        }
        const { id, type } = call as Record<string, unknown>;
        if (id !== undefined && id !== null && typeof id !== "string") throw bad(column, where, `expected a string id, got ${describe(id)}`, `${callField}.id`);
        return {
          id: (id as string | undefined) ?? null,
          type: typeof type === "string" ? type : "function",
          function: { name: fn.name, arguments: fn.arguments },
        };
      });
    }
    return { ...turns[index]!, tool_calls: toolCalls, tool_call_id: optional("tool_call_id"), name: optional("name") };
  });
}

function encodeMessages(column: ColumnSpec, value: unknown, where: ValueLocation): MessageValue[] {
  if (!Array.isArray(value)) throw bad(column, where, `expected a list of {role, content}, got ${describe(value)}`);
  return value.map((message: unknown, index) => {
    if (typeof message !== "object" || message === null) {
      throw bad(column, where, `turn ${index}: expected {role, content}, got ${describe(message)}`, `${column.name}.${index}`);
    }
    const { role, content } = message as Record<string, unknown>;
    if (typeof role !== "string") throw bad(column, where, `expected a string role, got ${describe(role)}`, `${column.name}.${index}.role`);
    if (typeof content !== "string") {
      throw bad(column, where, `expected a string content, got ${describe(content)}`, `${column.name}.${index}.content`);
    }
    if (column.type === "messages") {
      // A plain chat column has no place for tool fields: refuse rather than drop them.
      for (const key of role === "tool" ? ["tool_calls", "tool_call_id", "name"] : ["tool_calls", "tool_call_id"]) {
        const v = (message as Record<string, unknown>)[key];
        if (v !== undefined && v !== null) {
          throw bad(
            column,
            where,
            `turn ${index} has ${key}; tool-call conversations need the tool-messages layout (SFT_TOOL_COLUMNS)`,
            `${column.name}.${index}.${key}`,
          );
        }
      }
    }
    return { role, content };
  });
}

/**
 * Approximate uncompressed Parquet size of a row, as a footer's `total_byte_size` counts it: UTF-8 bytes
 * of its text plus the 4-byte length prefix of every PLAIN string, 8 bytes per scalar and a few bytes of
 * repetition/definition levels per list item. Row groups are cut by this, so it has to be cheap and
 * deterministic; it is a slight overestimate (dictionary-encoded columns come out smaller).
 */
export function rowTextBytes(columns: readonly ColumnSpec[], encoded: readonly unknown[]): number {
  let bytes = 0;
  for (let i = 0; i < columns.length; i++) {
    const value = encoded[i];
    if (value === null || value === undefined) {
      bytes += 1;
    } else if (typeof value === "string") {
      bytes += Buffer.byteLength(value, "utf8") + 4;
    } else if (Array.isArray(value)) {
      bytes += 1;
      for (const message of value as MessageValue[]) {
        bytes += Buffer.byteLength(message.role) + Buffer.byteLength(message.content) + 10;
        if ("tool_calls" in message) bytes += toolFieldBytes(message as ToolMessageValue);
      }
    } else {
      bytes += 8;
    }
  }
  return bytes;
}

/** Estimated bytes of a turn's tool fields (0 for a turn without any, so plain turns cost the same in both layouts). */
function toolFieldBytes(message: ToolMessageValue): number {
  let bytes = 0;
  for (const call of message.tool_calls ?? []) {
    bytes +=
      Buffer.byteLength(call.id ?? "") + Buffer.byteLength(call.type) + Buffer.byteLength(call.function.name) + Buffer.byteLength(call.function.arguments) + 20;
  }
  if (message.tool_call_id !== null) bytes += Buffer.byteLength(message.tool_call_id) + 4;
  if (message.name !== null) bytes += Buffer.byteLength(message.name) + 4;
  return bytes;
}

/**
 * Turns a value read back by hyparquet into the row value: int64 → number when it is a safe integer
 * (else bigint), json → parsed, messages → `{role, content}[]`.
 */
export function decodeValue(column: ColumnSpec, value: unknown, where: ValueLocation): unknown {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case "int64":
      if (typeof value === "bigint" && value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) {
        return Number(value);
      }
      return value;
    case "json":
      if (typeof value !== "string") return value;
      try {
        return JSON.parse(value);
      } catch (cause) {
        throw new InputError({ file: where.file, line: where.row, field: column.name }, "invalid JSON in a json column", { cause });
      }
    case "messages":
      if (!Array.isArray(value)) return value;
      // hyparquet gives each turn as an object of the struct's two fields: kept as it is when they come in
      // our order (role first; other writers may store content first) and neither is missing (null).
      if (value.every(isCompleteTurn)) return value;
      return value.map((message: unknown) => {
        const { role, content } = (message ?? {}) as Record<string, unknown>;
        return { role: role ?? null, content: content ?? null };
      });
    case "tool-messages":
      if (!Array.isArray(value)) return value;
      return value.map(decodeToolMessage);
    default:
      return value;
  }
}

/** A decoded `messages` turn with both fields present, role first. */
function isCompleteTurn(message: unknown): boolean {
  if (typeof message !== "object" || message === null) return false;
  const { role, content } = message as { role?: unknown; content?: unknown };
  if (role == null || content == null) return false;
  for (const key in message) return key === "role";
  return false;
}

/** A `tool-messages` turn read back: role and content, then only the tool fields it holds (as written). */
function decodeToolMessage(message: unknown): Record<string, unknown> {
  const { role, content, tool_calls, tool_call_id, name } = (message ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = { role: role ?? null, content: content ?? null };
  if (Array.isArray(tool_calls)) {
    out.tool_calls = tool_calls.map((call: unknown) => {
      const { id, type, function: fn } = (call ?? {}) as Record<string, unknown>;
      const { name: fnName, arguments: args } = (fn ?? {}) as Record<string, unknown>;
      return { ...(id !== null && id !== undefined ? { id } : {}), type: type ?? null, function: { name: fnName ?? null, arguments: args ?? null } };
    });
  }
  if (tool_call_id !== null && tool_call_id !== undefined) out.tool_call_id = tool_call_id;
  if (name !== null && name !== undefined) out.name = name;
  return out;
}

function bad(column: ColumnSpec, where: ValueLocation, reason: string, field = column.name): InputError {
  return new InputError({ file: where.file, line: where.row, field }, `column "${column.name}" (${column.type}) ${reason}`);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${String(value)}`;
  if (typeof value === "string") return `string "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return `a ${typeof value}`;
}
