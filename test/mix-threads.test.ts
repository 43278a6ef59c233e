/**
 * The mix's first pass reads JSONL sources in byte ranges, in reader threads when the input is big. The
 * output must not depend on it: the same dataset dir (every file, byte for byte) with one reader thread,
 * two, in this thread, and through the old record-by-record path (the same lines in `.json` files, which
 * the range reader leaves to `readRecords`), on inputs with invalid rows, filters, exact and near dedup,
 * a caller's filter, tool-call rows, CJK text, CRLF, a BOM, an empty file, a file of one row without a
 * final newline, and a file that stops being UTF-8.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readRawRecords } from "../src/io/read-records.js";
import { mixDatasets, type MixDatasetsOptions } from "../src/mix/mix-datasets.js";
import type { MixRecipe } from "../src/schemas/mix-recipe.js";
import { filterDrop } from "../src/select/filter.js";
import { writeMessyJsonl, type MessyFile } from "./helpers/messy-jsonl.js";
import { writeAlpacaZhParquet, writeEmptyParquet, writeGlaiveParquet, writeMessyChatParquet } from "./helpers/messy-parquet.js";
import { filesOf } from "./helpers/files-of.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const tmp = makeTmpDir("lw-mix-threads-");

function recipeFor(files: MessyFile[], near: boolean): MixRecipe {
  const path = (name: string): string => files.find((f) => f.name.startsWith(`${name}.`))!.path;
  return {
    name: "threads",
    seed: 3,
    sources: [
      { source: "messy", path: path("messy"), filters: { minWords: 25 } },
      { source: "glaive", path: path("glaive"), amount: { count: 150 } },
      { source: "zh", path: path("zh"), format: "alpaca" },
      { source: "empty", path: path("empty") },
      { source: "tiny", path: path("tiny") },
      { source: "bad-utf8", path: path("bad-utf8") },
    ],
    filters: { roles: true },
    dedup: { exact: true, ...(near ? { near: { threshold: 0.7 } } : {}) },
    splits: { test: 0.1 },
  } as MixRecipe;
}

describe("mix: the first pass in reader threads", () => {
  for (const near of [false, true]) {
    it(`gives the same dataset dir with 1 or 2 reader threads, in this thread, and on the old path${near ? " (near dedup on)" : ""}`, async () => {
      const base = join(tmp, near ? "near" : "exact");
      mkdirSync(join(base, "jsonl"), { recursive: true });
      mkdirSync(join(base, "json"), { recursive: true });
      const jsonl = writeMessyJsonl(join(base, "jsonl"));
      const json = writeMessyJsonl(join(base, "json"), ".json");
      // A caller's filter runs in this thread after the recipe's (rows parsed back from their bytes).
      const filter: MixDatasetsOptions["filter"] = (record) => (record.messages.some((m) => m.content.includes("Paris")) ? filterDrop("mentions_paris") : true);
      const run = async (name: string, files: MessyFile[], options: Partial<MixDatasetsOptions>) => {
        const outDir = join(base, name);
        const result = await mixDatasets({ recipe: recipeFor(files, near), outDir, baseDir: base, filter, ...options });
        return { files: filesOf(outDir), manifest: result.manifest };
      };
      const one = await run("one", jsonl, { threads: 1, readRangeBytes: near ? 50_000 : 700 });
      const two = await run("two", jsonl, { threads: 2, readRangeBytes: 700 });
      const here = await run("here", jsonl, {});
      const old = await run("old", json, { threads: 2 });

      expect(Object.keys(one.files)).toContain("data/train-00000-of-00001.parquet");
      expect(two.files).toEqual(one.files);
      expect(here.files).toEqual(one.files);
      // The old path names its files *.json in the manifest and card; the data is the same bytes.
      for (const name of Object.keys(one.files).filter((n) => n.startsWith("data/"))) expect(old.files[name], name).toEqual(one.files[name]);
      const jsonlNames = (text: string): string => text.replace(/json\/([a-z0-9-]+)\.json"/g, 'jsonl/$1.jsonl"');
      expect(jsonlNames(JSON.stringify({ ...old.manifest, recipe: null }))).toBe(JSON.stringify({ ...one.manifest, recipe: null }));

      // The accounting is right, not only the same: invalid rows with their lines, drops by reason.
      const bySource = Object.fromEntries(one.manifest.sources.map((s) => [s.source, s]));
      const messy = jsonl.find((f) => f.name === "messy.jsonl")!;
      const messyLines = bySource.messy!.invalidExamples.map((e) => e.line);
      expect(messyLines).toEqual(expect.arrayContaining(messy.badLines.slice(0, 5)));
      expect(bySource.messy!.dropped.invalid).toBeGreaterThanOrEqual(messy.badLines.length);
      expect(bySource.messy!.dropped["duplicate:exact"]).toBeGreaterThan(0);
      expect(bySource.messy!.dropped["words<25"]).toBeGreaterThan(0);
      expect(one.manifest.sources.reduce((n, s) => n + (s.dropped.mentions_paris ?? 0), 0)).toBeGreaterThan(0);
      expect(bySource.glaive!.dropped.invalid).toBe(2);
      expect(bySource["bad-utf8"]).toMatchObject({ input: 3, dropped: { invalid: 1 } });
      expect(bySource["bad-utf8"]!.invalidExamples[0]).toMatchObject({ line: 3, reason: expect.stringContaining("UTF-8") });
      expect(bySource.empty!.input).toBe(0);
      expect(bySource.tiny!.input).toBe(1);
      expect(bySource.zh!.input).toBe(300);
      if (near) expect(Object.values(one.manifest.sources).some((s) => (s.dropped["duplicate:near"] ?? 0) > 0)).toBe(true);
    });
  }
});

describe("mix: Parquet sources in reader threads", () => {
  it("gives the same dataset dir with 1 or 2 reader threads, in this thread, from dataset dirs, and record by record", async () => {
    const base = join(tmp, "parquet");
    const writers = { chat: writeMessyChatParquet, zh: writeAlpacaZhParquet, glaive: writeGlaiveParquet, empty: writeEmptyParquet };
    // Each file three ways: a Parquet file, the one data file of a dataset dir (both read in ranges), and its
    // raw rows as JSON Lines in a .json file (read record by record through readRecords: the old path).
    for (const [name, write] of Object.entries(writers)) {
      mkdirSync(join(base, "dirs", name, "data"), { recursive: true });
      await write(join(base, `${name}.parquet`));
      await write(join(base, "dirs", name, "data", `${name}.parquet`));
      const lines: string[] = [];
      for await (const { record } of readRawRecords(join(base, `${name}.parquet`))) lines.push(JSON.stringify(record));
      writeFileSync(join(base, `${name}.json`), lines.map((line) => `${line}\n`).join(""));
    }
    type Layout = "file" | "dir" | "json";
    const pathOf = (name: string, layout: Layout): string => (layout === "dir" ? `dirs/${name}` : `${name}.${layout === "file" ? "parquet" : "json"}`);
    const recipe = (layout: Layout): MixRecipe =>
      ({
        name: "parquet-threads",
        seed: 5,
        sources: [
          { source: "chat", path: pathOf("chat", layout), filters: { minWords: 20 } },
          { source: "zh", path: pathOf("zh", layout), amount: { count: 120 } },
          { source: "glaive", path: pathOf("glaive", layout) },
          { source: "empty", path: pathOf("empty", layout) },
        ],
        filters: { roles: true },
        dedup: { exact: true, near: { threshold: 0.8 } },
        splits: { test: 0.1 },
      }) as MixRecipe;
    const run = async (name: string, layout: Layout, options: Partial<MixDatasetsOptions>) => {
      const outDir = join(base, name);
      const result = await mixDatasets({ recipe: recipe(layout), outDir, baseDir: base, ...options });
      return { files: filesOf(outDir), manifest: result.manifest };
    };
    const one = await run("one", "file", { threads: 1, readRangeBytes: 700 });
    const two = await run("two", "file", { threads: 2, readRangeBytes: 3000 });
    const here = await run("here", "file", {});
    const dirs = await run("from-dirs", "dir", { threads: 2, readRangeBytes: 3000 });
    const old = await run("old", "json", { threads: 2 });

    expect(Object.keys(one.files)).toContain("data/train-00000-of-00001.parquet");
    expect(two.files).toEqual(one.files);
    expect(here.files).toEqual(one.files);
    // The same accounting; only the file names differ (a dataset dir names its data file; the old path .json).
    const sources = (manifest: typeof one.manifest) =>
      manifest.sources.map(({ location: _location, formats, invalidExamples, ...rest }) => ({
        ...rest,
        formats: Object.values(formats),
        invalidExamples: invalidExamples.map(({ file: _file, ...example }) => example),
      }));
    for (const other of [dirs, old]) {
      for (const name of Object.keys(one.files).filter((n) => n.startsWith("data/"))) expect(other.files[name], name).toEqual(one.files[name]);
      expect(sources(other.manifest)).toEqual(sources(one.manifest));
    }

    const bySource = Object.fromEntries(one.manifest.sources.map((s) => [s.source, s]));
    expect(bySource.chat!.dropped.invalid).toBeGreaterThan(5);
    expect(bySource.chat!.dropped["duplicate:exact"]).toBeGreaterThan(0);
    expect(bySource.zh!.dropped.invalid).toBeGreaterThan(5);
    expect(bySource.glaive!.input).toBe(300);
    expect(bySource.empty!.input).toBe(0);
  });
});
