/**
 * @module bench/jobs/mix-ours — `mixDatasets` over two JSONL sources: every long row plus a seeded random
 * sample of `sample` general rows, shuffled, written as one Parquet dataset dir.
 * Args: long.jsonl general.jsonl sample outDir [dedup=0|1] [codec=snappy] [threads=0 (all cores)]
 * Prints { rows, files, bytes, rowGroups }. Runs the built library (`npm run build` first; see lib/built).
 */
import { importBuilt } from "../lib/built.js";

const { mixDatasets } = await importBuilt<typeof import("../../src/mix/mix-datasets.js")>("mix/mix-datasets");
const { readParquetInfo } = await importBuilt<typeof import("../../src/io/parquet-read.js")>("io/parquet-read");

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
    output: { compression: codec as "snappy" | "zstd" },
  },
  outDir: outDir!,
  ...(Number(threads) > 0 ? { threads: Number(threads) } : {}),
});
let rowGroups = 0;
for (const file of dataset.files) rowGroups += (await readParquetInfo(`${outDir}/${file.path}`)).rowGroups;
console.log(JSON.stringify({ rows: manifest.totals.rows, files: dataset.files.length, bytes: dataset.files.reduce((n, f) => n + f.bytes, 0), rowGroups }));
