import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parquetMetadata } from "hyparquet";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import { createRangeHandler } from "../../test/helpers/collect-range-handler.js";
import { byRanges, byReadRecords, type Collected } from "../../test/helpers/range-reads.js";
import { writeAlpacaZhParquet, writeEmptyParquet, writeGlaiveParquet, writeMessyChatParquet } from "../../test/helpers/messy-parquet.js";
import { ParquetRangeReader } from "./parquet-ranges.js";
import { writeParquet } from "./parquet-write.js";
import { inProcessReader, readFileRanges, RecordRangePool, type RangeReader } from "./record-range-pool.js";
import { moduleUrl } from "./start-worker.js";

const tmp = makeTmpDir("lw-parquet-ranges-");
const HANDLER = moduleUrl(import.meta.url, "../../test/helpers/collect-range-handler");

describe("Parquet in ranges of rows", () => {
  const pool = new RecordRangePool({ workers: 2, handlers: [{ url: HANDLER, options: {} }] });
  afterAll(() => pool.close());

  it("reads files exactly as readRecords does, whatever the range size, here and in worker threads", async () => {
    const files = {
      chat: join(tmp, "chat.parquet"),
      alpaca: join(tmp, "alpaca-zh.parquet"),
      glaive: join(tmp, "glaive.parquet"),
      empty: join(tmp, "empty.parquet"),
    };
    await writeMessyChatParquet(files.chat);
    await writeAlpacaZhParquet(files.alpaca);
    await writeGlaiveParquet(files.glaive);
    await writeEmptyParquet(files.empty);
    const local = inProcessReader([createRangeHandler({})]);
    for (const [name, path] of Object.entries(files)) {
      const expected = await byReadRecords(path);
      for (const rangeBytes of [1, 700, 5000, 1 << 20]) {
        expect(await byRanges(local, path, rangeBytes), `${name} in ranges of ${rangeBytes}`).toEqual(expected);
      }
      for (const rangeBytes of [1, 3000]) {
        expect(await byRanges(pool as RangeReader<Collected>, path, rangeBytes), `${name}, threads, ${rangeBytes}`).toEqual(expected);
      }
    }
    await local.close();
    // The cases are there: bad rows with their fields, detected formats, tool rows, many groups.
    const chat = await byReadRecords(files.chat);
    expect(chat.issues.map((i) => i.field)).toEqual(expect.arrayContaining(["messages.0.role", "messages", "messages.0"]));
    expect(parquetMetadata(toArrayBuffer(readFileSync(files.chat))).row_groups.length).toBeGreaterThan(5);
    expect((await byReadRecords(files.alpaca)).format).toBe("alpaca");
    expect((await byReadRecords(files.alpaca)).issues.length).toBeGreaterThan(5);
    const glaive = await byReadRecords(files.glaive);
    expect(glaive.format).toBe("sharegpt");
    expect(glaive.records.some((r) => r.json.includes('"tool_calls"'))).toBe(true);
  });

  it("reads all ranges of a row group in one thread, and gives the threads groups in turn, across files too", async () => {
    const threaded = new RecordRangePool({ workers: 2, handlers: [{ url: HANDLER, options: { threads: true } }] });
    try {
      /** The thread each record of `path` was read in, by its line (row). */
      const threadOfRows = async (path: string, rangeBytes: number): Promise<number[]> => {
        const threads: number[] = [];
        for await (const range of readFileRanges({
          reader: threaded as RangeReader<Collected>,
          file: path,
          label: path,
          format: "auto",
          handler: 0,
          rangeBytes,
        })) {
          for (const r of range.output) threads[r.line + range.lineBase] = (r as { thread?: number }).thread!;
        }
        return threads;
      };
      // Files of one row group each: consecutive files go to different threads.
      const single: number[] = [];
      for (let i = 0; i < 4; i++) {
        const path = join(tmp, `single-${i}.parquet`);
        await writeMessyChatParquet(path, 10_000);
        const threads = new Set((await threadOfRows(path, 1 << 30)).filter((t) => t !== undefined));
        expect(threads.size).toBe(1);
        single.push([...threads][0]!);
      }
      expect(new Set(single).size).toBe(2);
      expect(single[0]).not.toBe(single[1]);
      // A file of many groups cut in small ranges: every range of a group in the group's one thread.
      const path = join(tmp, "groups.parquet");
      await writeMessyChatParquet(path, 40);
      const rows = await byReadRecords(path);
      const groupRows = parquetMetadata(toArrayBuffer(readFileSync(path))).row_groups.map((g) => Number(g.num_rows));
      const threadOfRow = await threadOfRows(path, 2000);
      let first = 1;
      const groupThreads: number[] = [];
      for (const count of groupRows) {
        const threads = new Set(rows.records.filter((r) => r.line >= first && r.line < first + count).map((r) => threadOfRow[r.line]));
        expect(threads.size).toBe(1);
        groupThreads.push([...threads][0]!);
        first += count;
      }
      expect(new Set(groupThreads).size).toBe(2);
    } finally {
      await threaded.close();
    }
  });

  it("reads a group's ranges in any order, from one stream or by opening the group again", async () => {
    const path = join(tmp, "order.parquet");
    await writeMessyChatParquet(path);
    const groupRows = parquetMetadata(toArrayBuffer(readFileSync(path))).row_groups.map((g) => Number(g.num_rows));
    const expected = (await byReadRecords(path)).records;
    const handler = createRangeHandler({});
    const reader = new ParquetRangeReader();
    const read = async (rowGroup: number, start: number, end: number): Promise<string[]> => {
      const { result } = await reader.read({ file: path, label: path, start, end, rowGroup, format: "messages", handler: 0 }, handler);
      return result.output.map((r) => r.json);
    };
    const rowsBefore = groupRows[0]! + groupRows[1]!;
    const group = (from: number, to: number): string[] => expected.filter((r) => r.line > rowsBefore + from && r.line <= rowsBefore + to).map((r) => r.json);
    // In order (one stream), then backwards (the group opened again and skipped to the start), then a gap.
    expect(await read(2, 0, 4)).toEqual(group(0, 4));
    expect(await read(2, 4, 9)).toEqual(group(4, 9));
    expect(await read(2, 5, 9)).toEqual(group(5, 9));
    expect(await read(2, 0, 2)).toEqual(group(0, 2));
    expect(await read(2, 6, 7)).toEqual(group(6, 7));
    await reader.close();
  });

  it("names the file's row where a damaged page starts, as readRecords does", async () => {
    const path = join(tmp, "damaged.parquet");
    const rows = Array.from({ length: 300 }, (_, i) => ({
      messages: [
        { role: "user", content: `question ${i} `.repeat(30) },
        { role: "assistant", content: "ok" },
      ],
    }));
    await writeParquet({ file: path, columns: [{ name: "messages", type: "messages" }], rows, pageBytes: 2048, maxRowGroupRows: 100, threads: 1 });
    const bytes = readFileSync(path);
    const metadata = parquetMetadata(toArrayBuffer(bytes));
    // Spoil the second group's content chunk after its first page header.
    const content = metadata.row_groups[1]!.columns.find((c) => c.meta_data!.path_in_schema.join(".") === "messages.list.element.content")!.meta_data!;
    const start = Number(content.dictionary_page_offset ?? content.data_page_offset);
    bytes.fill(0xff, start + 40, start + Number(content.total_compressed_size));
    writeFileSync(path, bytes);
    const expected = await byReadRecords(path).catch((e: unknown) => e);
    expect(expected).toBeInstanceOf(InputError);
    expect((expected as InputError).line).toBeGreaterThan(100);
    const local = inProcessReader([createRangeHandler({})]);
    for (const reader of [local, pool as RangeReader<Collected>]) {
      for (const rangeBytes of [500, 1 << 20]) {
        const error = await byRanges(reader, path, rangeBytes).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InputError);
        expect(error).toMatchObject({ file: path, line: (expected as InputError).line, reason: (expected as InputError).reason });
      }
    }
    await local.close();
  });
});

function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
