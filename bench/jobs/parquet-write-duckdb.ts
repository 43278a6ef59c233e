/**
 * @module bench/jobs/parquet-write-duckdb — JSONL → Parquet with DuckDB: read_json with an explicit column
 * type for `messages`, then COPY ... (FORMAT parquet, COMPRESSION <codec>). DuckDB's defaults unless told
 * otherwise: `rowGroupRows` > 0 sets `ROW_GROUP_SIZE` (rows per row group, to match ours), `threads` > 0
 * sets `SET threads`.
 * Args: input.jsonl out.parquet codec [rowGroupRows=0] [threads=0]
 */
import { DuckDBInstance } from "@duckdb/node-api";

const [input, output, codec, rowGroupRows = "0", threads = "0"] = process.argv.slice(2);
const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
const instance = await DuckDBInstance.create(":memory:");
const con = await instance.connect();
if (Number(threads) > 0) await con.run(`SET threads = ${Number(threads)}`);
const rowGroup = Number(rowGroupRows) > 0 ? `, ROW_GROUP_SIZE ${Number(rowGroupRows)}` : "";
await con.run(
  `COPY (SELECT * FROM read_json(${quote(input!)}, format = 'newline_delimited', maximum_object_size = 1073741824,
     columns = {messages: 'STRUCT(role VARCHAR, content VARCHAR)[]', id: 'VARCHAR', source: 'VARCHAR'}))
   TO ${quote(output!)} (FORMAT parquet, COMPRESSION ${codec!.toLowerCase()}${rowGroup})`,
);
const meta = (
  await con.runAndReadAll(
    `SELECT count(DISTINCT row_group_id)::INT AS groups, max(row_group_num_rows)::BIGINT AS biggest FROM parquet_metadata(${quote(output!)})`,
  )
).getRowObjectsJson()[0] as { groups: number };
const rows = (await con.runAndReadAll(`SELECT count(*)::BIGINT AS n FROM ${quote(output!)}`)).getRowObjectsJson()[0] as { n: string };
con.closeSync();
instance.closeSync();
console.log(JSON.stringify({ rows: Number(rows.n), rowGroups: meta.groups }));
