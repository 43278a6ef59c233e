/** @module select/last-turn — the last turn of a role in a conversation (the answer, its prompt). */
import type { Message, Role } from "../schemas/message.js";

/** Content of the last message with `role`, or undefined when there is none. */
export function lastTurn(messages: readonly Message[], role: Role): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === role) return messages[i]!.content;
  return undefined;
}

/** The final assistant answer and the user turn that asked for it (the last user turn before it). */
export function promptAndAnswer(messages: readonly Message[]): { prompt: string | undefined; answer: string | undefined } {
  let answerIndex = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]!.role === "assistant") {
      answerIndex = i;
      break;
    }
  }
  const before = answerIndex < 0 ? messages : messages.slice(0, answerIndex);
  return { prompt: lastTurn(before, "user"), answer: answerIndex < 0 ? undefined : messages[answerIndex]!.content };
}
