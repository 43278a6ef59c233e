import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { InputError, ToolkitError } from "../errors.js";
import { writeMessyJsonl } from "../../test/helpers/messy-jsonl.js";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import { inProcessReader, RecordRangePool, type RangeReader } from "./record-range-pool.js";
import { moduleUrl } from "./start-worker.js";
import { createRangeHandler } from "../../test/helpers/collect-range-handler.js";
import { byRanges, byReadRecords } from "../../test/helpers/range-reads.js";

const tmp = makeTmpDir("lw-ranges-");
const files = writeMessyJsonl(tmp);
const HANDLER = moduleUrl(import.meta.url, "../../test/helpers/collect-range-handler");

describe("JSONL in byte ranges", () => {
  const pool = new RecordRangePool({ workers: 2, handlers: [{ url: HANDLER, options: {} }] });
  afterAll(() => pool.close());

  it("reads every messy file exactly as readRecords does, whatever the range size, here and in worker threads", async () => {
    const local = inProcessReader([createRangeHandler({})]);
    for (const file of files) {
      const expected = await byReadRecords(file.path);
      expect(
        expected.issues.map((i) => i.line),
        file.name,
      ).toEqual(expect.arrayContaining(file.badLines));
      for (const rangeBytes of [1, 37, 500, 4096, 1 << 20]) {
        expect(await byRanges(local, file.path, rangeBytes), `${file.name} in ranges of ${rangeBytes}`).toEqual(expected);
      }
      for (const rangeBytes of [64, 3000]) {
        expect(
          await byRanges(pool as RangeReader<Array<{ line: number; json: string }>>, file.path, rangeBytes),
          `${file.name}, threads, ${rangeBytes}`,
        ).toEqual(expected);
      }
    }
    const glaive = await byReadRecords(files.find((f) => f.name === "glaive.jsonl")!.path);
    expect(glaive.format).toBe("sharegpt");
    expect(glaive.records.length).toBe(300);
    expect(readFileSync(files.find((f) => f.name === "bad-utf8.jsonl")!.path).length).toBeGreaterThan(0);
  });

  it("a handler's error and a crashed worker fail the read with toolkit errors", async () => {
    const path = files.find((f) => f.name === "zh.jsonl")!.path;
    // An InputError from a handler names the file's line, not the range's.
    const line50 = (await byReadRecords(path)).records[49]!.line;
    const one = new RecordRangePool({ workers: 1, handlers: [{ url: HANDLER, options: { inputErrorAt: 50 } }] });
    try {
      for (const reader of [inProcessReader([createRangeHandler({ inputErrorAt: 50 })]), one as RangeReader<Array<{ line: number; json: string }>>]) {
        const error = await byRanges(reader, path, 4096).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InputError);
        expect(error).toMatchObject({ file: path, line: line50, field: "messages", reason: "planted input error" });
      }
    } finally {
      await one.close();
    }
    const failing = new RecordRangePool({ workers: 2, handlers: [{ url: HANDLER, options: { throwAt: 40 } }] });
    try {
      await expect(byRanges(failing as RangeReader<Array<{ line: number; json: string }>>, path, 4096)).rejects.toThrow(
        /reading failed in a worker thread: planted failure/,
      );
    } finally {
      await failing.close();
    }
    const crashing = new RecordRangePool({ workers: 2, handlers: [{ url: HANDLER, options: { exitAt: 40 } }] });
    try {
      const error = await byRanges(crashing as RangeReader<Array<{ line: number; json: string }>>, path, 4096).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ToolkitError);
      expect((error as ToolkitError).message).toMatch(/reader thread exited with code 7/);
    } finally {
      await crashing.close();
    }
  });
});

describe("recycled range buffers", () => {
  it("are handed out again when large enough, each once", async () => {
    const { recycleRangeBuffers, spareRangeBuffer } = await import("./record-ranges.js");
    const small = new ArrayBuffer(1024);
    const large = new ArrayBuffer(1 << 20);
    recycleRangeBuffers([small, large, new ArrayBuffer(0)]);
    expect(spareRangeBuffer(4096)).toBe(large);
    expect(spareRangeBuffer(4096)).toBeUndefined();
    expect(spareRangeBuffer(512)).toBe(small);
    expect(spareRangeBuffer(1)).toBeUndefined();
  });
});
