/**
 * `mix --format jsonl|json`: the quickstart mixture written as one JSON Lines / JSON array file per split
 * in the Hub's layout (data/{split}-00000-of-00001.jsonl), with the same rows as the Parquet dir, a card
 * whose configs find the files, and read back by convert/readRecords and accepted by publish's checks.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scanDatasetDir } from "../src/hub/scan-dataset-dir.js";
import { readDatasetDir } from "../src/io/dataset-dir.js";
import { readRecords } from "../src/io/read-records.js";
import { mixDatasets } from "../src/mix/mix-datasets.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const tmp = makeTmpDir("lw-mix-format-");

async function ids(dir: string, split: string): Promise<string[]> {
  const out: string[] = [];
  for await (const { record } of readRecords(dir, { kind: "sft", split })) out.push(record.id);
  return out;
}

describe("mix --format", () => {
  it("jsonl and json dirs hold the Parquet dir's rows, one file per split, and pass publish's checks", async () => {
    const parquet = join(tmp, "parquet");
    await mixDatasets({ recipePath: "recipes/quickstart.yaml", outDir: parquet });
    for (const format of ["jsonl", "json"] as const) {
      const dir = join(tmp, format);
      const { dataset } = await mixDatasets({ recipePath: "recipes/quickstart.yaml", outDir: dir, format });
      expect(dataset.files.map((f) => f.path)).toEqual([`data/train-00000-of-00001.${format}`, `data/test-00000-of-00001.${format}`]);
      expect(dataset.dataFormat).toBe(format);
      for (const split of ["train", "test"]) expect(await ids(dir, split)).toEqual(await ids(parquet, split));
      const text = readFileSync(join(dir, "data", `train-00000-of-00001.${format}`), "utf8");
      const rows = format === "json" ? (JSON.parse(text) as Array<Record<string, unknown>>) : text.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(Object.keys(rows[0]!)).toEqual(["messages", "id", "source", "meta"]);
      const opened = await readDatasetDir(dir, { verify: true });
      let count = 0;
      for await (const _ of opened.rows("test")) count += 1;
      expect(count).toBe(dataset.splits.test!.rows);
      const scanned = await scanDatasetDir({ dir });
      expect(scanned.configs[0]!.splits.map((s) => [s.split, s.files])).toEqual([
        ["train", [`data/train-00000-of-00001.${format}`]],
        ["test", [`data/test-00000-of-00001.${format}`]],
      ]);
    }
  }, 120_000);
});
