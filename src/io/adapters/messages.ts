/**
 * @module io/adapters/messages — OpenAI / LongWriter-6k style `{messages: [{role, content}]}` rows, which
 * is also the canonical SftRecord layout. Content may be a string or a list of typed text parts.
 */
import type { Message } from "../../schemas/message.js";
import type { SftRecord } from "../../schemas/sft-record.js";
import type { AdapterContext, RawRecord, SftAdapter } from "./format.js";
import { checkTurnOrder, isObject, MESSAGE_SYNTAX, readId, readSourceAndMeta, readTurns, SFT_ORDER, turnField, withEnvelope } from "./turns.js";

export const messagesAdapter: SftAdapter = {
  name: "messages",
  kind: "sft",
  description: "OpenAI / LongWriter-6k: {messages: [{role, content}]} (content may be a list of text parts)",
  detect(raw: RawRecord): boolean {
    if (!Array.isArray(raw.messages)) return false;
    const first: unknown = raw.messages[0];
    return !isObject(first) || !("from" in first);
  },
  toCanonical(raw: RawRecord, context: AdapterContext): SftRecord {
    const messages: Message[] = readTurns(raw.messages, MESSAGE_SYNTAX, context, "messages");
    checkTurnOrder(messages, SFT_ORDER, context, turnField("messages"));
    return { id: readId(raw, context, { messages }), messages, ...readSourceAndMeta(raw, ["messages"], context) };
  },
  fromCanonical(record: SftRecord): RawRecord {
    return withEnvelope(record.id, { messages: record.messages.map(({ role, content }) => ({ role, content })) }, record);
  },
};
