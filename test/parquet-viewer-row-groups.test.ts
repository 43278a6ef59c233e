/**
 * Row groups the Hub's dataset viewer serves as they are: converting ~150 MB of long rows with the
 * defaults gives row groups of at most 100,000,000 uncompressed bytes, as DuckDB reads the footer.
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { convertFile } from "../src/io/adapters/convert-file.js";
import { VIEWER_ROW_GROUP_BYTES } from "../src/io/parquet-write.js";
import { noiseText } from "./helpers/hub-dataset.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const dir = makeTmpDir("lw-viewer-rg-");

/** ~150 MB of JSONL: 1,500 conversations with ~100 KB answers (sizes vary so the cut points do too). */
async function writeLongRows(file: string): Promise<number> {
  const out = createWriteStream(file);
  const block = noiseText("long-rows", 200_000);
  let bytes = 0;
  for (let i = 0; i < 1500; i++) {
    const size = 60_000 + ((i * 7919) % 80_000);
    const answer = block.slice(i % 1000, i % 1000 + size);
    const line = `${JSON.stringify({ messages: [{ role: "user", content: `Write ${size} characters, please (row ${i}).` }, { role: "assistant", content: answer }] })}\n`;
    bytes += line.length;
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return bytes;
}

describe("row groups sized for the dataset viewer", () => {
  it("~150 MB of long rows → every row group ≤ 100,000,000 uncompressed bytes (DuckDB parquet_metadata)", async () => {
    const input = join(dir, "long.jsonl");
    const output = join(dir, "long.parquet");
    const bytes = await writeLongRows(input);
    expect(bytes).toBeGreaterThan(140_000_000);
    const result = await convertFile({ input, output });
    expect(result.written).toBe(1500);

    const instance = await DuckDBInstance.create(":memory:");
    const con = await instance.connect();
    try {
      const groups = (
        await con.runAndReadAll(
          `SELECT row_group_id, any_value(row_group_bytes) AS bytes, any_value(row_group_num_rows) AS num_rows FROM parquet_metadata('${output}') GROUP BY row_group_id ORDER BY row_group_id`,
        )
      ).getRowObjects();
      const sizes = groups.map((g) => Number(g.bytes));
      expect(sizes.length).toBeGreaterThanOrEqual(2);
      for (const size of sizes) expect(size).toBeLessThanOrEqual(VIEWER_ROW_GROUP_BYTES);
      // Cut close to the bound, not far below it: all but the last group are over 90% full.
      for (const size of sizes.slice(0, -1)) expect(size).toBeGreaterThan(0.9 * VIEWER_ROW_GROUP_BYTES);
      expect(groups.reduce((a, g) => a + Number(g.num_rows), 0)).toBe(1500);
      const count = (await con.runAndReadAll(`SELECT count(*) AS n FROM read_parquet('${output}')`)).getRowObjects()[0]!.n;
      expect(Number(count)).toBe(1500);
    } finally {
      con.closeSync();
      instance.closeSync();
    }
  }, 120_000);
});
