/**
 * @module bench/parquet-write.bench — JSONL → Parquet for 50k long SFT rows (~20 KB of text each, ~1 GB):
 * our streaming writer (hyparquet-writer + our SNAPPY / the native or wasm zstd) against DuckDB's
 * `COPY ... (FORMAT parquet, COMPRESSION snappy|zstd)` on the same input, same codec. Every output is
 * checked with DuckDB (row count and total content length must match the input).
 */
import { existsSync, statSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { formatBytes, formatCpu, formatFaults, formatMb, formatMs, markdownTable, ratio, userCpuMs } from "./lib/markdown.js";
import { measureNode, type Measurement } from "./lib/measure.js";
import { scaled } from "./lib/scale.js";
import { workDir } from "./lib/scale.js";
import type { BenchSection } from "./run.js";
import { zstdNote } from "./lib/zstd-note.js";

const ROW_BYTES = 20_000;

export default async function parquetWriteBench(): Promise<BenchSection> {
  const rows = scaled(50_000, 100);
  const dir = await workDir("parquet-write");
  const input = join(dir, `rows-v2-${rows}x${ROW_BYTES}.jsonl`);
  if (!existsSync(input)) await measureNode({ script: "bench/jobs/make-long-rows.ts", args: [input, String(rows), String(ROW_BYTES)] });
  const inputBytes = statSync(input).size;

  const parse = await measureNode({ script: "bench/jobs/read-jsonl.ts", args: [input] });
  const results: Array<{ codec: string; writer: string; label: string; m: Measurement; file: string; rowGroups: number }> = [];
  for (const codec of ["SNAPPY", "ZSTD"]) {
    // Ours first: each of our writers gets a DuckDB anchor with row groups of the same number of rows.
    const oursFile = join(dir, `out-ours-${codec}.parquet`);
    await rm(oursFile, { force: true });
    const oursM = await measureNode({ script: "bench/jobs/parquet-write-ours.ts", args: [input, oursFile, codec] });
    const oursResult = oursM.result as { rows: number; rowGroups: number };
    const convertFile = join(dir, `out-ours-convert-${codec}.parquet`);
    await rm(convertFile, { force: true });
    const convertM = await measureNode({ script: "bench/jobs/parquet-write-convert.ts", args: [input, convertFile, codec] });
    const convertResult = convertM.result as { rows: number; rowGroups: number };
    const groupRows = Math.ceil(rows / Math.max(1, oursResult.rowGroups));
    const convertGroupRows = Math.ceil(rows / Math.max(1, convertResult.rowGroups));
    const matched = (writer: string, n: number, whose: string) => ({
      writer,
      label: `DuckDB COPY, ROW_GROUP_SIZE ${n.toLocaleString("en-US")} like ${whose} (anchor)`,
      script: "bench/jobs/parquet-write-duckdb.ts",
      file: join(dir, `out-${writer}-${codec}.parquet`),
      args: [String(n), "0"],
    });
    const runs: Array<{ writer: string; label: string; script: string; file: string; args: string[] }> = [
      matched("duckdb-matched", groupRows, "writeParquet"),
      ...(convertGroupRows !== groupRows ? [matched("duckdb-matched-convert", convertGroupRows, "convertFile")] : []),
      {
        writer: "duckdb-default",
        label: "DuckDB COPY, defaults",
        script: "bench/jobs/parquet-write-duckdb.ts",
        file: join(dir, `out-duckdb-${codec}.parquet`),
        args: ["0", "0"],
      },
    ];
    results.push({
      codec,
      writer: "ours-convert",
      label: "ours: convertFile (what `longwriter convert` runs)",
      m: convertM,
      file: convertFile,
      rowGroups: convertResult.rowGroups,
    });
    results.push({ codec, writer: "ours", label: "ours: readJsonl → writeParquet", m: oursM, file: oursFile, rowGroups: oursResult.rowGroups });
    for (const run of runs) {
      await rm(run.file, { force: true });
      const m = await measureNode({ script: run.script, args: [input, run.file, codec, ...run.args] });
      const result = m.result as { rows: number; rowGroups: number };
      results.push({ codec, writer: run.writer, label: run.label, m, file: run.file, rowGroups: result.rowGroups });
    }
    for (const r of results.filter((x) => x.codec === codec)) {
      const written = (r.m.result as { rows: number }).rows;
      if (written !== rows) throw new Error(`${r.label} ${codec}: wrote ${written} rows, expected ${rows}`);
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

  const order = ["duckdb-matched", "duckdb-matched-convert", "duckdb-default", "ours", "ours-convert"];
  // Each row against the DuckDB run with row groups like its own (convertFile's groups are smaller).
  const anchorOf = (r: (typeof results)[number]) =>
    (r.writer === "ours-convert" ? results.find((a) => a.codec === r.codec && a.writer === "duckdb-matched-convert") : undefined) ??
    results.find((a) => a.codec === r.codec && a.writer === "duckdb-matched")!;
  const sorted = [...results].sort((a, b) => (a.codec === b.codec ? order.indexOf(a.writer) - order.indexOf(b.writer) : a.codec < b.codec ? -1 : 1));
  const table = sorted.map((r) => {
    const anchor = anchorOf(r);
    return [
      r.label,
      r.codec,
      formatMs(r.m.wallMs),
      formatCpu(r.m),
      formatFaults(r.m),
      formatMb(r.m.peakRssMb),
      formatBytes(statSync(r.file).size),
      String(r.rowGroups),
      ratio(r.m.wallMs, anchor.m.wallMs),
      ratio(r.m.cpuMs, anchor.m.cpuMs),
      ratio(userCpuMs(r.m), userCpuMs(anchor.m)),
      ratio(r.m.peakRssMb, anchor.m.peakRssMb),
    ];
  });
  return {
    title: "Parquet write: 50k long rows vs DuckDB COPY",
    markdown: [
      `Input: ${rows.toLocaleString("en-US")} SFT rows of ~${ROW_BYTES / 1000} KB text each (user ~10%, assistant ~90%, sliced`,
      `deterministically from the shared data), ${formatBytes(inputBytes)} of JSONL. Both writers read that JSONL and write`,
      "`messages: list<struct<role, content>>`, `id`, `source` with the same codec. DuckDB: `read_json` with an explicit",
      "`messages` type, one COPY, all cores. **The anchor is DuckDB configured like us**: `ROW_GROUP_SIZE` set to the rows per",
      "row group of our file, one anchor per writer of ours (DuckDB's default here is one ~1 GB row group, which costs it memory); its defaults are shown",
      "beside it. `readJsonl → writeParquet` streams parsed objects into the writer (encoded on the reading thread, row",
      "groups cut by bytes of text). `convertFile` is what `longwriter convert` runs: reader threads (all cores) turn ~43 MB",
      "ranges of the input into finished row groups (parse, adapt, encode, compress) and the main thread appends them, so",
      "its row groups are smaller. Both jobs run the built library (`dist/`). Ratios are against the matched DuckDB run with",
      "the same codec (< 1 is better); on a busy machine trust CPU over wall. Page faults (first touches of fresh memory) cost",
      "system CPU, more on some machines than others (see the fresh-memory line above); user CPU leaves that cost out.",
      `Checked: DuckDB reads all ${results.length} outputs with the same row count and total content length (${checked}).`,
      await zstdNote(),
      `Parsing the JSONL alone (readJsonl, no writing) takes ${formatMs(parse.wallMs)} wall at ${formatMb(parse.peakRssMb)} peak RSS.`,
      "",
      markdownTable(
        [
          "writer",
          "codec",
          "wall",
          "CPU (of it system)",
          "page faults",
          "peak RSS",
          "file",
          "row groups",
          "wall vs DuckDB",
          "CPU vs DuckDB",
          "user CPU vs DuckDB",
          "RSS vs DuckDB",
        ],
        table,
        ["l", "l", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r"],
      ),
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
