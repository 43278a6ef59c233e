/**
 * @module bench/jobs/mix-ours — `mixDatasets` over two JSONL sources: every long row plus a seeded random
 * sample of `sample` general rows, shuffled, written as one SNAPPY Parquet dataset dir.
 * Args: long.jsonl general.jsonl sample outDir [dedup=0|1]
 */
import { mixDatasets } from "../../src/mix/mix-datasets.js";

const [long, general, sample, outDir, dedup] = process.argv.slice(2);
const { manifest, dataset } = await mixDatasets({
  recipe: {
    name: "bench-mix",
    seed: 42,
    sources: [
      { source: "long", path: long, format: "messages" },
      { source: "general", path: general, format: "messages", amount: { count: Number(sample) } },
    ],
    dedup: { exact: dedup === "1" },
    output: { compression: "snappy" },
  },
  outDir: outDir!,
});
console.log(JSON.stringify({ rows: manifest.totals.rows, files: dataset.files.length, bytes: dataset.files.reduce((n, f) => n + f.bytes, 0) }));
