/**
 * @module bench/jobs/parquet-write-convert — JSONL → Parquet the way `longwriter convert` does it
 * (`convertFile`: detect the format, then reader threads turn ranges of the input into row groups), so the
 * bench shows the command's cost beside the bare writer's. Runs the built library (see lib/built).
 * Args: input.jsonl out.parquet codec [threads=0 (all cores)]
 */
import { importBuilt } from "../lib/built.js";

const { convertFile } = await importBuilt<typeof import("../../src/io/adapters/convert-file.js")>("io/adapters/convert-file");
const { readParquetInfo } = await importBuilt<typeof import("../../src/io/parquet-read.js")>("io/parquet-read");
const { parseParquetCodec } = await importBuilt<typeof import("../../src/io/parquet-codecs.js")>("io/parquet-codecs");

const [input, output, codec, threads = "0"] = process.argv.slice(2);
const result = await convertFile({
  input: input!,
  output: output!,
  codec: parseParquetCodec(codec!),
  ...(Number(threads) > 0 ? { threads: Number(threads) } : {}),
});
const info = await readParquetInfo(output!);
console.log(JSON.stringify({ rows: result.written, rowGroups: info.rowGroups }));
