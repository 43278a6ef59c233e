/** runStats: the library form of `longwriter stats` — per split of a dataset dir, skipped rows, histogram. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/errors.js";
import { SFT_COLUMNS } from "../src/io/column-spec.js";
import { writeDatasetDir } from "../src/io/dataset-dir.js";
import { readRecords } from "../src/io/read-records.js";
import { runStats } from "../src/stats/run-stats.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const tmp = makeTmpDir("lw-run-stats-");
const row = (id: string, answer: string) => ({
  id,
  messages: [
    { role: "user", content: "Write 20 words about rivers." },
    { role: "assistant", content: answer },
  ],
  source: "t",
  meta: null,
});

describe("runStats", () => {
  it("describes a file of 250k rows (more lengths than a spread into push() can take)", async () => {
    const file = join(tmp, "many.jsonl");
    const line = `${JSON.stringify({
      messages: [
        { role: "user", content: "Write 3 words." },
        { role: "assistant", content: "one two three" },
      ],
    })}\n`;
    writeFileSync(file, line.repeat(250_000));
    const { splits } = await runStats({ input: file });
    expect(splits[0]!.stats.rows).toBe(250_000);
    expect(splits[0]!.stats.words?.max).toBe(3);
  }, 60_000);

  it("describes each split of a dataset dir separately, or the one named", async () => {
    const dir = join(tmp, "ds");
    await writeDatasetDir({
      dir,
      columns: SFT_COLUMNS,
      splits: { train: [row("a", "one two three"), row("b", "one two three four five")], test: [row("c", "one")] },
    });
    const all = await runStats({ input: dir });
    expect(all.splits.map((s) => [s.split, s.stats.rows])).toEqual([
      ["train", 2],
      ["test", 1],
    ]);
    expect(all.splits[0]!.stats.words?.max).toBe(5);
    const test = await runStats({ input: dir, split: "test" });
    expect(test.splits.map((s) => [s.split, s.stats.rows])).toEqual([["test", 1]]);
    await expect(runStats({ input: dir, split: "dev" })).rejects.toThrow(/has no split "dev"/);
  });

  it("lists rows it could not read under skipInvalid, and writes the histogram", async () => {
    const file = join(tmp, "rows.jsonl");
    const good = readFileSync("examples/data/long-writing.jsonl", "utf8").trim().split("\n");
    writeFileSync(file, `${[good[0], "{not json", ...good.slice(1)].join("\n")}\n`);
    const plot = join(tmp, "lengths.svg");
    const result = await runStats({ input: file, skipInvalid: true, plot });
    expect(result.splits).toHaveLength(1);
    expect(result.splits[0]!.split).toBeUndefined();
    expect(result.splits[0]!.issues.map((i) => i.line)).toEqual([2]);
    let rows = 0;
    for await (const _ of readRecords("examples/data/long-writing.jsonl")) rows += 1;
    expect(result.splits[0]!.stats.rows).toBe(rows);
    expect(readFileSync(plot, "utf8")).toMatch(/^<svg[^>]*>[\s\S]*<\/svg>\n?$/);
    await expect(runStats({ input: file, plotUnit: "tokens", plot })).rejects.toBeInstanceOf(ConfigError);
  });
});
