/**
 * @module io/adapters/sharegpt-preference — LLaMA-Factory preference rows (`ranking: true`, sharegpt
 * formatting): `conversations` holds the prompt turns (ending with the user), `chosen` and `rejected`
 * are one `{from: "gpt", value}` turn each; an optional `system` field.
 */
import type { Message } from "../../schemas/message.js";
import type { PreferencePair } from "../../schemas/preference-pair.js";
import { ToolkitError } from "../../errors.js";
import type { AdapterContext, PreferenceAdapter, RawRecord } from "./format.js";
import { buildPair, pairExtras } from "./preference-fields.js";
import { readShareGptTurns, toShareGptTurns } from "./sharegpt.js";
import { checkTurnOrder, COMPLETION_ORDER, fail, PROMPT_ORDER, readTurn, SHAREGPT_SYNTAX, withEnvelope } from "./turns.js";

function readAnswer(raw: RawRecord, key: "chosen" | "rejected", context: AdapterContext): Message[] {
  if (raw[key] === undefined) fail(context, key, `missing field "${key}"`);
  const turn = readTurn(raw[key], SHAREGPT_SYNTAX, context, key);
  const messages = [turn];
  checkTurnOrder(messages, COMPLETION_ORDER, context, () => key, key);
  return messages;
}

export const sharegptPreferenceAdapter: PreferenceAdapter = {
  name: "sharegpt-preference",
  kind: "preference",
  description: "LLaMA-Factory preference: {conversations: [...prompt], chosen: {from, value}, rejected: {from, value}, system?}",
  detect(raw: RawRecord): boolean {
    return Array.isArray(raw.conversations) && ("chosen" in raw || "rejected" in raw);
  },
  toCanonical(raw: RawRecord, context: AdapterContext): PreferencePair {
    const { messages: prompt, fieldOf } = readShareGptTurns(raw, context);
    checkTurnOrder(prompt, PROMPT_ORDER, context, fieldOf, "prompt");
    const chosen = readAnswer(raw, "chosen", context);
    const rejected = readAnswer(raw, "rejected", context);
    return buildPair(raw, context, { prompt, chosen, rejected }, { known: ["conversations", "system"] });
  },
  fromCanonical(pair: PreferencePair): RawRecord {
    const one = (side: "chosen" | "rejected") => {
      const turns = pair[side];
      if (turns.length !== 1 || turns[0]!.role !== "assistant") {
        throw new ToolkitError(`record ${pair.id}: ${side} has ${turns.length} turns; sharegpt-preference holds exactly one assistant turn`);
      }
      return { from: "gpt", value: turns[0]!.content };
    };
    let prompt;
    try {
      prompt = toShareGptTurns(pair.prompt);
    } catch (error) {
      throw new ToolkitError(`record ${pair.id}: ${(error as Error).message}`);
    }
    return withEnvelope(pair.id, { ...prompt, chosen: one("chosen"), rejected: one("rejected"), ...pairExtras(pair) }, pair);
  },
};
