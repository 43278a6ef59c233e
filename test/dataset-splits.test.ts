/**
 * Splits when reading a dataset dir: `convert <dir>` reads train only (with a note naming the splits it
 * left out), `--split test|all` choose, `stats` lists every split separately, and a Hub-layout dir
 * without manifest.json gets its splits from the file names.
 */
import { cp, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { convertFile } from "../src/io/adapters/convert-file.js";
import { SFT_COLUMNS } from "../src/io/column-spec.js";
import { writeDatasetDir } from "../src/io/dataset-dir.js";
import { chooseSplit, datasetDirSplits } from "../src/io/dataset-splits.js";
import { runCli } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const tmp = makeTmpDir("lw-splits-");
const dir = join(tmp, "mix");
const bare = join(tmp, "hub-layout");

function rows(split: string, n: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: `${split}-${i}`,
    messages: [
      { role: "user", content: `Question ${i} of the ${split} split?` },
      { role: "assistant", content: `Answer ${i} (${split}).` },
    ],
    source: "unit",
    meta: null,
  }));
}

async function ids(file: string): Promise<string[]> {
  return (await readFile(file, "utf8")).trim().split("\n").map((line) => (JSON.parse(line) as { id: string }).id);
}

beforeAll(async () => {
  await writeDatasetDir({ dir, columns: SFT_COLUMNS, splits: { train: rows("train", 12), test: rows("test", 3) } });
  await mkdir(bare);
  await cp(join(dir, "data"), join(bare, "data"), { recursive: true }); // no manifest, no card
});

describe("dataset dir splits", () => {
  it("finds the splits from the manifest, or from Hub file names without one (train first)", async () => {
    for (const d of [dir, bare]) {
      const splits = await datasetDirSplits(d);
      expect(splits.map((s) => s.name)).toEqual(["train", "test"]);
      expect(splits[1]!.files.map((f) => f.slice(d.length))).toEqual(["/data/test-00000-of-00001.parquet"]);
    }
    expect(await chooseSplit(dir, undefined)).toMatchObject({ split: "train", note: expect.stringMatching(/left out: test/) });
    await expect(chooseSplit(dir, "validation")).rejects.toThrow(/has no split "validation" \(it has train, test/);
    await expect(chooseSplit(join(tmp, "x.jsonl"), "train")).rejects.toThrow(/--split applies to a dataset dir/);
  });

  it("convert <dir> reads train only by default and says so; --split test and --split all choose", async () => {
    const out = join(tmp, "train.jsonl");
    const result = await runCli(["convert", dir, out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/note: reading split train of mix; left out: test/);
    const train = await ids(out);
    expect(train).toHaveLength(12);
    expect(train.every((id) => id.startsWith("train-"))).toBe(true);

    await convertFile({ input: bare, output: join(tmp, "test.jsonl"), split: "test" });
    expect(await ids(join(tmp, "test.jsonl"))).toEqual(["test-0", "test-1", "test-2"]);
    await convertFile({ input: dir, output: join(tmp, "all.jsonl"), split: "all" });
    const all = await ids(join(tmp, "all.jsonl"));
    expect(all).toHaveLength(15);
    expect(all[0]).toBe("train-0"); // train first, not test first as path order would give
  });

  it("stats lists every split separately (--json), or the one named", async () => {
    const both = await runCli(["stats", dir, "--tokenizer", "none", "--json"]);
    expect(both.code).toBe(0);
    const parsed = JSON.parse(both.stdout) as { splits: Record<string, { stats: { rows: number } }> };
    expect(Object.keys(parsed.splits)).toEqual(["train", "test"]);
    expect(parsed.splits.train!.stats.rows).toBe(12);
    expect(parsed.splits.test!.stats.rows).toBe(3);
    const one = await runCli(["stats", dir, "--tokenizer", "none", "--split", "test", "--json"]);
    expect(JSON.parse(one.stdout)).toMatchObject({ split: "test", stats: { rows: 3 } });
  });
});
