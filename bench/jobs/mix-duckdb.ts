/**
 * @module bench/jobs/mix-duckdb — the same sample-shuffle-write in DuckDB SQL: every long row plus a
 * reservoir sample (REPEATABLE seed) of `sample` general rows, ordered by a seeded hash, one COPY to
 * SNAPPY Parquet. DuckDB's default settings (all cores, in-memory database).
 * Args: long.jsonl general.jsonl sample out.parquet
 */
import { DuckDBInstance } from "@duckdb/node-api";

const [long, general, sample, output] = process.argv.slice(2);
const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
const read = (file: string) =>
  `read_json(${quote(file)}, format = 'newline_delimited', maximum_object_size = 1073741824,
     columns = {messages: 'STRUCT(role VARCHAR, content VARCHAR)[]', id: 'VARCHAR'})`;
const instance = await DuckDBInstance.create(":memory:");
const con = await instance.connect();
await con.run(
  `COPY (
     SELECT messages, id, source FROM (
       SELECT messages, id, 'long' AS source FROM ${read(long!)}
       UNION ALL
       SELECT messages, id, 'general' AS source FROM (SELECT * FROM ${read(general!)} USING SAMPLE reservoir(${Number(sample)} ROWS) REPEATABLE (42))
     ) ORDER BY hash(source || id || '42')
   ) TO ${quote(output!)} (FORMAT parquet, COMPRESSION snappy)`,
);
const rows = (await con.runAndReadAll(`SELECT count(*)::BIGINT AS n FROM ${quote(output!)}`)).getRowObjectsJson()[0] as { n: string };
con.closeSync();
instance.closeSync();
console.log(JSON.stringify({ rows: Number(rows.n) }));
