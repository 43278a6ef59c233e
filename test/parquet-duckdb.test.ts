/**
 * DuckDB as an independent Parquet reader: our files must read back there with the `messages` type that
 * `datasets` writes, and DuckDB's files must read back through ours.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SFT_COLUMNS, type ColumnSpec } from "../src/io/column-spec.js";
import { readParquet } from "../src/io/parquet-read.js";
import { writeParquet } from "../src/io/parquet-write.js";
import { countWords } from "../src/text/count-words.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const DATA = join(import.meta.dirname, "..", "..", "shared", "data", "general-sft");
const MESSAGES_TYPE = 'STRUCT("role" VARCHAR, "content" VARCHAR)[]';
const dir = makeTmpDir("lw-duckdb-");

interface AlpacaRow {
  instruction: string;
  input: string;
  output: string;
  system?: string;
}

/** A tiny local Alpaca → SFT mapping (the real adapters live in src/io/adapters). */
function alpacaToSft(row: AlpacaRow, index: number, source: string) {
  const user = row.input ? `${row.instruction}\n\n${row.input}` : row.instruction;
  const messages = [
    ...(row.system ? [{ role: "system", content: row.system }] : []),
    { role: "user", content: user },
    { role: "assistant", content: row.output },
  ];
  return { messages, id: `${source}-${index}`, source, meta: index % 2 === 0 ? { index, lang: source.slice(-2) } : null };
}

/** 1,000 real rows: all 999 of alpaca_en_demo plus the first of alpaca_zh_demo. */
function realRows() {
  const en = JSON.parse(readFileSync(join(DATA, "alpaca_en_demo.json"), "utf8")) as AlpacaRow[];
  const zh = JSON.parse(readFileSync(join(DATA, "alpaca_zh_demo.json"), "utf8")) as AlpacaRow[];
  const rows = [...en.map((r, i) => alpacaToSft(r, i, "alpaca_en")), ...zh.slice(0, 1000 - en.length).map((r, i) => alpacaToSft(r, i, "alpaca_zh"))];
  expect(rows.length).toBe(1000);
  return rows;
}

/** A deterministic ~30,000-word answer mixing English words and Chinese characters. */
function longAnswer(words: number): string {
  const vocab = ["long", "output", "writing", "plan", "section", "paragraph", "model", "data", "写", "作", "长", "文"];
  const parts: string[] = [];
  let state = 7;
  for (let i = 0; i < words; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    parts.push(vocab[state % vocab.length]!);
    if (i % 50 === 49) parts.push(".\n\n");
  }
  return parts.join(" ");
}

let instance: DuckDBInstance;
let con: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  con = await instance.connect();
});
afterAll(() => {
  con?.closeSync();
  instance?.closeSync();
});

async function query(sql: string): Promise<Array<Record<string, unknown>>> {
  return (await con.runAndReadAll(sql)).getRowObjectsJson() as Array<Record<string, unknown>>;
}

function fromDuck(row: Record<string, unknown>) {
  return { ...row, meta: row.meta === null ? null : JSON.parse(row.meta as string) };
}

describe("DuckDB reads our Parquet", () => {
  it("sees messages as a list of STRUCT(role, content) in the standard 3-level LIST layout", async () => {
    const file = join(dir, "schema.parquet");
    await writeParquet({ file, columns: SFT_COLUMNS, rows: realRows().slice(0, 10) });
    const described = await query(`DESCRIBE SELECT * FROM '${file}'`);
    expect(described.map((r) => [r.column_name, r.column_type])).toEqual([
      ["messages", MESSAGES_TYPE],
      ["id", "VARCHAR"],
      ["source", "VARCHAR"],
      ["meta", "VARCHAR"],
    ]);
    const schema = await query(`SELECT name, repetition_type, converted_type, logical_type FROM parquet_schema('${file}')`);
    const byName = (name: string) => schema.find((r) => r.name === name)!;
    expect(byName("messages").converted_type).toBe("LIST");
    expect(String(byName("messages").logical_type)).toMatch(/List/i);
    expect(byName("list").repetition_type).toBe("REPEATED");
    expect(byName("element").repetition_type).toBe("OPTIONAL");
    expect(schema.map((r) => r.name)).toEqual(["root", "messages", "list", "element", "role", "content", "id", "source", "meta"]);
  });

  it("round-trips 1,000 real rows (SNAPPY, several row groups) in DuckDB and in our reader", async () => {
    const rows = realRows();
    const file = join(dir, "real.parquet");
    const info = await writeParquet({ file, columns: SFT_COLUMNS, rows, rowGroupBytes: 200_000 });
    expect(info.rowGroups).toBeGreaterThan(1);
    const duck = await query(`SELECT * FROM '${file}'`);
    expect(duck.length).toBe(1000);
    expect(duck.map(fromDuck)).toEqual(rows);
    const [groups] = await query(`SELECT count(DISTINCT row_group_id)::INT AS n FROM parquet_metadata('${file}')`);
    expect(groups!.n).toBe(info.rowGroups);
    const ours = [];
    for await (const { record } of readParquet(file)) ours.push(record);
    expect(ours).toEqual(rows);
  });

  it("round-trips a 30,000-word row, and a ZSTD file", async () => {
    const answer = longAnswer(30_000);
    expect(countWords(answer)).toBeGreaterThanOrEqual(30_000);
    const rows = [
      {
        messages: [
          { role: "user", content: "Write a 30000-word novel." },
          { role: "assistant", content: answer },
        ],
        id: "long",
        source: null,
        meta: null,
      },
      ...realRows().slice(0, 20),
    ];
    for (const codec of ["ZSTD", "GZIP"] as const) {
      const file = join(dir, `long-${codec}.parquet`);
      await writeParquet({ file, columns: SFT_COLUMNS, rows, codec });
      const [codecRow] = await query(`SELECT DISTINCT compression FROM parquet_metadata('${file}')`);
      expect(codecRow!.compression).toBe(codec);
      const duck = await query(`SELECT * FROM '${file}'`);
      expect(duck.map(fromDuck)).toEqual(rows);
      const [stats] = await query(`SELECT length(messages[2].content)::BIGINT AS chars FROM '${file}' WHERE id = 'long'`);
      expect(Number(stats!.chars)).toBe(answer.length);
    }
  });

  it("reads preference-pair columns (three message lists + doubles)", async () => {
    const columns: ColumnSpec[] = [
      { name: "prompt", type: "messages" },
      { name: "chosen", type: "messages" },
      { name: "rejected", type: "messages" },
      { name: "score_chosen", type: "double" },
      { name: "score_rejected", type: "double" },
      { name: "reason", type: "string", nullable: true },
    ];
    const file = join(dir, "dpo.parquet");
    const rows = [
      {
        prompt: [{ role: "user", content: "p" }],
        chosen: [{ role: "assistant", content: "c" }],
        rejected: [{ role: "assistant", content: "r" }],
        score_chosen: 88.5,
        score_rejected: 12,
        reason: null,
      },
    ];
    await writeParquet({ file, columns, rows });
    const described = await query(`DESCRIBE SELECT * FROM '${file}'`);
    expect(described.map((r) => r.column_type)).toEqual([MESSAGES_TYPE, MESSAGES_TYPE, MESSAGES_TYPE, "DOUBLE", "DOUBLE", "VARCHAR"]);
    expect(await query(`SELECT * FROM '${file}'`)).toEqual(rows);
  });
});

describe("our reader reads DuckDB's Parquet", () => {
  it("decodes a DuckDB-written ZSTD and SNAPPY file with messages", async () => {
    for (const codec of ["zstd", "snappy"]) {
      const file = join(dir, `from-duckdb-${codec}.parquet`);
      await con.run(`COPY (SELECT [{'role': 'user', 'content': 'q' || i}, {'role': 'assistant', 'content': repeat('答', i)}] AS messages,
        'd' || i AS id, i::BIGINT AS n FROM range(1, 301) t(i)) TO '${file}' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE 2048)`);
      const rows = [];
      for await (const { line, record } of readParquet(file)) rows.push({ line, record });
      expect(rows.length).toBe(300);
      expect(rows[299]).toEqual({
        line: 300,
        record: {
          messages: [
            { role: "user", content: "q300" },
            { role: "assistant", content: "答".repeat(300) },
          ],
          id: "d300",
          n: 300,
        },
      });
    }
  });
});
