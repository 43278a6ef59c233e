/**
 * Every mixture recipe in recipes/ validates; bad recipes fail naming the file and the field, from the
 * library and from the CLI (exit code 2).
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadRecipe } from "../src/mix/load-recipe.js";
import { mixDatasets } from "../src/mix/mix-datasets.js";
import { runCli } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const tmp = makeTmpDir("lw-mix-recipes-");

/** Mixture recipes: every recipes/*.yaml except the DPO pair policies (recipes/dpo-*.yaml). */
const mixRecipes = readdirSync("recipes").filter((name) => /\.ya?ml$/.test(name) && !name.startsWith("dpo-"));

describe("recipes/", () => {
  it("holds the quickstart, paper, filtered and token-budget mixtures", () => {
    expect(mixRecipes).toEqual(
      expect.arrayContaining(["quickstart.yaml", "longwriter-paper.yaml", "longwriter-6k-filtered.yaml", "longwriter-token-budget.yaml"]),
    );
  });

  it.each(mixRecipes)("%s validates against the MixRecipe schema", async (name) => {
    const { recipe, hash } = await loadRecipe({ path: join("recipes", name) });
    expect(recipe.kind).toBe("mix");
    expect(recipe.sources.length).toBeGreaterThan(0);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

function writeRecipe(name: string, text: string): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "data.jsonl"),
    `${JSON.stringify({
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: "hello" },
      ],
    })}\n`,
  );
  const file = join(dir, "recipe.yaml");
  writeFileSync(file, text);
  return file;
}

describe("bad recipes name the file and the field", () => {
  it.each([
    ["unknown field", "name: x\nsources:\n  - path: data.jsonl\n    wieght: 2\n", /recipe\.yaml: field sources\.0\.wieght: unknown field \(line 4\)/],
    [
      "count and fraction both",
      "name: x\nsources:\n  - path: data.jsonl\n  - path: data.jsonl\n    source: b\n    amount: { count: 5, fraction: 0.5 }\n",
      /recipe\.yaml: field sources\.1\.amount: use either count or fraction, not both/,
    ],
    ["no location", "name: x\nsources:\n  - amount: { count: 1 }\n", /field sources\.0: name a location: path \(local\) or repo \(Hub\)/],
    ["bad quantity", "name: x\nsources:\n  - path: data.jsonl\n    amount: { words: 60 million }\n", /field sources\.0\.amount\.words: .*k, M or B suffix/],
    ["YAML syntax", "name: x\nsources: [\n", /recipe\.yaml: invalid YAML/],
    [
      "duplicate tag",
      "name: x\nsources:\n  - { path: data.jsonl, source: a }\n  - { path: data.jsonl, source: a }\n",
      /field sources\.1\.source: tag "a" is already used/,
    ],
  ])("%s", async (label, text, message) => {
    const file = writeRecipe(label.replace(/\W+/g, "-"), text);
    await expect(loadRecipe({ path: file })).rejects.toThrow(message);
  });

  it("a missing source file", async () => {
    const file = writeRecipe("missing", "name: x\nsources:\n  - path: nope.jsonl\n");
    await expect(mixDatasets({ recipePath: file, outDir: join(tmp, "out-missing") })).rejects.toThrow(
      /recipe\.yaml: field sources\.0\.path: file not found: .*nope\.jsonl/,
    );
    const glob = writeRecipe("missing-glob", "name: x\nsources:\n  - path: 'parts/*.jsonl'\n");
    await expect(mixDatasets({ recipePath: glob, outDir: join(tmp, "out-glob") })).rejects.toThrow(
      /field sources\.0\.path: no file matches "parts\/\*\.jsonl"/,
    );
  });

  it("an unknown or non-SFT format", async () => {
    const file = writeRecipe("format", "name: x\nsources:\n  - { path: data.jsonl, format: sharegtp }\n");
    await expect(mixDatasets({ recipePath: file, outDir: join(tmp, "out-format") })).rejects.toThrow(
      /recipe\.yaml: field sources\.0\.format: unknown format "sharegtp"/,
    );
    const pref = writeRecipe("format-pref", "name: x\nsources:\n  - { path: data.jsonl, format: trl }\n");
    await expect(mixDatasets({ recipePath: pref, outDir: join(tmp, "out-format2") })).rejects.toThrow(
      /field sources\.0\.format: format "trl" holds preference records/,
    );
  });

  it("a Hub source without a pinned revision under --frozen (before anything is fetched)", async () => {
    const file = writeRecipe("frozen", "name: x\nsources:\n  - { repo: THUDM/LongWriter-6k, files: [long.jsonl] }\n");
    let pulls = 0;
    const pullDataset = async () => {
      pulls++;
      throw new Error("must not be called");
    };
    await expect(mixDatasets({ recipePath: file, outDir: join(tmp, "out-frozen"), frozen: true, pullDataset })).rejects.toThrow(
      /recipe\.yaml: field sources\.0\.revision: --frozen needs every Hub source pinned to a commit/,
    );
    const branch = writeRecipe("frozen-branch", "name: x\nsources:\n  - { repo: a/b, revision: main, files: [x.jsonl] }\n");
    await expect(mixDatasets({ recipePath: branch, outDir: join(tmp, "out-frozen2"), frozen: true, pullDataset })).rejects.toThrow(
      /field sources\.0\.revision: --frozen needs a 40-hex commit sha, not "main"/,
    );
    expect(pulls).toBe(0);
  });

  it("the CLI prints one line naming file and field and exits 2", async () => {
    const file = writeRecipe("cli", "name: x\nsources:\n  - path: data.jsonl\n    amount: { count: 5, fraction: 0.5 }\n");
    const result = await runCli(["mix", file, "--out", join(tmp, "cli-out")]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^error: .*recipe\.yaml: field sources\.0\.amount: use either count or fraction, not both \(line 4\)$/);
  });
});
