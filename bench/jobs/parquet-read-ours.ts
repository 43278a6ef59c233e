/** @module bench/jobs/parquet-read-ours — reads a Parquet file into JS rows with readParquet (one row group at a time). */
import { readParquet } from "../../src/io/parquet-read.js";

let rows = 0;
let chars = 0;
for await (const { record } of readParquet(process.argv[2]!)) {
  rows += 1;
  for (const m of record.messages as Array<{ content: string }>) chars += m.content.length;
}
console.log(JSON.stringify({ rows, chars }));
