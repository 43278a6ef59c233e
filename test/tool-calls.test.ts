/**
 * Tool-call conversations end to end on LLaMA-Factory's glaive demo (300 rows, 153 with function_call /
 * observation turns): convert → Parquet (checked with DuckDB) → read back equal, → ShareGPT and back, a
 * mix with glaive and plain sources, and plain data keeping the plain SFT columns.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { convertFile } from "../src/io/adapters/convert-file.js";
import { SFT_COLUMNS, SFT_TOOL_COLUMNS } from "../src/io/column-spec.js";
import { readDatasetDir } from "../src/io/dataset-dir.js";
import { readParquetInfo } from "../src/io/parquet-read.js";
import { readRecords } from "../src/io/read-records.js";
import { writeRecords } from "../src/io/write-records.js";
import { mixDatasets } from "../src/mix/mix-datasets.js";
import type { SftRecord } from "../src/schemas/sft-record.js";
import { runCli } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const GENERAL = join(process.cwd(), "../shared/data/general-sft");
const GLAIVE = join(GENERAL, "glaive_toolcall_en_demo.json");
const tmp = makeTmpDir("lw-tools-");

let instance: DuckDBInstance;
let con: DuckDBConnection;
let glaive: SftRecord[];

async function records(path: string): Promise<SftRecord[]> {
  const out: SftRecord[] = [];
  for await (const { record } of readRecords(path, { kind: "sft" })) out.push(record as SftRecord);
  return out;
}

async function query(sql: string): Promise<Array<Record<string, unknown>>> {
  return (await con.runAndReadAll(sql)).getRowObjectsJson() as Array<Record<string, unknown>>;
}

beforeAll(async () => {
  instance = await DuckDBInstance.create(":memory:");
  con = await instance.connect();
  glaive = await records(GLAIVE);
});
afterAll(() => {
  con?.closeSync();
  instance?.closeSync();
});

describe("tool-call conversations", () => {
  it("glaive: 300/300 rows convert to Parquet, DuckDB sees the calls, and they read back equal", async () => {
    expect(glaive).toHaveLength(300);
    const out = join(tmp, "glaive.parquet");
    const result = await convertFile({ input: GLAIVE, output: out });
    expect(result).toMatchObject({ read: 300, written: 300, skipped: 0, outputFormat: "messages" });
    expect((await readParquetInfo(out)).columns).toEqual(SFT_TOOL_COLUMNS.map(({ name, type, nullable }) => ({ name, type, nullable: !!nullable })));

    const columns = await query(`DESCRIBE SELECT * FROM read_parquet('${out}')`);
    expect(columns.map((c) => c.column_name)).toEqual(["messages", "tools", "id", "source", "meta"]);
    expect(columns[0]!.column_type).toBe(
      'STRUCT("role" VARCHAR, "content" VARCHAR, tool_calls STRUCT(id VARCHAR, "type" VARCHAR, "function" STRUCT("name" VARCHAR, arguments VARCHAR))[], tool_call_id VARCHAR, "name" VARCHAR)[]',
    );
    const [counts] = await query(
      `SELECT count(*)::INT AS rows, count(tools)::INT AS with_tools,
              sum(len(list_filter(messages, m -> m.tool_calls IS NOT NULL)))::INT AS calls,
              sum(len(list_filter(messages, m -> m.role = 'tool')))::INT AS results
       FROM read_parquet('${out}')`,
    );
    const expectedCalls = glaive.flatMap((r) => r.messages.filter((m) => m.tool_calls !== undefined)).length;
    expect(counts).toEqual({ rows: 300, with_tools: 191, calls: expectedCalls, results: expectedCalls });
    // the first call as DuckDB reads it: name and JSON arguments
    const [first] = await query(
      `SELECT messages[4].tool_calls[1].function.name AS name, messages[4].tool_calls[1].function.arguments AS args FROM read_parquet('${out}') LIMIT 1`,
    );
    expect(first).toEqual({ name: "search_recipes", args: '{"ingredients":["chicken","bell peppers","rice"]}' });

    expect(await records(out)).toEqual(glaive);
  });

  it("glaive → ShareGPT (LLaMA-Factory function_call / observation + tools) → canonical is unchanged", async () => {
    const out = join(tmp, "glaive-sharegpt.json");
    await convertFile({ input: GLAIVE, output: out, to: "sharegpt" });
    const written = JSON.parse(readFileSync(out, "utf8")) as Array<{ conversations: Array<{ from: string; value: string }>; tools?: string }>;
    const froms = new Set(written.flatMap((r) => r.conversations.map((t) => t.from)));
    expect([...froms].sort()).toEqual(["function_call", "gpt", "human", "observation"]);
    expect(JSON.parse(written[0]!.tools!)[0]).toMatchObject({ name: "search_recipes", parameters: { type: "object" } });
    expect(await records(out)).toEqual(glaive);
    // JSONL in the messages layout too
    const jsonl = join(tmp, "glaive.jsonl");
    await convertFile({ input: out, output: jsonl });
    expect(await records(jsonl)).toEqual(glaive);
  });

  it("plain SFT data keeps the plain columns; a tool row written without the tool columns fails instead of losing its calls", async () => {
    const out = join(tmp, "alpaca.parquet");
    await convertFile({ input: join(GENERAL, "identity.json"), output: out });
    const info = await readParquetInfo(out);
    expect(info.columns).toEqual(SFT_COLUMNS.map(({ name, type, nullable }) => ({ name, type, nullable: !!nullable })));
    const [described] = await query(`SELECT column_type FROM (DESCRIBE SELECT * FROM read_parquet('${out}')) WHERE column_name = 'messages'`);
    expect(described!.column_type).toBe('STRUCT("role" VARCHAR, "content" VARCHAR)[]');

    const toolRow = glaive.find((r) => r.messages.some((m) => m.role === "tool"))!;
    const stream = async function* () {
      yield toolRow;
    };
    await expect(writeRecords(join(tmp, "lost.parquet"), stream())).rejects.toThrow(/row 1 has tool calls or tools/);
    // an array is checked up front, and the tool option chooses the columns for a stream
    await writeRecords(join(tmp, "array.parquet"), [toolRow]);
    await writeRecords(join(tmp, "stream.parquet"), stream(), { tools: true });
    expect(await records(join(tmp, "array.parquet"))).toEqual([toolRow]);
    expect(await records(join(tmp, "stream.parquet"))).toEqual([toolRow]);
  });

  it("mix with glaive and plain sources: tool rows keep their calls, plain rows get a null tools cell; JSONL output too", async () => {
    const recipe = join(tmp, "tools-recipe.yaml");
    writeFileSync(
      recipe,
      [
        "name: tools-mix",
        "seed: 5",
        "sources:",
        `  - { source: glaive, path: ${GLAIVE}, amount: { count: 120 } }`,
        `  - { source: identity, path: ${join(GENERAL, "identity.json")}, amount: { count: 30 } }`,
        "filters: { roles: true }",
        "dedup: { exact: true }",
        "splits: { test: 0.1 }",
        "",
      ].join("\n"),
    );
    const byId = new Map(glaive.map((r) => [r.id, r]));
    for (const format of ["parquet", "jsonl"] as const) {
      const outDir = join(tmp, `mix-${format}`);
      const { manifest } = await mixDatasets({ recipePath: recipe, outDir, format });
      const glaiveSource = manifest.sources.find((s) => s.source === "glaive")!;
      expect(glaiveSource.input).toBe(300);
      expect(glaiveSource.dropped.invalid).toBeUndefined();
      const dataset = await readDatasetDir(outDir);
      let toolRows = 0;
      let plainRows = 0;
      for (const split of ["train", "test"]) {
        for await (const { record } of dataset.rows<Record<string, unknown>>(split)) {
          const original = byId.get((record.id as string).replace(/#copy\d+$/, ""));
          if (record.source === "glaive") {
            expect(original).toBeDefined();
            expect(record.messages).toEqual(original!.messages);
            expect(record.tools ?? undefined).toEqual(original!.tools);
            if (original!.messages.some((m) => m.tool_calls)) toolRows += 1;
          } else {
            expect(record.tools).toBeNull();
            plainRows += 1;
          }
        }
      }
      expect(toolRows).toBeGreaterThan(20);
      expect(plainRows).toBe(30);
      if (format === "parquet") {
        const file = join(outDir, "data/train-00000-of-00001.parquet");
        const [row] = await query(`SELECT count(*)::INT AS n, count(tools)::INT AS t FROM read_parquet('${file}') WHERE source = 'identity'`);
        expect(row).toMatchObject({ t: 0 });
        const card = readFileSync(join(outDir, "README.md"), "utf8");
        expect(card).toContain("`tools`");
      }
    }
  });

  it("export --to llama-factory writes SFT tool calls as LLaMA-Factory ShareGPT with a dataset_info entry naming tools", async () => {
    const out = join(tmp, "llama-factory");
    const exported = await runCli(["export", GLAIVE, "--to", "llama-factory", "--out", out, "--name", "glaive_tools"]);
    expect(exported.stderr).toBe("");
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain("exported 300 records as llama-factory");
    const info = JSON.parse(readFileSync(join(out, "dataset_info.json"), "utf8")) as Record<string, unknown>;
    expect(info.glaive_tools).toEqual({ file_name: "glaive_tools.json", formatting: "sharegpt", columns: { messages: "conversations", tools: "tools" } });
    const rows = JSON.parse(readFileSync(join(out, "glaive_tools.json"), "utf8")) as Array<{ conversations: Array<{ from: string }>; tools?: string }>;
    expect(rows).toHaveLength(300);
    // LLaMA-Factory's sharegpt rule: human/observation on even positions, gpt/function_call on odd ones
    for (const row of rows) {
      row.conversations.forEach((turn, i) => expect(i % 2 === 0 ? ["human", "observation"] : ["gpt", "function_call"]).toContain(turn.from));
      if (row.tools !== undefined) expect(Array.isArray(JSON.parse(row.tools))).toBe(true);
    }
    expect(await records(join(out, "glaive_tools.json"))).toEqual(glaive);
  });
});
