import { describe, expect, it } from "vitest";
import type { Message } from "../schemas/message.js";
import { checkRoles } from "./role-check.js";

const m = (role: Message["role"], content = "x"): Message => ({ role, content });

describe("checkRoles", () => {
  it.each([
    [[m("user"), m("assistant")], {}, null],
    [[m("system"), m("user"), m("assistant")], {}, null],
    [[m("system"), m("user"), m("assistant")], { noSystem: true }, "roles:system-turn"],
    [[m("user"), m("assistant"), m("user")], {}, "roles:last-not-assistant"],
    [[m("user"), m("user"), m("assistant")], {}, "roles:not-alternating"],
    [[m("assistant"), m("user"), m("assistant")], {}, "roles:not-alternating"],
    [[m("user"), m("user"), m("assistant")], { alternate: false }, null],
    [[m("user", "  "), m("assistant")], {}, "roles:empty-turn"],
    [[m("user"), m("assistant"), m("user"), m("assistant")], { maxTurns: 2 }, "roles:too-many-turns"],
  ] as const)("%j %j → %s", (messages, options, expected) => {
    expect(checkRoles(messages as unknown as Message[], options)).toBe(expected);
  });
});
