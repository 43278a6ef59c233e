/**
 * Worker-thread Parquet writing: a mix and a JsonRow stream give byte-identical files with one thread and
 * with two (several row groups, upsampled copies, SNAPPY and ZSTD), and a bad row parsed in a worker is
 * reported as it would be on the main thread (file, row, field).
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { describe, expect, it, vi } from "vitest";
import { InputError } from "../src/errors.js";
import { rowTextBytes, encodeValue, parquetSchemaFor, SFT_COLUMNS, type ColumnSpec } from "../src/io/column-spec.js";
import { JsonRow } from "../src/io/json-row.js";
import { JsonRowBatch } from "../src/io/json-row-batch.js";
import { RowGroupPool } from "../src/io/row-group-pool.js";
import { writeParquet } from "../src/io/parquet-write.js";
import { readParquet } from "../src/io/parquet-read.js";
import { mixDatasets } from "../src/mix/mix-datasets.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const tmp = makeTmpDir("lw-parallel-");
const GENERAL = join(process.cwd(), "../shared/data/general-sft");

function filesOf(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const path of readdirSync(dir, { recursive: true }).map(String).sort()) {
    try {
      out.set(path, readFileSync(join(dir, path)));
    } catch {
      // a directory
    }
  }
  return out;
}

/** A row-group pool of one SNAPPY worker for SFT rows. */
function oneWorkerPool(): RowGroupPool {
  return new RowGroupPool({ workers: 1, columns: SFT_COLUMNS, schema: parquetSchemaFor(SFT_COLUMNS), codec: "SNAPPY", codecOptions: {}, pageBytes: 1 << 20 });
}

function jsonRow(row: Record<string, unknown>, declared?: number, stable = false): JsonRow {
  const where = { file: "test", row: 0 };
  const bytes = rowTextBytes(
    SFT_COLUMNS,
    SFT_COLUMNS.map((c) => encodeValue(c, row[c.name], where)),
  );
  return new JsonRow(Buffer.from(JSON.stringify(row)), declared ?? bytes, undefined, stable);
}

/** JsonRows whose bytes all sit in one buffer, written over for every row (as a reading source reuses its buffer). */
function* reusedBufferRows(rows: Array<Record<string, unknown>>): Generator<JsonRow> {
  const buffer = Buffer.alloc(1 << 16);
  for (const row of rows) {
    const declared = jsonRow(row).textBytes;
    buffer.fill(0x20);
    const length = buffer.write(JSON.stringify(row));
    yield new JsonRow(buffer.subarray(0, length), declared);
  }
}

describe("parallel Parquet writing", () => {
  it("mix: one thread and two threads write the same bytes (several row groups, upsampling, zstd)", async () => {
    const recipe = {
      name: "threads",
      seed: 3,
      sources: [
        { source: "alpaca", path: join(GENERAL, "alpaca_en_demo.json"), amount: { count: 1500 } },
        { source: "zh", path: join(GENERAL, "alpaca_zh_demo.json"), amount: { count: 400 } },
      ],
      output: { compression: "zstd" as const, rowGroupRows: 150 },
    };
    const one = join(tmp, "one");
    const two = join(tmp, "two");
    const a = await mixDatasets({ recipe, outDir: one, threads: 1 });
    const b = await mixDatasets({ recipe, outDir: two, threads: 2 });
    expect(a.manifest.totals.rows).toBe(1900);
    const filesOne = filesOf(one);
    const filesTwo = filesOf(two);
    expect([...filesTwo.keys()]).toEqual([...filesOne.keys()]);
    for (const [path, bytes] of filesOne) expect(filesTwo.get(path)!.equals(bytes), path).toBe(true);
    expect(b.dataset.files.map((f) => f.sha256)).toEqual(a.dataset.files.map((f) => f.sha256));
    // The upsampled copies got their ids from the main thread.
    const ids: string[] = [];
    for await (const { record } of readParquet<{ id: string }>(join(two, b.dataset.files[0]!.path))) ids.push(record.id);
    expect(ids.filter((id) => id.includes("#copy1")).length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("writeParquet: JsonRows give the same file with 1 and 2 threads, and the same as plain objects", async () => {
    const rows = Array.from({ length: 900 }, (_, i) => ({
      messages: [
        { role: "user", content: `question ${i} ${"词".repeat(i % 40)}` },
        { role: "assistant", content: `answer ${"word ".repeat(i % 200)}` },
      ],
      id: `row-${i}`,
      source: i % 4 === 0 ? null : "s",
      meta: i % 3 === 0 ? { n: i } : null,
    }));
    // Stable rows (bytes valid until the write ends) are kept as they are, the others copied: the same file
    // either way, in one row group (encoded on the calling thread) or in nine (on workers when threads > 1).
    for (const groupRows of [100, undefined]) {
      const files: Buffer[] = [];
      for (const [name, threads, source, expected] of [
        ["objects", 1, () => rows],
        ["json-1", 1, () => rows.map((row) => jsonRow(row))],
        ["json-2", 2, () => rows.map((row) => jsonRow(row))],
        ["stable-1", 1, () => rows.map((row) => jsonRow(row, undefined, true))],
        ["stable-2", 2, () => rows.map((row) => jsonRow(row, undefined, true))],
        ["stable-and-not-2", 2, () => rows.map((row, i) => jsonRow(row, undefined, i % 7 < 4))],
        ["reused-buffer-1", 1, () => reusedBufferRows(rows)],
        ["reused-buffer-2", 2, () => reusedBufferRows(rows)],
        // Told ahead that the rows are more than a group's worth (wrongly, for one group): the workers start first.
        ["expected-2", 2, () => rows.map((row) => jsonRow(row)), 1e12],
      ] as const) {
        const file = join(tmp, `${name}-${groupRows}.parquet`);
        const info = await writeParquet({
          file,
          columns: SFT_COLUMNS,
          rows: source(),
          codec: "SNAPPY",
          maxRowGroupRows: groupRows,
          threads,
          expectedBytes: expected,
        });
        expect(info.rowGroups, name).toBe(groupRows ? 9 : 1);
        files.push(readFileSync(file));
      }
      for (let i = 1; i < files.length; i++) expect(files[i]!.equals(files[0]!), `file ${i}, groups of ${groupRows}`).toBe(true);
    }
  });

  it("groups whose JSON outgrows its buffer go to workers in new shared buffers, and the file is the one-thread file", async () => {
    // Text of quotes, backslashes and control characters: its JSON is ~2-6x its text, so a group's JSON passes the
    // buffer sized from its text (64 KiB here) and the buffer grows; three workers hold 5 buffers each.
    const rows = Array.from({ length: 240 }, (_, i) => ({
      messages: [
        { role: "user", content: `q${i} ${'"\\\n\t\u0001'.repeat(40 + (i % 13) * 60)}` },
        { role: "assistant", content: `a${i} ${"plain text ".repeat(i % 9)}` },
      ],
      id: `r${i}`,
      source: null,
      meta: null,
    }));
    const shared = new Set<SharedArrayBuffer>();
    let sharedTasks = 0;
    const original = RowGroupPool.prototype.encode;
    const encode = vi.spyOn(RowGroupPool.prototype, "encode").mockImplementation(function (this: RowGroupPool, input) {
      if (input.bytes.buffer instanceof SharedArrayBuffer) {
        shared.add(input.bytes.buffer);
        sharedTasks += 1;
      }
      return original.call(this, input);
    });
    const files: Buffer[] = [];
    try {
      for (const threads of [1, 2, 3]) {
        const file = join(tmp, `grow-${threads}.parquet`);
        const info = await writeParquet({
          file,
          columns: SFT_COLUMNS,
          rows: rows.map((row) => jsonRow(row)),
          codec: "SNAPPY",
          rowGroupBytes: 40_000,
          threads,
          expectedBytes: 1e9,
        });
        expect(info.rowGroups).toBeGreaterThan(10);
        files.push(readFileSync(file));
      }
    } finally {
      encode.mockRestore();
    }
    // The groups reached the workers in shared buffers, grown past the first one's 64 KiB.
    expect(sharedTasks).toBeGreaterThan(20);
    expect(shared.size).toBeGreaterThanOrEqual(3);
    for (const buffer of shared) expect(buffer.byteLength).toBeGreaterThan(1 << 16);
    expect(files[1]!.equals(files[0]!)).toBe(true);
    expect(files[2]!.equals(files[0]!)).toBe(true);
  });

  it("groups of JsonRows mixed with object rows (as cells, or on this thread when JSON cannot hold them) give the same file for any threads and bytes in flight", async () => {
    const columns: ColumnSpec[] = [
      { name: "text", type: "string" },
      { name: "score", type: "double", nullable: true },
      { name: "tags", type: "json", nullable: true },
    ];
    const odd = (i: number) => (i === 250 ? Number.NaN : i === 420 ? -0 : i === 610 ? Number.POSITIVE_INFINITY : undefined);
    const rows = Array.from({ length: 700 }, (_, i) => ({
      text: `row ${i} ${"长文本 ".repeat(i % 50)}${i % 97 === 0 ? "\ud800 lone" : ""}`,
      // -0, NaN and Infinity do not survive JSON: their groups are encoded on the calling thread.
      score: odd(i) ?? (i % 5 === 0 ? null : i / 7),
      tags: i % 3 === 0 ? { i, list: ["a", i] } : null,
    }));
    const asJson = (row: Record<string, unknown>, stable = false) => {
      const where = { file: "test", row: 0 };
      const size = rowTextBytes(
        columns,
        columns.map((c) => encodeValue(c, row[c.name], where)),
      );
      return new JsonRow(Buffer.from(JSON.stringify(row)), size, undefined, stable);
    };
    // Every third row an object, the rest JSON (the rows with odd doubles only as objects).
    const mixed = rows.map((row, i) => (i % 3 === 1 || odd(i) !== undefined ? row : asJson(row)));
    // The same with runs of stable JSON rows between them (held, then placed before the next row).
    const mixedStable = rows.map((row, i) => (i % 3 === 1 || odd(i) !== undefined ? row : asJson(row, i % 9 < 6)));
    const files: Buffer[] = [];
    for (const [name, source, threads, maxBytesInFlight] of [
      ["objects", rows, 1, undefined],
      ["mixed-1", mixed, 1, undefined],
      ["mixed-2", mixed, 2, undefined],
      ["mixed-2-one-group", mixed, 2, 1],
      ["mixed-3-many", mixed, 3, 1e12],
      ["mixed-stable-1", mixedStable, 1, undefined],
      ["mixed-stable-2", mixedStable, 2, undefined],
    ] as const) {
      const file = join(tmp, `${name}.parquet`);
      const info = await writeParquet({ file, columns, rows: source, codec: "ZSTD", maxRowGroupRows: 64, threads, maxBytesInFlight });
      expect(info.rowGroups, name).toBe(11);
      files.push(readFileSync(file));
    }
    for (let i = 1; i < files.length; i++) expect(files[i]!.equals(files[0]!), `file ${i}`).toBe(true);
    const back: Array<{ score: number | null; text: string }> = [];
    for await (const { record } of readParquet<{ score: number | null; text: string }>(join(tmp, "mixed-2.parquet"))) back.push(record);
    expect(back.map((r) => r.text)).toEqual(rows.map((r) => r.text.replace("\ud800", "\ufffd")));
    expect(Number.isNaN(back[250]!.score)).toBe(true);
    expect(Object.is(back[420]!.score, -0)).toBe(true);
    expect(back[610]!.score).toBe(Number.POSITIVE_INFINITY);
  });

  it("refuses a bound on bytes in flight that is not positive", async () => {
    await expect(writeParquet({ file: join(tmp, "b.parquet"), columns: SFT_COLUMNS, rows: [], maxBytesInFlight: 0 })).rejects.toThrow(
      "bytes in flight must be a positive number, got 0",
    );
  });

  it("a worker hands each group's JSON buffer back once read, for the next group to be written into", async () => {
    const pool = oneWorkerPool();
    try {
      expect(await pool.spareBuffer()).toBeUndefined(); // nothing being read: no waiting
      const batch = new JsonRowBatch(1 << 20);
      const row = { messages: [{ role: "user", content: "hi" }], id: "a", source: null, meta: null };
      batch.addObjectBytes(Buffer.from(JSON.stringify(row)), jsonRow(row).textBytes);
      const data = batch.take();
      const sent = data.bytes.buffer.byteLength;
      const encoding = pool.encode({ ...data, firstRow: 1, label: "t" });
      const spare = await pool.spareBuffer(); // waits until the worker has read the group
      expect(spare?.byteLength).toBe(sent);
      expect(Number((await encoding).rowGroup.num_rows)).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it("rows in a shared buffer reach a worker as the buffer once, then as its number, while the worker still holds it", async () => {
    const pool = oneWorkerPool();
    const posted = vi.spyOn(Worker.prototype, "postMessage");
    try {
      // One worker holds 3 shared buffers (workers + 2): D pushes out A, the least recently used.
      const [a, b, c, d] = Array.from({ length: 4 }, () => pool.allocateShared(1 << 16));
      const order = [a, a, b, c, d, a, d];
      const ids: string[] = [];
      for (const [i, buffer] of order.entries()) {
        const batch = new JsonRowBatch(1 << 16, buffer);
        const row = { messages: [{ role: "user", content: `question ${i}` }], id: `row-${i}`, source: null, meta: null };
        batch.addObjectBytes(Buffer.from(JSON.stringify(row)), jsonRow(row).textBytes);
        const encoded = await pool.encode({ ...batch.take(), firstRow: 1, label: "t" });
        const idChunk = encoded.rowGroup.columns.find((chunk) => chunk.meta_data?.path_in_schema.join(".") === "id")!;
        ids.push(Buffer.from(idChunk.meta_data!.statistics!.min_value as Uint8Array).toString());
        expect(await pool.spareBuffer()).toBe(buffer); // free again as soon as the worker answered
      }
      // Each group was read from its own buffer, including those sent as a number only.
      expect(ids).toEqual(order.map((_, i) => `row-${i}`));
      const tasks = posted.mock.calls
        .map(([message]) => (message as { shared?: { slot: number; buffer?: SharedArrayBuffer } }).shared)
        .filter((shared) => shared !== undefined);
      expect(tasks.map((shared) => shared.buffer !== undefined)).toEqual([true, false, true, true, true, true, false]);
      expect(tasks.map((shared) => shared.buffer).filter(Boolean)).toEqual([a, b, c, d, a]);
      expect(new Set(tasks.map((shared) => shared.slot)).size).toBe(4);
    } finally {
      posted.mockRestore();
      await pool.close();
    }
  });

  it("a bad row parsed by a worker fails with its row and field, and leaves no file", async () => {
    const good = { messages: [{ role: "user", content: "hi" }], id: "a", source: null, meta: null };
    const rows = Array.from({ length: 300 }, (_, i) => jsonRow({ ...good, id: `r${i}` }));
    rows[250] = new JsonRow(Buffer.from(JSON.stringify({ ...good, messages: [{ role: "user", content: 5 }] })), 10);
    const file = join(tmp, "bad.parquet");
    const failure = await writeParquet({ file, columns: SFT_COLUMNS, rows, maxRowGroupRows: 100, threads: 2, label: "bad rows" }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(InputError);
    expect((failure as InputError).message).toBe(
      'bad rows:251: field messages.0.content: column "messages" (messages) expected a string content, got number 5',
    );
    expect(readdirSync(tmp).filter((f) => f.startsWith("bad") || f.includes(".tmp"))).toEqual([]);
  });

  it("a declared text size that does not match the row is refused (it would change the row groups)", async () => {
    const row = { messages: [{ role: "user", content: "hi" }], id: "a", source: null, meta: null };
    const rows = Array.from({ length: 200 }, (_, i) => jsonRow({ ...row, id: `r${i}` }));
    rows[150] = jsonRow(row, 999);
    await expect(writeParquet({ file: join(tmp, "declared.parquet"), columns: SFT_COLUMNS, rows, maxRowGroupRows: 100, threads: 2 })).rejects.toThrow(
      /row 151 declared 999 bytes of text but holds \d+/,
    );
  });

  it("refuses a thread count that is not a positive integer", async () => {
    await expect(writeParquet({ file: join(tmp, "t.parquet"), columns: SFT_COLUMNS, rows: [], threads: 0 })).rejects.toThrow(
      "threads must be an integer from 1 to 256, got 0",
    );
  });
});
