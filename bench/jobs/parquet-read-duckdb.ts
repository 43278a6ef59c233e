/** @module bench/jobs/parquet-read-duckdb — reads a Parquet file into JS row objects with DuckDB, streamed chunk by chunk. */
import { DuckDBInstance } from "@duckdb/node-api";

const instance = await DuckDBInstance.create(":memory:");
const con = await instance.connect();
const result = await con.stream(`SELECT * FROM '${process.argv[2]!.replace(/'/g, "''")}'`);
let rows = 0;
let chars = 0;
for await (const batch of result.yieldRowObjectJs()) {
  for (const row of batch) {
    rows += 1;
    for (const m of row.messages as Array<{ content: string }>) chars += m.content.length;
  }
}
con.closeSync();
instance.closeSync();
console.log(JSON.stringify({ rows, chars }));
