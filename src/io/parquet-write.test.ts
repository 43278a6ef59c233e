import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import { InputError } from "../errors.js";
import { SFT_COLUMNS, type ColumnSpec } from "./column-spec.js";
import { parseParquetCodec } from "./parquet-codecs.js";
import { readParquet, readParquetInfo } from "./parquet-read.js";
import { writeParquet, writeParquetShards } from "./parquet-write.js";
import { acquireSnappyHelper, readySnappyHelper } from "./snappy-helper.js";
import { DIRECT_AFTER_BYTES, DirectOutput } from "./direct-output.js";
import { collect } from "../../test/helpers/collect.js";

const dir = makeTmpDir("lw-parquet-");

function sftRow(i: number, size = 100) {
  return {
    id: `row-${i}`,
    messages: [
      { role: "user", content: `question ${i} 问题` },
      { role: "assistant", content: `${"x".repeat(size)} ${i}` },
    ],
    source: i % 3 === 0 ? null : "unit",
    meta: i % 2 === 0 ? { i, tags: ["a", "b"], nested: { ok: true } } : undefined,
  };
}

async function* fromArray<T>(rows: T[]): AsyncGenerator<T> {
  for (const row of rows) yield row;
}

describe("writeParquet / readParquet", () => {
  it("round-trips SFT rows with every codec (messages, nullable string, json meta)", async () => {
    const rows = Array.from({ length: 50 }, (_, i) => sftRow(i));
    for (const codec of ["SNAPPY", "ZSTD", "GZIP", "UNCOMPRESSED"] as const) {
      const file = join(dir, `rt-${codec}.parquet`);
      const info = await writeParquet({ file, columns: SFT_COLUMNS, rows: fromArray(rows), codec });
      expect(info.rows).toBe(50);
      const parquet = await readParquetInfo(file);
      expect(parquet.codec).toBe(codec);
      expect(parquet.columns.map((c) => c.name)).toEqual(["messages", "id", "source", "meta"]);
      const back = await collect(readParquet(file));
      expect(back.map((r) => r.line)).toEqual(rows.map((_, i) => i + 1));
      expect(back.map((r) => r.record)).toEqual(rows.map((r) => ({ ...r, meta: r.meta ?? null })));
      // field order inside a message is role, content
      expect(Object.keys((back[0]!.record.messages as object[])[0]!)).toEqual(["role", "content"]);
    }
  });

  it("writes the same file when a SNAPPY helper thread compresses pages beside this one", async () => {
    // ~5 MB of text in 1 MiB pages: one row group, encoded on this thread.
    const rows = Array.from({ length: 2000 }, (_, i) => sftRow(i, 2500));
    const alone = join(dir, "helper-alone.parquet");
    const helped = join(dir, "helper-helped.parquet");
    await writeParquet({ file: alone, columns: SFT_COLUMNS, rows: fromArray(rows), threads: 2 });
    const release = acquireSnappyHelper();
    try {
      for (let waited = 0; !readySnappyHelper(); waited += 10) {
        if (waited > 20_000) throw new Error("the helper thread did not get ready");
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const started = vi.spyOn(readySnappyHelper()!, "start");
      // A writer held to one thread leaves it alone.
      await writeParquet({ file: join(dir, "helper-one-thread.parquet"), columns: SFT_COLUMNS, rows: fromArray(rows), threads: 1 });
      expect(started).not.toHaveBeenCalled();
      await writeParquet({ file: helped, columns: SFT_COLUMNS, rows: fromArray(rows), threads: 2 });
      expect(started).toHaveBeenCalled();
      // Still ready: every page it took was finished.
      expect(readySnappyHelper()).toBeDefined();
    } finally {
      release();
    }
    expect((await readParquetInfo(helped)).rowGroups).toBe(1);
    expect((await readFile(helped)).equals(await readFile(alone))).toBe(true);
  });

  it("writes the same file direct to the disk as through the page cache (LONGWRITER_DIRECT_IO)", async () => {
    // ~35 MB, uncompressed: the first 32 MiB the ordinary way, whole MiB from there direct, the tail the ordinary way.
    const rows = Array.from({ length: 14_000 }, (_, i) => sftRow(i, 2500));
    const files: Record<string, string> = {};
    const before = process.env.LONGWRITER_DIRECT_IO;
    // Full MiB past the first 32 go to the direct descriptor (or, where the file system refuses it, the ordinary one).
    const staged = vi.spyOn(DirectOutput.prototype as unknown as { writeStage(): void }, "writeStage");
    try {
      for (const choice of ["off", "auto"]) {
        process.env.LONGWRITER_DIRECT_IO = choice;
        files[choice] = join(dir, `direct-${choice}.parquet`);
        staged.mockClear();
        await writeParquet({ file: files[choice]!, columns: SFT_COLUMNS, rows: fromArray(rows), codec: "UNCOMPRESSED" });
        if (choice === "off") expect(staged).not.toHaveBeenCalled();
        else expect(staged.mock.calls.length).toBeGreaterThanOrEqual(2);
      }
      process.env.LONGWRITER_DIRECT_IO = "sometimes";
      const bad = join(dir, "direct-bad.parquet");
      await expect(writeParquet({ file: bad, columns: SFT_COLUMNS, rows: fromArray(rows) })).rejects.toThrow(/LONGWRITER_DIRECT_IO must be one of auto, off/);
      expect((await readdir(dir)).filter((name) => name.includes("direct-bad"))).toEqual([]);
    } finally {
      staged.mockRestore();
      if (before === undefined) delete process.env.LONGWRITER_DIRECT_IO;
      else process.env.LONGWRITER_DIRECT_IO = before;
    }
    const direct = await readFile(files.auto!);
    expect(direct.length).toBeGreaterThan(DIRECT_AFTER_BYTES + (2 << 20));
    expect(direct.equals(await readFile(files.off!))).toBe(true);
    expect((await collect(readParquet(files.auto!))).length).toBe(14_000);
  });

  it("cuts row groups by bytes of text", async () => {
    const file = join(dir, "groups.parquet");
    // each row is estimated at 1,030–1,090 bytes (text + length prefixes + levels), so a 10,900-byte
    // budget holds 10 rows and the 11th starts the next group
    const rows = Array.from({ length: 95 }, (_, i) => sftRow(i, 960));
    await writeParquet({ file, columns: SFT_COLUMNS, rows, rowGroupBytes: 10_900 });
    const info = await readParquetInfo(file);
    expect(info.rowGroups).toBe(10);
    expect(info.rowGroupRows.slice(0, 9).every((n) => n === 10)).toBe(true);
    expect(info.rowGroupRows[9]).toBe(5);
    expect((await collect(readParquet(file))).length).toBe(95);
  });

  it("shards by file size and leaves no temp files", async () => {
    const shardDir = join(dir, "shards");
    const rows = Array.from({ length: 60 }, (_, i) => sftRow(i, 2000 + i));
    const files = await writeParquetShards({
      columns: SFT_COLUMNS,
      rows,
      codec: "UNCOMPRESSED",
      rowGroupBytes: 10_000,
      maxShardBytes: 25_000,
      shardPath: (i) => join(shardDir, `part-${i}.parquet`),
    });
    expect(files.length).toBeGreaterThan(2);
    expect(files.reduce((n, f) => n + f.rows, 0)).toBe(60);
    for (const f of files.slice(0, -1)) expect(f.bytes).toBeGreaterThanOrEqual(25_000);
    expect((await readdir(shardDir)).sort()).toEqual(files.map((_, i) => `part-${i}.parquet`).sort());
    const ids = [];
    for (const f of files) for await (const { record } of readParquet(f.file)) ids.push(record.id);
    expect(ids).toEqual(rows.map((r) => r.id));
  });

  it("writes a valid empty file for no rows", async () => {
    const file = join(dir, "empty.parquet");
    const info = await writeParquet({ file, columns: SFT_COLUMNS, rows: [] });
    expect(info.rows).toBe(0);
    expect((await readParquetInfo(file)).rows).toBe(0);
    expect(await collect(readParquet(file))).toEqual([]);
  });

  it("handles scalar column types, nullables and int64 beyond 2^53", async () => {
    const columns: ColumnSpec[] = [
      { name: "s", type: "string" },
      { name: "i32", type: "int32" },
      { name: "i64", type: "int64", nullable: true },
      { name: "d", type: "double" },
      { name: "b", type: "boolean", nullable: true },
      { name: "j", type: "json" },
    ];
    const rows = [
      { s: "a", i32: -5, i64: 2n ** 60n, d: 0.25, b: true, j: [1, { x: null }] },
      { s: "", i32: 2 ** 31 - 1, i64: 42, d: -1e300, b: null, j: "text" },
      { s: "z", i32: 0, i64: undefined, d: Number.NaN, b: false, j: 0 },
    ];
    const file = join(dir, "scalars.parquet");
    await writeParquet({ file, columns, rows });
    const back = (await collect(readParquet(file))).map((r) => r.record);
    expect(back[0]).toEqual({ s: "a", i32: -5, i64: 2n ** 60n, d: 0.25, b: true, j: [1, { x: null }] });
    expect(back[1]).toEqual({ s: "", i32: 2 ** 31 - 1, i64: 42, d: -1e300, b: null, j: "text" });
    expect(back[2]!.i64).toBeNull();
    expect(back[2]!.d).toBeNaN();
  });

  it("writes preference pairs: prompt/chosen/rejected as message lists plus doubles and strings", async () => {
    const columns: ColumnSpec[] = [
      { name: "prompt", type: "messages" },
      { name: "chosen", type: "messages" },
      { name: "rejected", type: "messages" },
      { name: "score_chosen", type: "double" },
      { name: "score_rejected", type: "double" },
      { name: "reason", type: "string" },
    ];
    const rows = Array.from({ length: 5 }, (_, i) => ({
      prompt: [{ role: "user", content: `write ${i}` }],
      chosen: [{ role: "assistant", content: "long ".repeat(50) }],
      rejected: [{ role: "assistant", content: "short" }],
      score_chosen: 90 + i,
      score_rejected: 10.5,
      reason: "length",
    }));
    const file = join(dir, "dpo.parquet");
    await writeParquet({ file, columns, rows, codec: "ZSTD" });
    expect((await collect(readParquet(file))).map((r) => r.record)).toEqual(rows);
    expect((await readParquetInfo(file)).columns.slice(0, 3).map((c) => c.type)).toEqual(["messages", "messages", "messages"]);
  });

  it("takes a page size (bigger ZSTD pages, smaller file) and rejects a silly one", async () => {
    const rows = Array.from({ length: 400 }, (_, i) => sftRow(i, 3000 + (i % 7)));
    const small = await writeParquet({ file: join(dir, "page-1k.parquet"), columns: SFT_COLUMNS, rows, codec: "ZSTD", pageBytes: 16 * 1024 });
    const big = await writeParquet({ file: join(dir, "page-4m.parquet"), columns: SFT_COLUMNS, rows, codec: "ZSTD", pageBytes: 4 << 20 });
    expect(big.bytes).toBeLessThan(small.bytes);
    expect((await collect(readParquet(big.file))).map((r) => r.record.id)).toEqual(rows.map((r) => r.id));
    await expect(writeParquet({ file: join(dir, "page-bad.parquet"), columns: SFT_COLUMNS, rows, pageBytes: 10 })).rejects.toThrow(/page size/);
  });

  it("is deterministic: same rows → identical bytes", async () => {
    const rows = Array.from({ length: 30 }, (_, i) => sftRow(i));
    const a = await writeParquet({ file: join(dir, "det-a.parquet"), columns: SFT_COLUMNS, rows, codec: "ZSTD" });
    const b = await writeParquet({ file: join(dir, "det-b.parquet"), columns: SFT_COLUMNS, rows, codec: "ZSTD" });
    expect(a.sha256).toBe(b.sha256);
    expect(Buffer.compare(await readFile(a.file), await readFile(b.file))).toBe(0);
  });
});

describe("bad rows and bad files", () => {
  const cases: Array<[string, Record<string, unknown>, string, string]> = [
    ["missing required id", { messages: [] }, "id", 'column "id" (string) is required, got nothing'],
    ["id not a string", { messages: [], id: 7 }, "id", "expected a string, got number 7"],
    ["messages not a list", { messages: "hi", id: "a" }, "messages", "expected a list of {role, content}"],
    ["message without content", { messages: [{ role: "user" }], id: "a" }, "messages.0.content", "expected a string content"],
    ["message role not a string", { messages: [{ role: 1, content: "x" }], id: "a" }, "messages.0.role", "expected a string role"],
    ["meta that is not JSON", { messages: [], id: "a", meta: () => 1 }, "meta", "cannot be stored as JSON"],
  ];
  for (const [name, bad, field, reason] of cases) {
    it(`rejects ${name}, names file/row/field, leaves no output`, async () => {
      const file = join(dir, `bad-${field}.parquet`);
      const rows = [sftRow(0), sftRow(1), bad];
      const error = await writeParquet({ file, columns: SFT_COLUMNS, rows }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).line).toBe(3);
      expect((error as InputError).field).toBe(field);
      expect((error as InputError).message).toContain(reason);
      expect((error as InputError).message).toContain(file);
      expect((await readdir(dir)).filter((f) => f.includes(`bad-${field}`))).toEqual([]);
    });
  }

  it("rejects an out-of-range int32", async () => {
    const error = await writeParquet({ file: join(dir, "i32.parquet"), columns: [{ name: "n", type: "int32" }], rows: [{ n: 2 ** 31 }] }).catch(
      (e: unknown) => e,
    );
    expect((error as InputError).reason).toContain("expected a 32-bit integer");
  });

  it("removes finished shards when the source throws midway", async () => {
    const shardDir = join(dir, "throwing");
    async function* rows() {
      for (let i = 0; i < 40; i++) yield sftRow(i, 3000);
      throw new Error("source broke");
    }
    await expect(
      writeParquetShards({
        columns: SFT_COLUMNS,
        rows: rows(),
        rowGroupBytes: 5000,
        maxShardBytes: 8000,
        codec: "UNCOMPRESSED",
        shardPath: (i) => join(shardDir, `p${i}.parquet`),
      }),
    ).rejects.toThrow("source broke");
    expect(await readdir(shardDir)).toEqual([]);
  });

  it("names the file for a missing, non-Parquet or truncated input", async () => {
    const text = join(dir, "not.parquet");
    await writeFile(text, "this is plainly not a parquet file, just some text\n");
    const good = join(dir, "rt-SNAPPY.parquet");
    const truncated = join(dir, "truncated.parquet");
    const bytes = await readFile(good);
    await writeFile(truncated, bytes.subarray(0, bytes.length - 100));
    const tiny = join(dir, "tiny.parquet");
    await writeFile(tiny, "PAR1");
    for (const [file, reason] of [
      [join(dir, "absent.parquet"), "no such file"],
      [text, "not a Parquet file"],
      [truncated, "not a Parquet file or truncated"],
      [tiny, "only 4 bytes"],
    ] as const) {
      const error = await collect(readParquet(file)).catch((e: unknown) => e);
      expect(error, file).toBeInstanceOf(InputError);
      expect((error as InputError).file).toBe(file);
      expect((error as InputError).reason).toContain(reason);
    }
  });

  it("validates rows read back against a schema, with row numbers", async () => {
    const { z } = await import("zod");
    const schema = z.object({ id: z.string().startsWith("row-1") });
    const file = join(dir, "rt-SNAPPY.parquet");
    const error = await collect(readParquet(file, { schema })).catch((e: unknown) => e);
    expect((error as InputError).line).toBe(1);
    expect((error as InputError).field).toBe("id");
    const issues: Array<{ line: number }> = [];
    const kept = await collect(readParquet(file, { schema, skipInvalid: true, issues: issues as never }));
    expect(kept.map((r) => r.line)).toEqual([2, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    expect(issues.length).toBe(50 - kept.length);
  });

  it("parses codec names and rejects unknown ones", () => {
    expect(parseParquetCodec("zstd")).toBe("ZSTD");
    expect(() => parseParquetCodec("lz4")).toThrow(/choose one of snappy, zstd, gzip, uncompressed/);
  });
});
