import { describe, expect, it } from "vitest";
import { pythonReplace, pythonStrip, replaceInOrder } from "./python-text.js";

describe("python-text", () => {
  it("strips Python's whitespace set, not JavaScript's", () => {
    expect(pythonStrip("\x1c\x85 \t a b \u3000\n\x1f")).toBe("a b");
    expect(pythonStrip("\ufeffx\ufeff")).toBe("\ufeffx\ufeff"); // JS trim() would remove the BOM
    expect(pythonStrip("   ")).toBe("");
  });

  it("replaces every non-overlapping occurrence, with no replacement patterns", () => {
    expect(pythonReplace("a\n\n\nb\n\n\n\nc", "\n\n", "\n")).toBe("a\n\nb\n\nc");
    expect(pythonReplace("x $INST$ y $INST$", "$INST$", "$& $1 $$")).toBe("x $& $1 $$ y $& $1 $$");
  });

  it("chains replacements like Python's str.replace(...).replace(...)", () => {
    expect(replaceInOrder("<$INST$|$RESPONSE$>", [["$INST$", "say $RESPONSE$"], ["$RESPONSE$", "R"]])).toBe("<say R|R>");
  });
});
