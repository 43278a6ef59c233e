/**
 * @module bench/jobs/parquet-write-ours — JSONL → Parquet with our streaming writer (readJsonl → writeParquet).
 * Args: input.jsonl out.parquet codec [threads=0 (all cores)]
 */
import { readJsonl } from "../../src/io/jsonl.js";
import type { ColumnSpec } from "../../src/io/column-spec.js";
import { parseParquetCodec } from "../../src/io/parquet-codecs.js";
import { writeParquet } from "../../src/io/parquet-write.js";

const [input, output, codec, threads = "0"] = process.argv.slice(2);
const columns: ColumnSpec[] = [
  { name: "messages", type: "messages" },
  { name: "id", type: "string" },
  { name: "source", type: "string", nullable: true },
];
async function* rows() {
  for await (const { record } of readJsonl<Record<string, unknown>>(input!)) yield record;
}
const info = await writeParquet({
  file: output!,
  columns,
  rows: rows(),
  codec: parseParquetCodec(codec!),
  ...(Number(threads) > 0 ? { threads: Number(threads) } : {}),
});
console.log(JSON.stringify({ rows: info.rows, bytes: info.bytes, rowGroups: info.rowGroups }));
