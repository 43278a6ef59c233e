import { readFileSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { parquetMetadata, parquetReadObjects, readOffsetIndex, type FileMetaData } from "hyparquet";
import { ByteWriter } from "hyparquet-writer";
import { writePageHeader } from "hyparquet-writer/src/datapage.js";
import { writeRleBitPackedHybrid } from "hyparquet-writer/src/encoding.js";
import { writeMetadata } from "hyparquet-writer/src/metadata.js";
import { writePlain } from "hyparquet-writer/src/plain.js";
import { serializeTCompactProtocol } from "hyparquet-writer/src/thrift.js";
import { describe, expect, it } from "vitest";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import { InputError } from "../errors.js";
import { streamRowGroup, type PageSlicing } from "./parquet-group-stream.js";
import { readParquet } from "./parquet-read.js";
import { writeParquet } from "./parquet-write.js";
import type { ColumnSpec } from "./column-spec.js";

const dir = makeTmpDir("group-stream-");

/** Every row of every group through streamRowGroup, and through hyparquet's whole-group reader (the reference). */
async function bothWays(file: string, columns?: string[], slicing?: PageSlicing): Promise<{ streamed: unknown[]; reference: unknown[] }> {
  const bytes = readFileSync(file);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const metadata = parquetMetadata(buffer);
  const handle = await open(file, "r");
  const streamed: unknown[] = [];
  const reference: unknown[] = [];
  try {
    let rowStart = 0;
    for (const [group, rowGroup] of metadata.row_groups.entries()) {
      for await (const batch of streamRowGroup({ handle, file, metadata, group, columns, slicing })) streamed.push(...batch);
      const rowEnd = rowStart + Number(rowGroup.num_rows);
      reference.push(...(await parquetReadObjects({ file: buffer, metadata, rowStart, rowEnd, ...(columns ? { columns } : {}) })));
      rowStart = rowEnd;
    }
  } finally {
    await handle.close();
  }
  return { streamed, reference };
}

/** Dremel levels of a `tags: list<string?>?` value (max repetition 1, max definition 3). */
function levelsOf(rows: Array<Array<string | null> | null>): { rep: number[]; def: number[]; values: string[] } {
  const rep: number[] = [];
  const def: number[] = [];
  const values: string[] = [];
  for (const row of rows) {
    if (row === null) {
      rep.push(0);
      def.push(0);
    } else if (row.length === 0) {
      rep.push(0);
      def.push(1);
    } else {
      row.forEach((item, i) => {
        rep.push(i === 0 ? 0 : 1);
        def.push(item === null ? 2 : 3);
        if (item !== null) values.push(item);
      });
    }
  }
  return { rep, def, values };
}

/** Levels in a v1 data page: 4-byte length, then the RLE / bit-packed hybrid. */
function writeLevels(writer: ByteWriter, levels: number[], bitWidth: number): void {
  const body = new ByteWriter();
  writeRleBitPackedHybrid(body, levels, bitWidth);
  writer.appendUint32(body.offset);
  writer.appendBytes(body.getBytes());
}

/**
 * A Parquet file as pyarrow writes one by default, made by hand: one row group, `id` (required int32) and
 * `tags` (list<string>) as uncompressed v1 data pages, the tags pages cut at the given level positions,
 * most of them inside a row (v1 pages may split a row; hyparquet-writer never does).
 */
function writeV1File(file: string, rows: Array<Array<string | null> | null>, cuts: number[], idsPerPage: number, statisticsBytes = 0): void {
  const out = new ByteWriter();
  out.appendBytes(new TextEncoder().encode("PAR1"));
  const page = (levels: { rep?: number[]; def?: number[] }, type: "INT32" | "BYTE_ARRAY", values: unknown[], count: number): void => {
    const body = new ByteWriter();
    if (levels.rep) writeLevels(body, levels.rep, 1);
    if (levels.def) writeLevels(body, levels.def, 2);
    writePlain(body, values as never, type, undefined);
    if (statisticsBytes > 0) {
      // A header carrying page statistics (min/max) of this many bytes each, as some writers put there.
      const bound = (fill: number) => new Uint8Array(statisticsBytes).fill(fill);
      serializeTCompactProtocol(out, {
        field_1: 0, // DATA_PAGE
        field_2: body.offset,
        field_3: body.offset,
        field_5: { field_1: count, field_2: 0, field_3: 3, field_4: 3, field_5: { field_5: bound(0x7a), field_6: bound(0x61) } },
      });
    } else {
      writePageHeader(out, {
        type: "DATA_PAGE",
        uncompressed_page_size: body.offset,
        compressed_page_size: body.offset,
        data_page_header: { num_values: count, encoding: "PLAIN", definition_level_encoding: "RLE", repetition_level_encoding: "RLE" },
      });
    }
    out.appendBytes(body.getBytes());
  };
  const idStart = out.offset;
  for (let i = 0; i < rows.length; i += idsPerPage) {
    const ids = Array.from({ length: Math.min(idsPerPage, rows.length - i) }, (_, k) => i + k);
    page({}, "INT32", ids, ids.length);
  }
  const tagsStart = out.offset;
  const { rep, def, values } = levelsOf(rows);
  let valueAt = 0;
  const bounds = [0, ...cuts, rep.length];
  for (let p = 0; p + 1 < bounds.length; p++) {
    const [from, to] = [bounds[p]!, bounds[p + 1]!];
    const present = def.slice(from, to).filter((d) => d === 3).length;
    page({ rep: rep.slice(from, to), def: def.slice(from, to) }, "BYTE_ARRAY", values.slice(valueAt, valueAt + present), to - from);
    valueAt += present;
  }
  const end = out.offset;
  const chunk = (path: string[], type: "INT32" | "BYTE_ARRAY", start: number, stop: number, count: number) => ({
    file_offset: BigInt(start),
    meta_data: {
      type,
      encodings: ["PLAIN", "RLE"],
      path_in_schema: path,
      codec: "UNCOMPRESSED",
      num_values: BigInt(count),
      total_uncompressed_size: BigInt(stop - start),
      total_compressed_size: BigInt(stop - start),
      data_page_offset: BigInt(start),
    },
  });
  const metadata = {
    version: 1,
    schema: [
      { name: "schema", num_children: 2 },
      { name: "id", type: "INT32", repetition_type: "REQUIRED" },
      { name: "tags", repetition_type: "OPTIONAL", num_children: 1, converted_type: "LIST" },
      { name: "list", repetition_type: "REPEATED", num_children: 1 },
      { name: "element", type: "BYTE_ARRAY", repetition_type: "OPTIONAL", converted_type: "UTF8" },
    ],
    num_rows: BigInt(rows.length),
    row_groups: [
      {
        columns: [chunk(["id"], "INT32", idStart, tagsStart, rows.length), chunk(["tags", "list", "element"], "BYTE_ARRAY", tagsStart, end, rep.length)],
        total_byte_size: BigInt(end - idStart),
        num_rows: BigInt(rows.length),
      },
    ],
    created_by: "longwriter-toolkit test (v1 pages cut inside rows)",
  } as unknown as FileMetaData;
  const footerStart = out.offset;
  writeMetadata(out, metadata);
  out.appendUint32(out.offset - footerStart);
  out.appendBytes(new TextEncoder().encode("PAR1"));
  writeFileSync(file, out.getBytes());
}

describe("streamRowGroup", () => {
  it("reassembles rows that continue across v1 pages, as hyparquet and DuckDB read them", async () => {
    const rows: Array<Array<string | null> | null> = [
      ["a", "b", "c"],
      null,
      [],
      Array.from({ length: 30 }, (_, i) => (i % 7 === 3 ? null : `long-${i}`)), // spans several pages
      ["x"],
      [null],
      ["p", "q", "r", "s", "t", "u"],
      [],
      ["end"],
    ];
    const file = join(dir, "v1-split.parquet");
    // Level positions: 2 (inside row 0), 9 and 14 and 20 and 26 (inside the long row), 37 (inside row 6).
    writeV1File(file, rows, [2, 9, 14, 20, 26, 37], 4);
    const { streamed, reference } = await bothWays(file);
    // hyparquet gives a null list as undefined (and a null item as null).
    const expected = rows.map((tags, id) => ({ id, tags: tags ?? undefined }));
    expect(reference).toEqual(expected); // the hand-made file is what we meant
    expect(streamed).toEqual(expected);
    // Every page cut into slices of 1, 2 and 3 levels (slices end inside rows too).
    for (const levels of [1, 2, 3]) expect((await bothWays(file, undefined, { levels })).streamed).toEqual(expected);
    const db = await DuckDBInstance.create(":memory:");
    const connection = await db.connect();
    const result = await connection.runAndReadAll(`SELECT id, len(tags) AS n FROM read_parquet('${file}') ORDER BY id`);
    expect(result.getRowObjects().map((r) => (r.n === null ? null : Number(r.n)))).toEqual(rows.map((r) => (r === null ? null : r.length)));
    connection.closeSync();
    // Through the public reader too, with 1-based lines.
    const lines: number[] = [];
    for await (const { line, record } of readParquet(file)) {
      lines.push(line);
      expect(record).toEqual(expected[line - 1]);
    }
    expect(lines).toEqual(rows.map((_, i) => i + 1));
  });

  it("reads pages whose headers are larger than the first look (page statistics of 40 KB)", async () => {
    const rows = [["a", "b"], ["c"], null, ["d", "e", "f"]];
    const file = join(dir, "big-headers.parquet");
    writeV1File(file, rows, [1, 3], 2, 40_000);
    const { streamed, reference } = await bothWays(file);
    expect(reference).toEqual(rows.map((tags, id) => ({ id, tags: tags ?? undefined })));
    expect(streamed).toEqual(reference);
  });

  it("reads an empty row group as no rows, and an empty page as none", async () => {
    const file = join(dir, "empty-group.parquet");
    writeV1File(file, [], [], 4); // one row group of 0 rows; the tags chunk is one page of 0 values
    expect(await bothWays(file)).toEqual({ streamed: [], reference: [] });
    const withEmptyPage = join(dir, "empty-page.parquet");
    writeV1File(withEmptyPage, [["a"], ["b", "c"]], [1, 1], 4); // the second tags page holds no values
    expect((await bothWays(withEmptyPage)).streamed).toEqual([
      { id: 0, tags: ["a"] },
      { id: 1, tags: ["b", "c"] },
    ]);
  });

  it("gives exactly hyparquet's rows for multi-page, multi-group files of every column type, and for a column subset", async () => {
    const columns: ColumnSpec[] = [
      { name: "id", type: "string" },
      { name: "messages", type: "messages" },
      { name: "n", type: "int64", nullable: true },
      { name: "score", type: "double", nullable: true },
      { name: "ok", type: "boolean" },
      { name: "meta", type: "json", nullable: true },
    ];
    const rows = Array.from({ length: 700 }, (_, i) => ({
      id: `row-${i}`,
      messages: Array.from({ length: 1 + (i % 4) }, (_, t) => ({
        role: t % 2 ? "assistant" : "user",
        content: `turn ${t} of ${i} `.repeat(1 + ((i * 7 + t) % 40)),
      })),
      n: i % 5 === 0 ? null : i * 1_000_003,
      score: i % 3 === 0 ? null : i / 7,
      ok: i % 2 === 0,
      meta: i % 6 === 0 ? null : { i, tags: ["t", i] },
    }));
    const file = join(dir, "multi-page.parquet");
    await writeParquet({ file, columns, rows, pageBytes: 1024, rowGroupBytes: 60_000 });
    const metadata = parquetMetadata(toArrayBuffer(readFileSync(file)));
    expect(metadata.row_groups.length).toBeGreaterThan(3);
    const { streamed, reference } = await bothWays(file);
    expect(streamed.length).toBe(700);
    expect(streamed).toEqual(reference);
    // v2 pages (ours) cut into slices: plain strings and dictionary indices, nulls, slices ending inside rows.
    for (const levels of [1, 7]) expect((await bothWays(file, undefined, { levels })).streamed).toEqual(reference);
    const subset = await bothWays(file, ["messages", "n"]);
    expect(Object.keys(subset.streamed[0] as object).sort()).toEqual(["messages", "n"]);
    expect(subset.streamed).toEqual(subset.reference);
  });

  it("reads DuckDB's files (dictionary pages, v1 pages) exactly as hyparquet does", async () => {
    const file = join(dir, "duckdb.parquet");
    const db = await DuckDBInstance.create(":memory:");
    const connection = await db.connect();
    await connection.run(
      `COPY (SELECT i AS id, CASE WHEN i % 3 = 0 THEN 'a' ELSE 'b' END AS source,
              [{'role': 'user', 'content': 'question ' || i}, {'role': 'assistant', 'content': repeat('answer ', i % 50)}] AS messages
             FROM range(5000) t(i)) TO '${file}' (FORMAT PARQUET, ROW_GROUP_SIZE 2048)`,
    );
    connection.closeSync();
    const { streamed, reference } = await bothWays(file);
    expect(streamed.length).toBe(5000);
    expect(streamed).toEqual(reference);
    // Its large plain-text pages cut into slices, as a real one of ~100 MB would be.
    const sliced = await bothWays(file, undefined, { levels: 97 });
    expect(sliced.streamed).toEqual(reference);
  });

  it("names the row where a damaged page starts", async () => {
    const columns: ColumnSpec[] = [{ name: "messages", type: "messages" }];
    const rows = Array.from({ length: 300 }, (_, i) => ({ messages: [{ role: "user", content: `question ${i} `.repeat(30) }] }));
    const file = join(dir, "damaged.parquet");
    await writeParquet({ file, columns, rows, pageBytes: 2048, rowGroupBytes: 1 << 30 });
    const bytes = readFileSync(file);
    const metadata = parquetMetadata(toArrayBuffer(bytes));
    const content = metadata.row_groups[0]!.columns.find((c) => c.meta_data!.path_in_schema.join(".") === "messages.list.element.content")!;
    const offsetIndex = readOffsetIndex({
      view: new DataView(bytes.buffer, bytes.byteOffset + Number(content.offset_index_offset), content.offset_index_length!),
      offset: 0,
    });
    const third = offsetIndex.page_locations[2]!;
    // Keep the page header, spoil the compressed bytes after it.
    const spoilFrom = Number(third.offset) + 40;
    bytes.fill(0xff, spoilFrom, Number(third.offset) + third.compressed_page_size);
    writeFileSync(file, bytes);
    let thrown: unknown;
    try {
      for await (const _ of readParquet(file)) {
        // drain
      }
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InputError);
    expect((thrown as InputError).message).toContain(file);
    expect((thrown as InputError).message).toContain(`:${Number(third.first_row_index) + 1}`);
    expect((thrown as InputError).message).toMatch(/cannot decode row group 1 \(column messages\.list\.element\.content: /);
  });
});

function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
