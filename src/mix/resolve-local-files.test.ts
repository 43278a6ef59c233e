import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import { displayPath, isGlob, resolveLocalFiles } from "./resolve-local-files.js";

describe("resolveLocalFiles", () => {
  const dir = makeTmpDir("lw-glob-");
  for (const file of ["a/1.jsonl", "a/2.jsonl", "a/b/3.jsonl", "a/b/4.json", "a/.hidden.jsonl", "c.parquet"]) {
    mkdirSync(join(dir, file, ".."), { recursive: true });
    writeFileSync(join(dir, file), "");
  }

  it("returns a plain path as is, resolved against the recipe's folder", async () => {
    expect(await resolveLocalFiles({ pattern: "c.parquet", baseDir: dir })).toEqual([join(dir, "c.parquet")]);
    expect(isGlob("data/*.jsonl")).toBe(true);
    expect(isGlob("data/x.jsonl")).toBe(false);
  });

  it("expands *, ** and {a,b} in sorted order, skipping hidden files", async () => {
    expect(await resolveLocalFiles({ pattern: "a/*.jsonl", baseDir: dir })).toEqual([join(dir, "a/1.jsonl"), join(dir, "a/2.jsonl")]);
    expect(await resolveLocalFiles({ pattern: "a/**/*.jsonl", baseDir: dir })).toEqual(["a/1.jsonl", "a/2.jsonl", "a/b/3.jsonl"].map((f) => join(dir, f)));
    expect(await resolveLocalFiles({ pattern: "a/b/*.{json,jsonl}", baseDir: dir })).toEqual(["a/b/3.jsonl", "a/b/4.json"].map((f) => join(dir, f)));
    expect(await resolveLocalFiles({ pattern: "nothing/*.jsonl", baseDir: dir })).toEqual([]);
  });

  it("shows paths relative to the recipe, also outside its folder", () => {
    expect(displayPath(join(dir, "a/1.jsonl"), dir)).toBe("a/1.jsonl");
    expect(displayPath(join(dir, "a/1.jsonl"), join(dir, "c"))).toBe("../a/1.jsonl");
  });
});
