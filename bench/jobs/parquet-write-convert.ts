/**
 * @module bench/jobs/parquet-write-convert — JSONL → Parquet the way `longwriter convert` does it
 * (`convertFile`: detect the format, then reader threads turn ranges of the input into row groups), so the
 * bench shows the command's cost beside the bare writer's. Runs the built library (see lib/built).
 * Args: input.jsonl out.parquet codec [threads=0 (all cores)]
 */
import { importPackage } from "../lib/built.js";

const { convertFile, readParquetInfo } = await importPackage();

const [input, output, codec, threads = "0"] = process.argv.slice(2);
const result = await convertFile({
  input: input!,
  output: output!,
  codec: codec!.toUpperCase() as "SNAPPY" | "ZSTD",
  ...(Number(threads) > 0 ? { threads: Number(threads) } : {}),
});
const info = await readParquetInfo(output!);
console.log(JSON.stringify({ rows: result.written, rowGroups: info.rowGroups }));
