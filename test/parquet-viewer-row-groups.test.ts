/**
 * Row groups the Hub's dataset viewer serves as they are: ~150 MB of long rows, converted from JSONL (row
 * groups of one ~43 MB input range each) or written from objects with `writeParquet` (cut by text bytes),
 * give row groups of at most 100,000,000 uncompressed bytes as DuckDB reads the footer, and not far below
 * what each path aims at.
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { convertFile } from "../src/io/adapters/convert-file.js";
import { sftColumns } from "../src/io/column-spec.js";
import { defaultRangeBytes } from "../src/io/jsonl-to-parquet.js";
import { readJsonl } from "../src/io/jsonl.js";
import { DEFAULT_ROW_GROUP_BYTES, VIEWER_ROW_GROUP_BYTES, writeParquet } from "../src/io/parquet-write.js";
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
    const answer = block.slice(i % 1000, (i % 1000) + size);
    const line = `${JSON.stringify({
      messages: [
        { role: "user", content: `Write ${size} characters, please (row ${i}).` },
        { role: "assistant", content: answer },
      ],
    })}\n`;
    bytes += line.length;
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return bytes;
}

/** Row-group sizes and row counts of `file` as DuckDB reads its footer; checks DuckDB reads every row. */
async function rowGroupSizes(file: string, rows: number): Promise<number[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const con = await instance.connect();
  try {
    const groups = (
      await con.runAndReadAll(
        `SELECT row_group_id, any_value(row_group_bytes) AS bytes, any_value(row_group_num_rows) AS num_rows FROM parquet_metadata('${file}') GROUP BY row_group_id ORDER BY row_group_id`,
      )
    ).getRowObjects();
    expect(groups.reduce((a, g) => a + Number(g.num_rows), 0)).toBe(rows);
    const count = (await con.runAndReadAll(`SELECT count(*) AS n FROM read_parquet('${file}')`)).getRowObjects()[0]!.n;
    expect(Number(count)).toBe(rows);
    return groups.map((g) => Number(g.bytes));
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

describe("row groups sized for the dataset viewer", () => {
  it("~150 MB of long rows → every row group ≤ 100,000,000 uncompressed bytes (DuckDB parquet_metadata)", async () => {
    const input = join(dir, "long.jsonl");
    const bytes = await writeLongRows(input);
    expect(bytes).toBeGreaterThan(140_000_000);

    // convert: one row group per input range, each nearly the range's size.
    const converted = join(dir, "long.parquet");
    const result = await convertFile({ input, output: converted });
    expect(result.written).toBe(1500);
    const rangeGroups = await rowGroupSizes(converted, 1500);
    expect(rangeGroups.length).toBeGreaterThanOrEqual(3);
    for (const size of rangeGroups) expect(size).toBeLessThanOrEqual(VIEWER_ROW_GROUP_BYTES);
    for (const size of rangeGroups.slice(0, -1)) expect(size).toBeGreaterThan(0.9 * defaultRangeBytes(DEFAULT_ROW_GROUP_BYTES));

    // writeParquet from objects: cut by text bytes, close to the bound.
    const written = join(dir, "written.parquet");
    const rows = async function* () {
      for await (const { line, record } of readJsonl<Record<string, unknown>>(input)) yield { ...record, id: `row-${line}` };
    };
    await writeParquet({ file: written, columns: sftColumns(false), rows: rows() });
    const textGroups = await rowGroupSizes(written, 1500);
    expect(textGroups.length).toBeGreaterThanOrEqual(2);
    for (const size of textGroups) expect(size).toBeLessThanOrEqual(VIEWER_ROW_GROUP_BYTES);
    for (const size of textGroups.slice(0, -1)) expect(size).toBeGreaterThan(0.9 * DEFAULT_ROW_GROUP_BYTES);
  }, 120_000);
});
