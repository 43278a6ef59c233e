/**
 * @module io/adapters/tool-definitions — the `tools` a tool-calling conversation may call. Canonical form:
 * JSON text of a list of OpenAI-style tools, `[{"type": "function", "function": {"name", "description",
 * "parameters"}}]` (what `transformers`' `apply_chat_template(tools=...)` takes once parsed, and what TRL
 * parses a string `tools` column into). Read from that form or from LLaMA-Factory's bare
 * `[{"name", "description", "parameters"}]`, as JSON text or as a list; written back in either.
 */
import type { Message } from "../../schemas/message.js";
import { describeJson } from "../jsonl.js";
import type { AdapterContext } from "./format.js";
import { fail, isObject } from "./turns.js";

/** One tool in the canonical (wrapped) form. */
export interface ToolDefinition {
  type: "function";
  function: { name: string } & Record<string, unknown>;
}

/**
 * Reads a row's `tools` value (JSON text or a list) into canonical JSON text; `undefined` when the row has
 * none (absent, null, "" or an empty list). Throws an InputError naming `tools.<i>` for a malformed tool.
 */
export function readTools(value: unknown, context: AdapterContext, field = "tools"): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  let list: unknown = value;
  if (typeof value === "string") {
    try {
      list = JSON.parse(value);
    } catch (error) {
      fail(context, field, `tools are not JSON: ${(error as Error).message}`);
    }
  }
  if (!Array.isArray(list)) fail(context, field, `expected a list of tools, got ${describeJson(list)}`);
  if (list.length === 0) return undefined;
  const tools = list.map((tool: unknown, index): ToolDefinition => {
    const where = `${field}.${index}`;
    if (!isObject(tool)) fail(context, where, `expected a tool object, got ${describeJson(tool)}`);
    const wrapped = tool.type !== undefined || tool.function !== undefined;
    if (wrapped && tool.type !== "function") fail(context, `${where}.type`, `expected "function", got ${describeJson(tool.type)}`);
    const fn = wrapped ? tool.function : tool;
    const fnField = wrapped ? `${where}.function` : where;
    if (!isObject(fn)) fail(context, fnField, `expected {name, description, parameters}, got ${describeJson(fn)}`);
    if (fn.name === undefined) fail(context, `${fnField}.name`, 'missing the function "name"');
    if (typeof fn.name !== "string" || fn.name === "") fail(context, `${fnField}.name`, `expected a function name, got ${describeJson(fn.name)}`);
    if (fn.parameters !== undefined && !isObject(fn.parameters)) {
      fail(context, `${fnField}.parameters`, `expected a JSON schema object, got ${describeJson(fn.parameters)}`);
    }
    return { type: "function", function: fn as ToolDefinition["function"] };
  });
  const names = new Set<string>();
  tools.forEach((tool, index) => {
    if (names.has(tool.function.name)) fail(context, `${field}.${index}`, `function ${JSON.stringify(tool.function.name)} is defined twice`);
    names.add(tool.function.name);
  });
  return JSON.stringify(tools);
}

/** Function names declared by canonical tools text. */
export function toolNames(tools: string): Set<string> {
  return new Set((JSON.parse(tools) as ToolDefinition[]).map((tool) => tool.function.name));
}

/** Every call must name a declared function when the row declares its tools. */
export function checkCallsAgainstTools(
  messages: readonly Message[],
  tools: string | undefined,
  context: AdapterContext,
  fieldOf: (index: number) => string,
): void {
  if (tools === undefined) return;
  const names = toolNames(tools);
  messages.forEach((message, index) => {
    message.tool_calls?.forEach((call, c) => {
      if (!names.has(call.function.name)) {
        fail(
          context,
          `${fieldOf(index)}`,
          `call ${c} names function ${JSON.stringify(call.function.name)}, which is not among the row's tools (${[...names].join(", ")})`,
        );
      }
    });
  });
}

/** Canonical tools text → LLaMA-Factory's `tools` field: JSON text of the bare function schemas. */
export function toLlamaFactoryTools(tools: string): string {
  return JSON.stringify((JSON.parse(tools) as ToolDefinition[]).map((tool) => tool.function));
}

/** True when a record needs the tool-call columns: it declares tools or a turn calls or answers one. */
export function hasToolContent(record: { messages: readonly Message[]; tools?: string | undefined }): boolean {
  return record.tools !== undefined || record.messages.some((m) => m.role === "tool" || m.tool_calls !== undefined);
}
