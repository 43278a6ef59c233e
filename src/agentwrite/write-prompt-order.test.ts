/** The write prompts keep their stable parts first, so providers' automatic prefix caching applies. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadAgentWritePrompts } from "./prompts.js";

const positions = (text: string, marks: string[]): number[] => marks.map((mark) => text.indexOf(mark));

describe("write prompt order (prefix caching)", () => {
  it("the toolkit's write template puts instruction, plan and text so far before the step", async () => {
    const { write } = await loadAgentWritePrompts();
    const at = positions(write, ["{{instruction}}", "{{plan}}", "{{text}}", "{{step}}"]);
    expect(at.every((p) => p >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it("upstream's write.txt does too", () => {
    const write = readFileSync("../shared/data/longwriter-upstream/write.txt", "utf8");
    const at = positions(write, ["$INST$", "$PLAN$", "$TEXT$", "$STEP$"]);
    expect(at.every((p) => p >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });
});
