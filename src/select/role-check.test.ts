import { describe, expect, it } from "vitest";
import type { Message } from "../schemas/message.js";
import { checkRoles } from "./role-check.js";

const m = (role: Message["role"], content = "x"): Message => ({ role, content });

const call: Message = { role: "assistant", content: "", tool_calls: [{ type: "function", function: { name: "f", arguments: "{}" } }] };

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
    // tool calls sit in the assistant's place; the calling turn may be empty
    [[m("user"), call, m("tool"), m("assistant")], {}, null],
    [[m("user"), call, m("tool"), call, m("tool"), m("tool"), m("assistant"), m("user"), m("assistant")], {}, null],
    [[m("user"), call], {}, null],
    [[m("user"), m("tool"), m("assistant")], {}, "roles:not-alternating"],
    [[m("user"), call, m("assistant")], {}, "roles:not-alternating"],
    [[m("user"), call, m("tool")], {}, "roles:last-not-assistant"],
    [[m("user"), call, m("tool"), m("assistant")], { maxTurns: 2 }, "roles:too-many-turns"],
  ] as const)("%j %j → %s", (messages, options, expected) => {
    expect(checkRoles(messages as unknown as Message[], options)).toBe(expected);
  });
});
