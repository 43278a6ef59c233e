/**
 * `convert` of a JSONL file to Parquet (messages layout) reads the input in byte ranges, each turned into
 * finished row groups by a reader thread. What it writes and reports must not depend on it: the same file,
 * byte for byte, with one thread, two, or ranges read in this thread; the same rows, counts and issues
 * (lines, reasons, fields) as the record-by-record path (the same lines in a `.json` file, which convert
 * reads the old way); the first bad line as the error without --skip-invalid; tool-call rows met in a
 * worker start the write again with the tool-call columns; DuckDB reads every file.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { InputError } from "../src/errors.js";
import { convertFile, type ConvertFileOptions } from "../src/io/adapters/convert-file.js";
import type { InputIssue } from "../src/io/input-issue.js";
import { readParquet, readParquetInfo } from "../src/io/parquet-read.js";
import { writeMessyJsonl } from "./helpers/messy-jsonl.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const tmp = makeTmpDir("lw-convert-threads-");
const jsonl = writeMessyJsonl(tmp, ".jsonl");
writeMessyJsonl(tmp, ".json"); // the same lines, read record by record
// Tool-call rows from the first line on (the messy glaive file starts with two bad lines, which sends
// convert down the record-by-record path): met by a reader thread, they restart the write.
const glaiveLines = readFileSync(jsonl.find((f) => f.name === "glaive.jsonl")!.path, "utf8")
  .split(/\r?\n/)
  .slice(2);
const tools = join(tmp, "tools.jsonl");
writeFileSync(tools, `${glaiveLines.join("\n")}\n`);
writeFileSync(join(tmp, "tools.json"), `${glaiveLines.join("\n")}\n`);

/** Whether the optional native zstd (zstd-napi) loads here. */
function zstdNapiInstalled(): boolean {
  try {
    createRequire(import.meta.url)("zstd-napi");
    return true;
  } catch {
    return false;
  }
}

interface Converted {
  result?: Awaited<ReturnType<typeof convertFile>>;
  issues: Array<Omit<InputIssue, "file">>;
  error?: { line: number | undefined; field: string | undefined; reason: string };
  rows: string[];
  bytes?: Buffer;
}

async function convert(input: string, output: string, options: Partial<ConvertFileOptions>): Promise<Converted> {
  const issues: InputIssue[] = [];
  const out: Converted = { issues: [], rows: [] };
  try {
    out.result = await convertFile({ input, output, issues, ...options });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    out.error = { line: error.line, field: error.field, reason: error.reason };
    return out;
  }
  out.issues = issues.map(({ file: _file, ...issue }) => issue);
  for await (const { record } of readParquet(output)) out.rows.push(JSON.stringify(record));
  out.bytes = readFileSync(output);
  return out;
}

describe("convert JSONL → Parquet in ranges", () => {
  it("writes the same file with 1 or 2 threads and any range size, and the same rows and issues as the record-by-record path", async () => {
    const inputs = [...jsonl.filter((f) => f.name !== "empty.jsonl").map((f) => f.path), tools];
    let parallelFiles = 0;
    for (const input of inputs) {
      const name = input.slice(tmp.length + 1);
      const old = await convert(input.replace(/\.jsonl$/, ".json"), join(tmp, `${name}.old.parquet`), { skipInvalid: true });
      expect(old.result, name).toBeDefined();
      for (const rangeBytes of [300, 4096, 1 << 20]) {
        const runs: Converted[] = [];
        for (const threads of [1, 2]) {
          runs.push(await convert(input, join(tmp, `${name}.${rangeBytes}.${threads}.parquet`), { skipInvalid: true, rangeBytes, threads }));
        }
        const [one, two] = runs as [Converted, Converted];
        expect(two.bytes!.equals(one.bytes!), `${name} at ${rangeBytes}: 1 vs 2 threads`).toBe(true);
        expect(one.rows, name).toEqual(old.rows);
        expect(one.issues, name).toEqual(old.issues);
        const { input: _i, output: _o, ...counts } = one.result!;
        const { input: _oi, output: _oo, ...oldCounts } = old.result!;
        expect({ ...counts, inputFormats: Object.values(counts.inputFormats) }, name).toEqual({
          ...oldCounts,
          inputFormats: Object.values(oldCounts.inputFormats),
        });
        if ((await readParquetInfo(join(tmp, `${name}.${rangeBytes}.2.parquet`))).rowGroups > 1) parallelFiles += 1;
      }
    }
    // The ranges really were cut small enough to give several row groups (and so several thread tasks).
    expect(parallelFiles).toBeGreaterThanOrEqual(6);

    // Tool-call rows: the restart gave the tool-call columns; DuckDB reads the file.
    const toolFile = join(tmp, "tools.jsonl.300.2.parquet");
    const instance = await DuckDBInstance.create(":memory:");
    const con = await instance.connect();
    try {
      const columns = (await con.runAndReadAll(`DESCRIBE SELECT * FROM '${toolFile}'`)).getRowObjects().map((r) => String(r.column_name));
      expect(columns).toContain("tools");
      for (const input of inputs) {
        const name = input.slice(tmp.length + 1);
        const file = join(tmp, `${name}.300.2.parquet`);
        const n = (await con.runAndReadAll(`SELECT count(*)::INT AS n FROM '${file}'`)).getRowObjects()[0]!.n;
        expect(Number(n), name).toBe((await readParquetInfo(file)).rows);
      }
    } finally {
      con.closeSync();
      instance.closeSync();
    }
  }, 120_000);

  it("ZSTD: the same file whether the reader threads ran the native or the wasm zstd, and both read back", async () => {
    const implementations = ["wasm", ...(zstdNapiInstalled() ? ["native"] : [])];
    const files: Buffer[] = [];
    const saved = process.env.LONGWRITER_ZSTD;
    try {
      for (const implementation of implementations) {
        process.env.LONGWRITER_ZSTD = implementation; // the reader threads take the parent's environment
        const output = join(tmp, `tools.zstd-${implementation}.parquet`);
        const run = await convert(tools, output, { skipInvalid: true, rangeBytes: 4096, threads: 2, codec: "ZSTD" });
        expect(run.rows.length, implementation).toBe(run.result!.written);
        expect(run.rows.length, implementation).toBeGreaterThan(250);
        expect((await readParquetInfo(output)).rowGroups, implementation).toBeGreaterThan(1);
        files.push(run.bytes!);
      }
    } finally {
      if (saved === undefined) delete process.env.LONGWRITER_ZSTD;
      else process.env.LONGWRITER_ZSTD = saved;
    }
    for (const file of files.slice(1)) expect(file.equals(files[0]!)).toBe(true);
  }, 60_000);

  it("without --skip-invalid fails on the first bad line (file-wide line number), as the record-by-record path does, and writes nothing", async () => {
    for (const file of jsonl.filter((f) => f.badLines.length > 0)) {
      const output = join(tmp, `${file.name}.strict.parquet`);
      const old = await convert(file.path.replace(/\.jsonl$/, ".json"), join(tmp, `${file.name}.strict-old.parquet`), {});
      const ranged = await convert(file.path, output, { rangeBytes: 300, threads: 2 });
      expect(old.error, file.name).toBeDefined();
      // The same line, field and reason (the .json reader adds a hint on what a .json file may hold).
      expect({ ...ranged.error, reason: undefined }, file.name).toEqual({ ...old.error, reason: undefined });
      expect(old.error!.reason.startsWith(ranged.error!.reason), file.name).toBe(true);
      expect(ranged.error!.line).toBe(file.badLines[0]);
      expect(() => readFileSync(output)).toThrow();
    }
  }, 60_000);

  it("stops when aborted, in ranges or record by record: no output and no temp file", async () => {
    const dir = makeTmpDir("lw-convert-abort-");
    const input = jsonl.find((f) => f.name === "zh.jsonl")!.path;
    for (const [output, options] of [
      [join(dir, "ranges.parquet"), { rangeBytes: 2000, threads: 2 }],
      [join(dir, "records.json"), {}],
    ] as const) {
      const controller = new AbortController();
      let progress = 0;
      const run = convertFile({
        input,
        output,
        skipInvalid: true,
        signal: controller.signal,
        ...options,
        onProgress: () => {
          progress += 1;
          controller.abort();
        },
      });
      await expect(run, output).rejects.toMatchObject({ name: "AbortError" });
      // Stopped at the first check after the abort: one progress report, not the whole file's.
      expect(progress, output).toBe(1);
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});
