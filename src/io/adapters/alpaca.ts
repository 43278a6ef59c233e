/**
 * @module io/adapters/alpaca — Alpaca / LLaMA-Factory `alpaca` rows: `instruction`, `input`, `output`,
 * optional `system` and `history` (earlier `[user, assistant]` pairs). As LLaMA-Factory does, the user
 * turn is `instruction` and `input` joined by a newline (just `instruction` when `input` is empty), so
 * writing back yields the joined text in `instruction` and an empty `input`.
 */
import type { Message } from "../../schemas/message.js";
import type { SftRecord } from "../../schemas/sft-record.js";
import { ToolkitError } from "../../errors.js";
import { describeJson } from "../jsonl.js";
import type { AdapterContext, RawRecord, SftAdapter } from "./format.js";
import { hasToolContent } from "./tool-definitions.js";
import { checkTurnOrder, fail, optionalString, readId, readSourceAndMeta, requireString, SFT_ORDER, withEnvelope } from "./turns.js";

function readHistory(raw: RawRecord, context: AdapterContext): Message[] {
  const history = raw.history;
  if (history === undefined || history === null) return [];
  if (!Array.isArray(history)) fail(context, "history", `expected an array of [user, assistant] pairs, got ${describeJson(history)}`);
  const messages: Message[] = [];
  history.forEach((pair: unknown, index) => {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string" || typeof pair[1] !== "string") {
      fail(context, `history.${index}`, `expected a [user, assistant] pair of strings, got ${JSON.stringify(pair)?.slice(0, 80)}`);
    }
    messages.push({ role: "user", content: pair[0] }, { role: "assistant", content: pair[1] });
  });
  return messages;
}

export const alpacaAdapter: SftAdapter = {
  name: "alpaca",
  kind: "sft",
  description: "Alpaca / LLaMA-Factory: {instruction, input, output, system?, history?}",
  detect(raw: RawRecord): boolean {
    return typeof raw.instruction === "string" && !("chosen" in raw);
  },
  toCanonical(raw: RawRecord, context: AdapterContext): SftRecord {
    const instruction = requireString(raw, "instruction", context);
    const input = optionalString(raw, "input", context) ?? "";
    const output = requireString(raw, "output", context);
    const system = optionalString(raw, "system", context);
    const history = readHistory(raw, context);
    const messages: Message[] = [
      ...(system ? [{ role: "system" as const, content: system }] : []),
      ...history,
      { role: "user", content: input === "" ? instruction : `${instruction}\n${input}` },
      { role: "assistant", content: output },
    ];
    const offset = system ? 1 : 0;
    checkTurnOrder(messages, SFT_ORDER, context, (index) => {
      if (index === messages.length - 1) return "output";
      if (index === messages.length - 2) return "instruction";
      if (index < offset) return "system";
      return `history.${Math.floor((index - offset) / 2)}`;
    });
    return {
      id: readId(raw, context, { messages }),
      messages,
      ...readSourceAndMeta(raw, ["instruction", "input", "output", "system", "history"], context),
    };
  },
  fromCanonical(record: SftRecord): RawRecord {
    const messages = record.messages;
    if (hasToolContent(record)) throw new ToolkitError(`record ${record.id}: alpaca has no tool calls; write it as messages or sharegpt`);
    const system = messages[0]?.role === "system" ? messages[0].content : undefined;
    const turns = system === undefined ? messages : messages.slice(1);
    const ok = turns.length >= 2 && turns.length % 2 === 0 && turns.every((m, i) => m.role === (i % 2 === 0 ? "user" : "assistant"));
    if (!ok) {
      throw new ToolkitError(`record ${record.id}: alpaca needs alternating user/assistant turns ending with assistant`);
    }
    const history: [string, string][] = [];
    for (let i = 0; i + 2 < turns.length; i += 2) history.push([turns[i]!.content, turns[i + 1]!.content]);
    const body: RawRecord = {
      instruction: turns[turns.length - 2]!.content,
      input: "",
      output: turns[turns.length - 1]!.content,
    };
    if (system !== undefined) body.system = system;
    if (history.length > 0) body.history = history;
    return withEnvelope(record.id, body, record);
  },
};
