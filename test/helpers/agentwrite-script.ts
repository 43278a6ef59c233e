/**
 * @module test/helpers/agentwrite-script — a deterministic AgentWrite "model" for the test server:
 * plan requests get a LongWriter-format plan (2–4 sections), write requests get a labelled paragraph.
 * Every answer is a pure function of the request, so a resumed run must reproduce an uninterrupted one.
 * Optional faults hit a seeded, order-independent 20 % (decided by request key and how often it was seen).
 */
import { stableHash } from "../../src/text/record-id.js";
import type { Respond, ServerFault } from "./openai-server.js";

const WORDS = "river stone lantern harbour meadow signal winter copper orchard thread compass ember tide valley".split(" ");

function wordsFrom(seed: string, count: number): string {
  const hash = stableHash(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) out.push(WORDS[parseInt(hash.slice((i * 2) % 60, ((i * 2) % 60) + 2), 16) % WORDS.length]!);
  return `${out.join(" ")}.`;
}

export interface ScriptOptions {
  /** Words per written section. @default 30 */
  sectionWords?: number;
  /** Share of requests faulted (0 = none). @default 0 */
  faultRate?: number;
  /** Seed for the fault choice. @default 7 */
  seed?: number;
}

export const FAULTS: ServerFault[] = [
  { fault: "429", retryAfterMs: "5" },
  { fault: "500", retryAfterMs: "5" },
  { fault: "truncate", text: "FAULT-TEXT cut off" },
  { fault: "reset", text: "FAULT-TEXT reset" },
  { fault: "garbage" },
  { fault: "empty" },
  { fault: "length", text: "FAULT-TEXT length" },
  { fault: "content_filter" },
];

/** Builds the `respond` function. Prompts containing "[prose-first]" get prose instead of a plan on the first ask. */
export function agentWriteScript(options: ScriptOptions = {}): Respond {
  const { sectionWords = 30, faultRate = 0, seed = 7 } = options;
  const seen = new Map<string, number>();
  return (body, ctx) => {
    const key = ctx.request.key;
    const times = seen.get(key) ?? 0;
    seen.set(key, times + 1);
    if (faultRate > 0) {
      const roll = parseInt(stableHash({ seed, key, times }).slice(0, 8), 16) / 0xffffffff;
      if (roll < faultRate) return FAULTS[Math.floor((roll / faultRate) * FAULTS.length) % FAULTS.length]!;
    }
    const prompt = body.messages[0]!.content;
    if (prompt.startsWith("You are planning")) {
      if (prompt.includes("[prose-first]") && body.messages.length === 1) return "I'd be glad to help you write this! Let me think about it.";
      const count = 2 + (parseInt(stableHash(prompt).slice(0, 2), 16) % 3);
      const lines = Array.from(
        { length: count },
        (_, i) => `Paragraph ${i + 1} - Main Point: ${wordsFrom(`${prompt}#point${i}`, 4)} - Word Count: ${sectionWords} words`,
      );
      return `Here is the plan:\n\n${lines.join("\n")}`;
    }
    const step = /The section to write now:\n(Section (\d+) \|[^\n]*)/.exec(prompt);
    if (!step) return { fault: "status", status: 400, body: "unexpected prompt" };
    return `Paragraph ${step[2]}: ${wordsFrom(prompt, sectionWords)}`;
  };
}
