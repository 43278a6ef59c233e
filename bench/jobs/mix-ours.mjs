/**
 * @module bench/jobs/mix-ours — `mixDatasets` over two sources (JSONL, or Parquet files): every long row plus a
 * seeded random sample of `sample` general rows, shuffled, written as one Parquet dataset dir.
 * Args: long.jsonl general.jsonl sample outDir [dedup=0|1] [codec=snappy] [threads=0 (all cores)]
 * Prints { rows, files, bytes, rowGroups }. Plain JavaScript on plain node over the built package (`npm run
 * build` first), as users run it: no tsx start-up or module hooks (see lib/measure).
 */
import { importPackage } from "../lib/import-built.mjs";

/** @type {typeof import("../../src/index.js")} */
const { mixDatasets, readParquetInfo } = await importPackage();

const [long, general, sample, outDir, dedup, codec = "snappy", threads = "0"] = process.argv.slice(2);
const { manifest, dataset } = await mixDatasets({
  recipe: {
    name: "bench-mix",
    seed: 42,
    sources: [
      { source: "long", path: long, format: "messages" },
      { source: "general", path: general, format: "messages", amount: { count: Number(sample) } },
    ],
    dedup: { exact: dedup === "1" },
    output: { compression: /** @type {"snappy" | "zstd"} */ (codec) },
  },
  outDir,
  ...(Number(threads) > 0 ? { threads: Number(threads) } : {}),
});
let rowGroups = 0;
for (const file of dataset.files) rowGroups += (await readParquetInfo(`${outDir}/${file.path}`)).rowGroups;
console.log(JSON.stringify({ rows: manifest.totals.rows, files: dataset.files.length, bytes: dataset.files.reduce((n, f) => n + f.bytes, 0), rowGroups }));
