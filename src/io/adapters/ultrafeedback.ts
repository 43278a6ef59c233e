/**
 * @module io/adapters/ultrafeedback — UltraFeedback-binarized style rows (and TRL's implicit-prompt
 * layout): `chosen` and `rejected` are whole conversations that share the prompt turns and differ in the
 * final assistant turn; `prompt` (a string) and `prompt_id` are optional. The `messages` column that
 * UltraFeedback also ships is a copy of `chosen` and is not kept.
 */
import type { Message } from "../../schemas/message.js";
import type { PreferencePair } from "../../schemas/preference-pair.js";
import type { AdapterContext, PreferenceAdapter, RawRecord } from "./format.js";
import { buildPair, pairExtras } from "./preference-fields.js";
import { startsWithPrompt } from "./trl.js";
import { checkTurnOrder, fail, MESSAGE_SYNTAX, optionalString, PROMPT_ORDER, readTurns, SFT_ORDER, turnField, withEnvelope } from "./turns.js";

function readConversation(raw: RawRecord, key: "chosen" | "rejected", context: AdapterContext): Message[] {
  if (raw[key] === undefined) fail(context, key, `missing field "${key}"`);
  const messages = readTurns(raw[key], MESSAGE_SYNTAX, context, key);
  checkTurnOrder(messages, SFT_ORDER, context, turnField(key), key);
  return messages;
}

export const ultrafeedbackAdapter: PreferenceAdapter = {
  name: "ultrafeedback",
  kind: "preference",
  description: "UltraFeedback-binarized / TRL implicit prompt: {prompt?, chosen: [...all turns], rejected: [...all turns]}",
  detect(raw: RawRecord): boolean {
    return ("chosen" in raw || "rejected" in raw) && startsWithPrompt(raw.chosen);
  },
  toCanonical(raw: RawRecord, context: AdapterContext): PreferencePair {
    const chosenAll = readConversation(raw, "chosen", context);
    const rejectedAll = readConversation(raw, "rejected", context);
    const prompt = chosenAll.slice(0, -1);
    const rejectedPrompt = rejectedAll.slice(0, -1);
    const differs =
      prompt.length !== rejectedPrompt.length
        ? Math.min(prompt.length, rejectedPrompt.length)
        : prompt.findIndex((m, i) => m.role !== rejectedPrompt[i]!.role || m.content !== rejectedPrompt[i]!.content);
    if (differs !== -1) fail(context, `rejected.${differs}`, `chosen and rejected do not share the prompt turns (they differ at turn ${differs})`);
    checkTurnOrder(prompt, PROMPT_ORDER, context, turnField("chosen"), "prompt");
    const promptText = optionalString(raw, "prompt", context);
    const lastUser = prompt[prompt.length - 1]!.content;
    if (promptText !== undefined && promptText !== lastUser && !prompt.some((m) => m.role === "user" && m.content === promptText)) {
      fail(context, "prompt", "does not match any user turn of chosen/rejected");
    }
    const idKey = raw.prompt_id !== undefined && raw.id === undefined ? "prompt_id" : "id";
    return buildPair(raw, context, { prompt, chosen: chosenAll.slice(-1), rejected: rejectedAll.slice(-1) }, { known: ["prompt_id", "messages"], idKey });
  },
  fromCanonical(pair: PreferencePair): RawRecord {
    const copy = (messages: Message[]) => messages.map(({ role, content }) => ({ role, content }));
    const lastUser = [...pair.prompt].reverse().find((m) => m.role === "user");
    return withEnvelope(
      pair.id,
      {
        prompt: lastUser?.content ?? "",
        chosen: copy([...pair.prompt, ...pair.chosen]),
        rejected: copy([...pair.prompt, ...pair.rejected]),
        ...pairExtras(pair),
      },
      pair,
    );
  },
};
