import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { publishableRecipe } from "./publishable-recipe.js";

describe("publishableRecipe", () => {
  it("cuts local paths to file names in place, keeping comments and layout; Hub files stay", () => {
    const text = [
      "# my recipe",
      "name: x",
      "sources:",
      "  - source: a",
      "    path: /home/me/data/long.jsonl   # absolute",
      "  - { source: b, path: '../shared/*.json' }",
      "  - { source: c, path: C:\\data\\x.json }",
      "  - { source: hub, repo: THUDM/LongWriter-6k, files: [data/train.jsonl] }",
      "decontaminate:",
      "  files: [/srv/eval/longbench_write.jsonl]",
      "",
    ].join("\n");
    const out = publishableRecipe(text);
    expect(out).not.toMatch(/\/home|\.\.\/|C:|\/srv/);
    expect(out).toContain("    path: long.jsonl   # absolute\n");
    expect(out).toContain("# my recipe\n");
    expect(parse(out)).toEqual({
      name: "x",
      sources: [
        { source: "a", path: "long.jsonl" },
        { source: "b", path: "*.json" },
        { source: "c", path: "x.json" },
        { source: "hub", repo: "THUDM/LongWriter-6k", files: ["data/train.jsonl"] },
      ],
      decontaminate: { files: ["longbench_write.jsonl"] },
    });
  });

  it("copies a recipe without directories byte for byte, and keeps a JSON recipe JSON", () => {
    const clean = "name: x\nsources:\n  - path: a.jsonl   # beside the recipe\n";
    expect(publishableRecipe(clean)).toBe(clean);
    const json = JSON.stringify({ name: "x", sources: [{ path: "/abs/a.jsonl" }] }, null, 2);
    expect(JSON.parse(publishableRecipe(json))).toEqual({ name: "x", sources: [{ path: "a.jsonl" }] });
  });
});
