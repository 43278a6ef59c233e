/** @module select/role-check — conversation-shape checks for SFT rows, each failure a named reason. */
import type { Message } from "../schemas/message.js";

export interface RoleCheckOptions {
  /** @default true */
  lastIsAssistant?: boolean | undefined;
  /** @default true */
  alternate?: boolean | undefined;
  /** @default true */
  nonEmpty?: boolean | undefined;
  maxTurns?: number | undefined;
  /** @default false */
  noSystem?: boolean | undefined;
}

/**
 * Returns null when the conversation passes, else the drop reason (`roles:last-not-assistant`,
 * `roles:not-alternating`, `roles:empty-turn`, `roles:too-many-turns`, `roles:system-turn`). Tool calls
 * fit in the assistant's place: an assistant turn with `tool_calls` (its text may be empty), then the
 * `tool` results, then the assistant again. `maxTurns` counts user and assistant turns, calls included.
 */
export function checkRoles(messages: readonly Message[], options: RoleCheckOptions = {}): string | null {
  const { lastIsAssistant = true, alternate = true, nonEmpty = true, maxTurns, noSystem = false } = options;
  const hasSystem = messages.some((m) => m.role === "system");
  if (noSystem && hasSystem) return "roles:system-turn";
  if (nonEmpty && messages.some((m) => m.tool_calls === undefined && m.role !== "tool" && m.content.trim() === "")) return "roles:empty-turn";
  if (lastIsAssistant && messages.at(-1)?.role !== "assistant") return "roles:last-not-assistant";
  if (alternate && !alternates(messages)) return "roles:not-alternating";
  if (maxTurns !== undefined && messages.filter((m) => m.role !== "system" && m.role !== "tool").length > maxTurns) return "roles:too-many-turns";
  return null;
}

/** [system] user, assistant, user, ... where an assistant's tool calls and their results sit in its place. */
function alternates(messages: readonly Message[]): boolean {
  let expected: "user" | "assistant" = "user";
  for (let i = messages[0]?.role === "system" ? 1 : 0; i < messages.length; i++) {
    const message = messages[i]!;
    const previous = messages[i - 1];
    if (message.role === "tool") {
      if (previous?.tool_calls === undefined && previous?.role !== "tool") return false;
      continue;
    }
    if (previous?.tool_calls !== undefined) return false; // a call must be answered first
    if (message.role !== expected) return false;
    if (message.tool_calls === undefined) expected = expected === "user" ? "assistant" : "user";
  }
  return true;
}
