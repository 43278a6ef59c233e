/**
 * @module io/adapters/sharegpt — ShareGPT / LLaMA-Factory `sharegpt` rows: `conversations` of
 * `{from, value}` turns (human/gpt/system, also user/assistant) and an optional `system` field.
 *
 * Tool calling as LLaMA-Factory writes it: a `function_call` turn holds the assistant's call as JSON text
 * (`{"name", "arguments"}`, or a list of them for parallel calls), the next `observation` turn holds the
 * result, and the row's `tools` field is JSON text of the bare function schemas. They become canonical
 * `tool_calls`, `tool` turns and `tools` (see `tool-definitions`), and are written back the same way.
 */
import type { Message } from "../../schemas/message.js";
import type { SftRecord } from "../../schemas/sft-record.js";
import { ToolkitError } from "../../errors.js";
import type { AdapterContext, RawRecord, SftAdapter } from "./format.js";
import { checkCallsAgainstTools, readTools, toLlamaFactoryTools } from "./tool-definitions.js";
import {
  checkTurnOrder,
  fail,
  isObject,
  optionalString,
  readId,
  readSourceAndMeta,
  readTurns,
  SFT_ORDER,
  SHAREGPT_SYNTAX,
  SHAREGPT_TOOL_SYNTAX,
  turnField,
  withEnvelope,
  type TurnSyntax,
} from "./turns.js";

const FROM: Record<Exclude<Message["role"], "tool">, string> = { system: "system", user: "human", assistant: "gpt" };

/** The key holding the turns: `conversations`, or `messages` when its turns use `from`/`value`. */
function turnsKey(raw: RawRecord): "conversations" | "messages" {
  if (raw.conversations === undefined && Array.isArray(raw.messages)) return "messages";
  return "conversations";
}

/**
 * Reads the turns of a ShareGPT row (shared with the preference adapter, which reads no tool turns): the
 * `system` field, if set, becomes a leading system turn. Returns the turns and a field namer that maps
 * back to the raw row.
 */
export function readShareGptTurns(
  raw: RawRecord,
  context: AdapterContext,
  syntax: TurnSyntax = SHAREGPT_SYNTAX,
): { messages: Message[]; fieldOf: (index: number) => string } {
  const key = turnsKey(raw);
  const turns = readTurns(raw[key], syntax, context, key);
  const system = optionalString(raw, "system", context);
  const rawField = turnField(key);
  if (system === undefined || system === "") return { messages: nameToolResults(turns), fieldOf: rawField };
  if (turns[0]?.role === "system") fail(context, "system", `both a "system" field and a system turn in ${key}; give one`);
  return {
    messages: nameToolResults([{ role: "system", content: system }, ...turns]),
    fieldOf: (index) => (index === 0 ? "system" : rawField(index < 0 ? -1 : index - 1)),
  };
}

/** An observation answering a single call gets that function's `name` (LLaMA-Factory data has no call ids). */
function nameToolResults(messages: Message[]): Message[] {
  let calls: Message["tool_calls"];
  for (const message of messages) {
    if (message.role === "tool" && calls?.length === 1 && message.name === undefined) message.name = calls[0]!.function.name;
    if (message.role !== "tool") calls = message.tool_calls;
  }
  return messages;
}

/** Canonical turns → ShareGPT `{system?, conversations}` (a leading system turn goes to the `system` field). */
export function toShareGptTurns(messages: readonly Message[]): { system?: string; conversations: { from: string; value: string }[] } {
  const [first, ...rest] = messages;
  const system = first?.role === "system" ? first.content : undefined;
  const turns = system === undefined ? messages : rest;
  return {
    ...(system !== undefined ? { system } : {}),
    conversations: turns.map((m, i) => toShareGptTurn(m, turns[i - 1])),
  };
}

function toShareGptTurn(message: Message, previous: Message | undefined): { from: string; value: string } {
  if (message.role === "system") throw new ToolkitError("a system turn after the first turn cannot be written as ShareGPT");
  if (message.role === "tool") {
    if (previous?.role === "tool") {
      throw new ToolkitError("several tool results for one call turn cannot be written as ShareGPT (LLaMA-Factory takes one observation per function_call)");
    }
    return { from: "observation", value: message.content };
  }
  if (message.tool_calls === undefined) return { from: FROM[message.role], value: message.content };
  if (message.content.trim() !== "") {
    throw new ToolkitError("an assistant turn with both text and tool calls cannot be written as ShareGPT (a function_call turn holds only the call)");
  }
  const calls = message.tool_calls.map((call) => ({ name: call.function.name, arguments: JSON.parse(call.function.arguments) as unknown }));
  return { from: "function_call", value: JSON.stringify(calls.length === 1 ? calls[0] : calls) };
}

export const sharegptAdapter: SftAdapter = {
  name: "sharegpt",
  kind: "sft",
  description: "ShareGPT / LLaMA-Factory: {conversations: [{from: human|gpt|function_call|observation, value}], system?, tools?}",
  detect(raw: RawRecord): boolean {
    if (Array.isArray(raw.conversations)) return !("chosen" in raw) && !("rejected" in raw);
    if (!Array.isArray(raw.messages)) return false;
    const first: unknown = raw.messages[0];
    return isObject(first) && "from" in first;
  },
  toCanonical(raw: RawRecord, context: AdapterContext): SftRecord {
    const { messages, fieldOf } = readShareGptTurns(raw, context, SHAREGPT_TOOL_SYNTAX);
    checkTurnOrder(messages, SFT_ORDER, context, fieldOf);
    const tools = readTools(raw.tools, context);
    checkCallsAgainstTools(messages, tools, context, (index) => `${fieldOf(index)}.value`);
    return {
      id: readId(raw, context, tools !== undefined ? { messages, tools } : { messages }),
      messages,
      ...(tools !== undefined ? { tools } : {}),
      ...readSourceAndMeta(raw, [turnsKey(raw), "system", "tools"], context),
    };
  },
  fromCanonical(record: SftRecord): RawRecord {
    let body: RawRecord;
    try {
      body = toShareGptTurns(record.messages);
    } catch (error) {
      throw new ToolkitError(`record ${record.id}: ${(error as Error).message}`);
    }
    if (record.tools !== undefined) body.tools = toLlamaFactoryTools(record.tools);
    return withEnvelope(record.id, body, record);
  },
};
