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
 * `roles:not-alternating`, `roles:empty-turn`, `roles:too-many-turns`, `roles:system-turn`).
 */
export function checkRoles(messages: readonly Message[], options: RoleCheckOptions = {}): string | null {
  const { lastIsAssistant = true, alternate = true, nonEmpty = true, maxTurns, noSystem = false } = options;
  const hasSystem = messages.some((m) => m.role === "system");
  if (noSystem && hasSystem) return "roles:system-turn";
  if (nonEmpty && messages.some((m) => m.content.trim() === "")) return "roles:empty-turn";
  if (lastIsAssistant && messages.at(-1)?.role !== "assistant") return "roles:last-not-assistant";
  if (alternate) {
    const start = messages[0]?.role === "system" ? 1 : 0;
    for (let i = start; i < messages.length; i++) {
      const expected = (i - start) % 2 === 0 ? "user" : "assistant";
      if (messages[i]!.role !== expected) return "roles:not-alternating";
    }
  }
  if (maxTurns !== undefined && messages.filter((m) => m.role !== "system").length > maxTurns) return "roles:too-many-turns";
  return null;
}
