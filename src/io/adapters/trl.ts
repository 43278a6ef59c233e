/**
 * @module io/adapters/trl — TRL preference rows with an explicit prompt, which is also the canonical
 * PreferencePair layout: `prompt`, `chosen`, `rejected` as message lists (conversational) or strings
 * (standard; a string prompt is one user turn, a string completion one assistant turn), plus the optional
 * `score_chosen`, `score_rejected`, `signals`, `reason`.
 */
import type { Message } from "../../schemas/message.js";
import type { PreferencePair } from "../../schemas/preference-pair.js";
import type { AdapterContext, PreferenceAdapter, RawRecord } from "./format.js";
import { buildPair } from "./preference-fields.js";
import { checkTurnOrder, COMPLETION_ORDER, fail, isObject, MESSAGE_SYNTAX, PROMPT_ORDER, readTurns, turnField, type TurnOrder, withEnvelope } from "./turns.js";

function readSide(raw: RawRecord, key: "prompt" | "chosen" | "rejected", order: TurnOrder, context: AdapterContext): Message[] {
  const value = raw[key];
  if (value === undefined) fail(context, key, `missing field "${key}"`);
  const messages: Message[] = typeof value === "string" ? [{ role: order.first, content: value }] : readTurns(value, MESSAGE_SYNTAX, context, key);
  checkTurnOrder(messages, order, context, typeof value === "string" ? () => key : turnField(key), key);
  return messages;
}

/** True when `value` is a message list that starts with the prompt (a user or system turn). */
export function startsWithPrompt(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  const first: unknown = value[0];
  return isObject(first) && (first.role === "user" || first.role === "system");
}

export const trlAdapter: PreferenceAdapter = {
  name: "trl",
  kind: "preference",
  description: "TRL explicit prompt (canonical pair): {prompt, chosen, rejected} as message lists or strings, scores optional",
  detect(raw: RawRecord): boolean {
    return "prompt" in raw && ("chosen" in raw || "rejected" in raw) && !startsWithPrompt(raw.chosen) && !Array.isArray(raw.conversations);
  },
  toCanonical(raw: RawRecord, context: AdapterContext): PreferencePair {
    const prompt = readSide(raw, "prompt", PROMPT_ORDER, context);
    const chosen = readSide(raw, "chosen", COMPLETION_ORDER, context);
    const rejected = readSide(raw, "rejected", COMPLETION_ORDER, context);
    return buildPair(raw, context, { prompt, chosen, rejected }, { known: [] });
  },
  fromCanonical(pair: PreferencePair): RawRecord {
    const copy = (messages: Message[]) => messages.map(({ role, content }) => ({ role, content }));
    return withEnvelope(
      pair.id,
      {
        prompt: copy(pair.prompt),
        chosen: copy(pair.chosen),
        rejected: copy(pair.rejected),
        score_chosen: pair.score_chosen,
        score_rejected: pair.score_rejected,
        ...(pair.signals !== undefined ? { signals: pair.signals } : {}),
        ...(pair.reason !== undefined ? { reason: pair.reason } : {}),
      },
      pair,
    );
  },
};
