/**
 * @module bench/parquet-write.bench — JSONL → Parquet for 50k long SFT rows (~20 KB of text each, ~1 GB):
 * our streaming writer (hyparquet-writer + hysnappy / wasm zstd) against DuckDB's
 * `COPY ... (FORMAT parquet, COMPRESSION snappy|zstd)` on the same input, same codec. Every output is
 * checked with DuckDB (row count and total content length must match the input).
 */
import { existsSync, statSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { formatBytes, formatMb, formatMs, markdownTable, ratio } from "./lib/markdown.js";
import { measureNode, type Measurement } from "./lib/measure.js";
import { scaled } from "./lib/scale.js";
import { workDir } from "./lib/scale.js";
import type { BenchSection } from "./run.js";

const ROW_BYTES = 20_000;

export default async function parquetWriteBench(): Promise<BenchSection> {
  const rows = scaled(50_000, 100);
  const dir = await workDir("parquet-write");
  const input = join(dir, `rows-v2-${rows}x${ROW_BYTES}.jsonl`);
  if (!existsSync(input)) await measureNode({ script: "bench/jobs/make-long-rows.ts", args: [input, String(rows), String(ROW_BYTES)] });
  const inputBytes = statSync(input).size;

  const parse = await measureNode({ script: "bench/jobs/read-jsonl.ts", args: [input] });
  const results: Array<{ codec: string; writer: string; m: Measurement; file: string; rowGroups: number }> = [];
  for (const codec of ["SNAPPY", "ZSTD"]) {
    for (const writer of ["duckdb", "ours"]) {
      const file = join(dir, `out-${writer}-${codec}.parquet`);
      await rm(file, { force: true });
      const m = await measureNode({ script: `bench/jobs/parquet-write-${writer}.ts`, args: [input, file, codec] });
      const result = m.result as { rows: number; rowGroups: number };
      if (result.rows !== rows) throw new Error(`${writer} ${codec}: wrote ${result.rows} rows, expected ${rows}`);
      results.push({ codec, writer, m, file, rowGroups: result.rowGroups });
    }
  }

  // Independent check: DuckDB reads every output; counts and content lengths must agree.
  const instance = await DuckDBInstance.create(":memory:");
  const con = await instance.connect();
  const checks = new Set<string>();
  for (const r of results) {
    const [row] = (
      await con.runAndReadAll(`SELECT count(*)::BIGINT AS n, sum(length(messages[1].content) + length(messages[2].content))::BIGINT AS chars FROM '${r.file}'`)
    ).getRowObjectsJson() as Array<{ n: string; chars: string }>;
    checks.add(`${row!.n}/${row!.chars}`);
  }
  con.closeSync();
  instance.closeSync();
  if (checks.size !== 1) throw new Error(`outputs differ when read by DuckDB: ${[...checks].join(" vs ")}`);
  const [checked] = [...checks];

  // Reading back our own outputs into JS rows: our reader vs DuckDB's, same file.
  const reads: string[][] = [];
  for (const codec of ["SNAPPY", "ZSTD"]) {
    const file = results.find((r) => r.codec === codec && r.writer === "ours")!.file;
    const duck = await measureNode({ script: "bench/jobs/parquet-read-duckdb.ts", args: [file] });
    const ours = await measureNode({ script: "bench/jobs/parquet-read-ours.ts", args: [file] });
    if (JSON.stringify(duck.result) !== JSON.stringify(ours.result)) {
      throw new Error(`read-back differs for ${codec}: DuckDB ${JSON.stringify(duck.result)}, ours ${JSON.stringify(ours.result)}`);
    }
    for (const [name, m] of [
      ["DuckDB stream → JS objects (anchor)", duck],
      ["ours: readParquet", ours],
    ] as const) {
      reads.push([
        name,
        codec,
        formatMs(m.wallMs),
        formatMs(m.cpuMs),
        formatMb(m.peakRssMb),
        ratio(m.wallMs, duck.wallMs),
        ratio(m.cpuMs, duck.cpuMs),
        ratio(m.peakRssMb, duck.peakRssMb),
      ]);
    }
  }

  const table = results.map((r) => {
    const anchor = results.find((a) => a.codec === r.codec && a.writer === "duckdb")!;
    return [
      r.writer === "duckdb" ? `DuckDB COPY (anchor)` : "ours: readJsonl → writeParquet",
      r.codec,
      formatMs(r.m.wallMs),
      formatMs(r.m.cpuMs),
      formatMb(r.m.peakRssMb),
      formatBytes(statSync(r.file).size),
      String(r.rowGroups),
      ratio(r.m.wallMs, anchor.m.wallMs),
      ratio(r.m.cpuMs, anchor.m.cpuMs),
      ratio(r.m.peakRssMb, anchor.m.peakRssMb),
    ];
  });
  return {
    title: "Parquet write: 50k long rows vs DuckDB COPY",
    markdown: [
      `Input: ${rows.toLocaleString("en-US")} SFT rows of ~${ROW_BYTES / 1000} KB text each (user ~10%, assistant ~90%, sliced`,
      `deterministically from the shared data), ${formatBytes(inputBytes)} of JSONL. Both writers read that JSONL and write`,
      "`messages: list<struct<role, content>>`, `id`, `source` with the same codec. DuckDB runs with its defaults",
      "(all cores; `read_json` with an explicit `messages` type; one COPY); ours is one thread, streaming, row groups of",
      "~100 MB text. Ratios are against DuckDB with the same codec (< 1 is better); on a busy machine trust CPU over wall.",
      `Checked: DuckDB reads all four outputs with the same row count and total content length (${checked}).`,
      `Parsing the JSONL alone (readJsonl, no writing) takes ${formatMs(parse.wallMs)} wall at ${formatMb(parse.peakRssMb)} peak RSS.`,
      "",
      markdownTable(["writer", "codec", "wall", "CPU", "peak RSS", "file", "row groups", "wall vs DuckDB", "CPU vs DuckDB", "RSS vs DuckDB"], table, [
        "l",
        "l",
        "r",
        "r",
        "r",
        "r",
        "r",
        "r",
        "r",
        "r",
      ]),
      "",
      "Reading our files back into JS rows (every row materialised, content lengths summed; both readers agree):",
      "",
      markdownTable(["reader", "file codec", "wall", "CPU", "peak RSS", "wall vs DuckDB", "CPU vs DuckDB", "RSS vs DuckDB"], reads, [
        "l",
        "l",
        "r",
        "r",
        "r",
        "r",
        "r",
        "r",
      ]),
    ].join("\n"),
  };
}
