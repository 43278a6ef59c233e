/**
 * @module io/adapters/sharegpt — ShareGPT / LLaMA-Factory `sharegpt` rows: `conversations` of
 * `{from, value}` turns (human/gpt/system, also user/assistant) and an optional `system` field.
 *
 * Tool turns (`function_call`, `observation`, `tool`) have no canonical equivalent: such rows are reported
 * as unconvertible with that reason (or skipped and counted), never dropped silently. A `tools` field
 * (tool definitions) on rows without tool turns is kept in `meta.tools` and written back out.
 */
import type { Message } from "../../schemas/message.js";
import type { SftRecord } from "../../schemas/sft-record.js";
import { ToolkitError } from "../../errors.js";
import type { AdapterContext, RawRecord, SftAdapter } from "./format.js";
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
  turnField,
  withEnvelope,
} from "./turns.js";

const FROM: Record<Message["role"], string> = { system: "system", user: "human", assistant: "gpt" };

/** The key holding the turns: `conversations`, or `messages` when its turns use `from`/`value`. */
function turnsKey(raw: RawRecord): "conversations" | "messages" {
  if (raw.conversations === undefined && Array.isArray(raw.messages)) return "messages";
  return "conversations";
}

/**
 * Reads the turns of a ShareGPT row (shared with the preference adapter): the `system` field, if set,
 * becomes a leading system turn. Returns the turns and a field namer that maps back to the raw row.
 */
export function readShareGptTurns(raw: RawRecord, context: AdapterContext): { messages: Message[]; fieldOf: (index: number) => string } {
  const key = turnsKey(raw);
  const turns = readTurns(raw[key], SHAREGPT_SYNTAX, context, key);
  const system = optionalString(raw, "system", context);
  const rawField = turnField(key);
  if (system === undefined || system === "") return { messages: turns, fieldOf: rawField };
  if (turns[0]?.role === "system") fail(context, "system", `both a "system" field and a system turn in ${key}; give one`);
  return {
    messages: [{ role: "system", content: system }, ...turns],
    fieldOf: (index) => (index === 0 ? "system" : rawField(index < 0 ? -1 : index - 1)),
  };
}

/** Canonical turns → ShareGPT `{system?, conversations}` (a leading system turn goes to the `system` field). */
export function toShareGptTurns(messages: readonly Message[]): { system?: string; conversations: { from: string; value: string }[] } {
  const [first, ...rest] = messages;
  const system = first?.role === "system" ? first.content : undefined;
  const turns = system === undefined ? messages : rest;
  if (turns.some((m) => m.role === "system")) {
    throw new ToolkitError("a system turn after the first turn cannot be written as ShareGPT");
  }
  return {
    ...(system !== undefined ? { system } : {}),
    conversations: turns.map((m) => ({ from: FROM[m.role], value: m.content })),
  };
}

export const sharegptAdapter: SftAdapter = {
  name: "sharegpt",
  kind: "sft",
  description: "ShareGPT / LLaMA-Factory: {conversations: [{from: human|gpt, value}], system?, tools?}",
  detect(raw: RawRecord): boolean {
    if (Array.isArray(raw.conversations)) return !("chosen" in raw) && !("rejected" in raw);
    if (!Array.isArray(raw.messages)) return false;
    const first: unknown = raw.messages[0];
    return isObject(first) && "from" in first;
  },
  toCanonical(raw: RawRecord, context: AdapterContext): SftRecord {
    const { messages, fieldOf } = readShareGptTurns(raw, context);
    checkTurnOrder(messages, SFT_ORDER, context, fieldOf);
    const tools = raw.tools;
    const extra = tools === undefined || tools === null || tools === "" ? {} : { tools };
    return {
      id: readId(raw, context, { messages }),
      messages,
      ...readSourceAndMeta(raw, [turnsKey(raw), "system", "tools"], context, extra),
    };
  },
  fromCanonical(record: SftRecord): RawRecord {
    const { tools, ...meta } = record.meta ?? {};
    let body: RawRecord;
    try {
      body = toShareGptTurns(record.messages);
    } catch (error) {
      throw new ToolkitError(`record ${record.id}: ${(error as Error).message}`);
    }
    if (tools !== undefined) body.tools = tools;
    return withEnvelope(record.id, body, { source: record.source, meta });
  },
};
