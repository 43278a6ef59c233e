/**
 * Parquet inputs with the row-level cases a reader must get right, built from the demo data: messages rows
 * in many small row groups and pages with bad rows between them (an unknown role, no turns, an empty turn),
 * duplicates, missing ids and meta; Alpaca rows with CJK text and empty outputs; ShareGPT tool-call rows
 * written by DuckDB (its own page layout); and a file with no rows.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { ColumnSpec } from "../../src/io/column-spec.js";
import { writeParquet } from "../../src/io/parquet-write.js";

const GENERAL = join(process.cwd(), "../shared/data/general-sft");
const EXAMPLES = join(process.cwd(), "examples/data");

const jsonLines = (name: string): Array<Record<string, unknown>> =>
  readFileSync(join(EXAMPLES, name), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** Messages-layout rows with bad ones between, duplicates, ids missing, meta; groups of `groupRows`, 1 KiB pages. */
export async function writeMessyChatParquet(file: string, groupRows = 9): Promise<void> {
  const rows: Array<Record<string, unknown>> = [];
  for (const [i, row] of [...jsonLines("general-chat.jsonl"), ...jsonLines("long-writing.jsonl")].entries()) {
    rows.push({ ...row, id: i % 3 === 0 ? null : row.id, meta: i % 5 === 0 ? { n: i, tag: "x" } : null });
    if (i % 6 === 3) rows.push({ id: `bad-${i}`, messages: [{ role: "narrator", content: "x" }] });
    if (i % 9 === 4) rows.push({ id: `empty-${i}`, messages: [] });
    if (i % 7 === 2)
      rows.push({
        id: `blank-${i}`,
        messages: [
          { role: "user", content: "" },
          { role: "assistant", content: "y" },
        ],
      });
    if (i % 4 === 0) rows.push({ ...row, meta: null });
  }
  const columns: ColumnSpec[] = [
    { name: "id", type: "string", nullable: true },
    { name: "messages", type: "messages" },
    { name: "meta", type: "json", nullable: true },
  ];
  await writeParquet({ file, columns, rows, maxRowGroupRows: groupRows, pageBytes: 1024, threads: 1 });
}

/** Alpaca-layout rows (CJK text), every 17th with an empty output (a bad row), in groups of 40. */
export async function writeAlpacaZhParquet(file: string): Promise<void> {
  const zh = (JSON.parse(readFileSync(join(GENERAL, "alpaca_zh_demo.json"), "utf8")) as Array<Record<string, string>>).slice(0, 200);
  const rows = zh.map((row, i) => ({ instruction: row.instruction, input: row.input ?? "", output: i % 17 === 5 ? "" : row.output }));
  const columns: ColumnSpec[] = ["instruction", "input", "output"].map((name) => ({ name, type: "string" }));
  await writeParquet({ file, columns, rows, maxRowGroupRows: 40, threads: 1 });
}

/** The glaive tool-call demo (ShareGPT layout with a tools column) as DuckDB writes it. */
export async function writeGlaiveParquet(file: string): Promise<void> {
  const db = await DuckDBInstance.create(":memory:");
  const connection = await db.connect();
  try {
    await connection.run(`COPY (SELECT * FROM read_json('${join(GENERAL, "glaive_toolcall_en_demo.json")}')) TO '${file}' (FORMAT parquet)`);
  } finally {
    connection.closeSync();
  }
}

/** A messages-layout file with no rows. */
export async function writeEmptyParquet(file: string): Promise<void> {
  await writeParquet({ file, columns: [{ name: "messages", type: "messages" }], rows: [], threads: 1 });
}
