import { describe, expect, it } from "vitest";
import { stripSectionLabel } from "./strip-section-label.js";

describe("stripSectionLabel", () => {
  it.each([
    ["Paragraph 3\n\nThe rain had not stopped.", "The rain had not stopped."],
    ["Paragraph 3: The rain had not stopped.", "The rain had not stopped."],
    ["**Paragraph 3:**\nThe rain had not stopped.", "The rain had not stopped."],
    ["**Paragraph 3:** The rain had not stopped.", "The rain had not stopped."],
    ["**Paragraph 3: The Storm**\n\nThe rain had not stopped.", "**The Storm**\n\nThe rain had not stopped."],
    ["### Paragraph 3: The Storm\nThe rain.", "### The Storm\nThe rain."],
    ["Section 3 - The rain.", "The rain."],
    ["Section 3 | 400 words | The storm\nThe rain.", "The rain."],
    ["Paragraph 3 (400 words)\nThe rain.", "The rain."],
    ["段落3\n雨一直在下。", "雨一直在下。"],
    ["段落3：雨一直在下。", "雨一直在下。"],
    ["第三段：雨一直在下。", "雨一直在下。"],
    ["第3段\n雨一直在下。", "雨一直在下。"],
    ["\n\n  Paragraph 12.\nText.", "Text."],
  ])("strips %j", (input, expected) => {
    expect(stripSectionLabel(input)).toBe(expected);
  });

  it.each([
    "The paragraph 3 of the contract says otherwise.",
    "Part of me wanted to stay.",
    "Sections of the wall had fallen.",
    "第三世界国家的发展",
    "## The Storm\nRain.",
  ])("leaves text without a label alone: %j", (input) => {
    expect(stripSectionLabel(input)).toBe(input.trim());
  });

  it("only touches the first line", () => {
    expect(stripSectionLabel("Intro.\nParagraph 2: later")).toBe("Intro.\nParagraph 2: later");
  });
});
