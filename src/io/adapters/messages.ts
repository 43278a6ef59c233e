/**
 * @module io/adapters/messages — OpenAI / LongWriter-6k / TRL style `{messages: [{role, content}]}` rows,
 * which is also the canonical SftRecord layout. Content may be a string or a list of typed text parts.
 * Tool-calling rows carry `tool_calls` on assistant turns, `tool` turns (with `tool_call_id` / `name`
 * when known) and a `tools` field, written as JSON text (see `tool-definitions`).
 */
import type { Message } from "../../schemas/message.js";
import type { SftRecord } from "../../schemas/sft-record.js";
import type { AdapterContext, RawRecord, SftAdapter } from "./format.js";
import { checkCallsAgainstTools, readTools } from "./tool-definitions.js";
import { checkTurnOrder, isObject, MESSAGE_TOOL_SYNTAX, readId, readSourceAndMeta, readTurns, SFT_ORDER, turnField, withEnvelope } from "./turns.js";

/** A turn as written: role and content, then the tool fields it has (in OpenAI's order). */
export function writeMessage(message: Message): RawRecord {
  const { role, content, tool_calls, tool_call_id, name } = message;
  const out: RawRecord = { role, content };
  if (tool_calls !== undefined)
    out.tool_calls = tool_calls.map((call) => ({
      ...(call.id !== undefined ? { id: call.id } : {}),
      type: call.type,
      function: { name: call.function.name, arguments: call.function.arguments },
    }));
  if (tool_call_id !== undefined) out.tool_call_id = tool_call_id;
  if (name !== undefined) out.name = name;
  return out;
}

export const messagesAdapter: SftAdapter = {
  name: "messages",
  kind: "sft",
  description: "OpenAI / LongWriter-6k / TRL: {messages: [{role, content, tool_calls?}], tools?} (content may be a list of text parts)",
  detect(raw: RawRecord): boolean {
    if (!Array.isArray(raw.messages)) return false;
    const first: unknown = raw.messages[0];
    return !isObject(first) || !("from" in first);
  },
  toCanonical(raw: RawRecord, context: AdapterContext): SftRecord {
    const messages: Message[] = readTurns(raw.messages, MESSAGE_TOOL_SYNTAX, context, "messages");
    const fieldOf = turnField("messages");
    checkTurnOrder(messages, SFT_ORDER, context, fieldOf);
    const tools = readTools(raw.tools, context);
    checkCallsAgainstTools(messages, tools, context, fieldOf);
    return {
      id: readId(raw, context, tools !== undefined ? { messages, tools } : { messages }),
      messages,
      ...(tools !== undefined ? { tools } : {}),
      ...readSourceAndMeta(raw, ["messages", "tools"], context),
    };
  },
  fromCanonical(record: SftRecord): RawRecord {
    const body: RawRecord = { messages: record.messages.map(writeMessage) };
    if (record.tools !== undefined) body.tools = record.tools;
    return withEnvelope(record.id, body, record);
  },
};
