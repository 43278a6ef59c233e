/**
 * @module bench/jobs/mix-duckdb — the same sample-shuffle-write in DuckDB SQL: every long row plus a
 * reservoir sample (REPEATABLE seed) of `sample` general rows, ordered by a seeded hash, one COPY to
 * Parquet. In-memory database, DuckDB's defaults unless told otherwise: `rowGroupRows` > 0 sets
 * `ROW_GROUP_SIZE` (rows per row group, to match ours; DuckDB's default is 122,880 rows per group, and
 * `ROW_GROUP_SIZE_BYTES` is ignored under ORDER BY), `threads` > 0 sets `SET threads`.
 * A source ending in `.parquet` is read with `read_parquet` (columns messages, id).
 * Args: long.jsonl general.jsonl sample out.parquet [rowGroupRows=0] [threads=0] [codec=snappy]
 * Prints { rows, rowGroups }. Plain JavaScript on plain node, like mix-ours.mjs (no tsx; see lib/measure).
 */
import { DuckDBInstance } from "@duckdb/node-api";

const [long, general, sample, output, rowGroupRows = "0", threads = "0", codec = "snappy"] = process.argv.slice(2);
/** @param {string} s */
const quote = (s) => `'${s.replace(/'/g, "''")}'`;
/** @param {string} file */
const read = (file) =>
  file.endsWith(".parquet")
    ? `read_parquet(${quote(file)})`
    : `read_json(${quote(file)}, format = 'newline_delimited', maximum_object_size = 1073741824,
     columns = {messages: 'STRUCT(role VARCHAR, content VARCHAR)[]', id: 'VARCHAR'})`;
const instance = await DuckDBInstance.create(":memory:");
const con = await instance.connect();
if (Number(threads) > 0) await con.run(`SET threads = ${Number(threads)}`);
const rowGroup = Number(rowGroupRows) > 0 ? `, ROW_GROUP_SIZE ${Number(rowGroupRows)}` : "";
await con.run(
  `COPY (
     SELECT messages, id, source FROM (
       SELECT messages, id, 'long' AS source FROM ${read(long)}
       UNION ALL
       SELECT messages, id, 'general' AS source FROM (SELECT * FROM ${read(general)} USING SAMPLE reservoir(${Number(sample)} ROWS) REPEATABLE (42))
     ) ORDER BY hash(source || id || '42')
   ) TO ${quote(output)} (FORMAT parquet, COMPRESSION ${codec.toLowerCase()}${rowGroup})`,
);
const meta = (
  await con.runAndReadAll(`SELECT count(DISTINCT row_group_id)::INT AS groups FROM parquet_metadata(${quote(output)})`)
).getRowObjectsJson()[0];
const rows = (await con.runAndReadAll(`SELECT count(*)::BIGINT AS n FROM ${quote(output)}`)).getRowObjectsJson()[0];
con.closeSync();
instance.closeSync();
console.log(JSON.stringify({ rows: Number(rows.n), rowGroups: meta.groups }));
