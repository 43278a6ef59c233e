import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import { ConfigError, ToolkitError } from "../errors.js";
import type { PreferencePair } from "../schemas/preference-pair.js";
import type { SftRecord } from "../schemas/sft-record.js";
import type { CanonicalRecord } from "./adapters/format.js";
import { readParquetInfo } from "./parquet-read.js";
import { readRawRecords, readRecords } from "./read-records.js";
import { writeRecords } from "./write-records.js";
import { collect } from "../../test/helpers/collect.js";

const dir = makeTmpDir();
const DATA = fileURLToPath(new URL("../../../shared/data/general-sft/", import.meta.url));

async function records(path: string): Promise<CanonicalRecord[]> {
  return (await collect(readRecords(path))).map((r) => r.record);
}

const sft: SftRecord[] = [
  {
    id: "a",
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: "写一首诗" },
      { role: "assistant", content: "床前明月光" },
    ],
    source: "s",
    meta: { k: [1, 2] },
  },
  {
    id: "b",
    messages: [
      { role: "user", content: "Q1" },
      { role: "assistant", content: "A1" },
      { role: "user", content: "Q2" },
      { role: "assistant", content: "A2" },
    ],
  },
];
const pairs: PreferencePair[] = [
  {
    id: "p1",
    prompt: [
      { role: "system", content: "S" },
      { role: "user", content: "Write 500 words." },
    ],
    chosen: [{ role: "assistant", content: "long answer" }],
    rejected: [{ role: "assistant", content: "short" }],
    score_chosen: 90,
    score_rejected: 40.5,
    signals: { length: { chosen: 95, rejected: null } },
    reason: "margin 49.5",
  },
  {
    id: "p2",
    prompt: [{ role: "user", content: "Hi" }],
    chosen: [{ role: "assistant", content: "Hello!" }],
    rejected: [{ role: "assistant", content: "Go away." }],
    score_chosen: null,
    score_rejected: null,
  },
];

describe("writeRecords / readRecords round trips", () => {
  it.each([
    ["sft.jsonl", "messages"],
    ["sft.json", "sharegpt"],
    ["sft-alpaca.jsonl", "alpaca"],
    ["sft.parquet", "messages"],
  ] as const)("SFT records through %s as %s", async (name, to) => {
    const path = join(dir, name);
    expect(await writeRecords(path, sft, { to })).toEqual({ file: path, format: to, written: 2 });
    expect(await records(path)).toEqual(sft);
  });

  it.each([
    ["pairs.jsonl", "trl"],
    ["pairs.json", "sharegpt-preference"],
    ["pairs-uf.jsonl", "ultrafeedback"],
    ["pairs.parquet", "trl"],
    ["pairs-uf.parquet", "ultrafeedback"],
  ] as const)("preference pairs through %s as %s", async (name, to) => {
    const path = join(dir, name);
    await writeRecords(path, pairs, { to });
    expect(await records(path)).toEqual(pairs);
  });

  it("defaults to the canonical layout and writes Parquet columns of the right types", async () => {
    const path = join(dir, "default.parquet");
    expect((await writeRecords(path, pairs)).format).toBe("trl");
    const info = await readParquetInfo(path);
    expect(info.columns.map((c) => [c.name, c.type])).toEqual([
      ["prompt", "messages"],
      ["chosen", "messages"],
      ["rejected", "messages"],
      ["id", "string"],
      ["score_chosen", "double"],
      ["score_rejected", "double"],
      ["signals", "json"],
      ["reason", "string"],
      ["source", "string"],
      ["meta", "json"],
    ]);
    expect((await writeRecords(join(dir, "default.jsonl"), sft)).format).toBe("messages");
  });

  it("writes TRL pairs that DuckDB reads as lists of STRUCT(role, content) with the same values", async () => {
    const path = join(dir, "duck-trl.parquet");
    await writeRecords(path, pairs, { to: "trl" });
    const instance = await DuckDBInstance.create(":memory:");
    const con = await instance.connect();
    try {
      const query = async (sql: string) => (await con.runAndReadAll(sql)).getRowObjectsJson() as Array<Record<string, unknown>>;
      const described = await query(`DESCRIBE SELECT * FROM '${path}'`);
      const types = Object.fromEntries(described.map((r) => [r.column_name, r.column_type]));
      expect(types).toMatchObject({ prompt: 'STRUCT("role" VARCHAR, "content" VARCHAR)[]', score_chosen: "DOUBLE", signals: "VARCHAR" });
      expect(types.chosen).toBe(types.prompt);
      const rows = await query(`SELECT id, prompt, chosen, rejected, score_chosen, score_rejected FROM '${path}' ORDER BY id`);
      expect(rows).toEqual(
        pairs.map(({ id, prompt, chosen, rejected, score_chosen, score_rejected }) => ({ id, prompt, chosen, rejected, score_chosen, score_rejected })),
      );
    } finally {
      con.closeSync();
      instance.closeSync();
    }
  });

  it("writes a JSON array whose element lines the reader reports", async () => {
    const path = join(dir, "lines.json");
    await writeRecords(path, sft, { to: "alpaca" });
    const text = readFileSync(path, "utf8");
    expect(text.startsWith('[\n  {\n    "id": "a",\n    "instruction": "写一首诗"')).toBe(true);
    const starts = text.split("\n").flatMap((line, i) => (line === "  {" ? [i + 1] : []));
    expect(starts).toHaveLength(2);
    expect((await collect(readRawRecords(path))).map((r) => r.line)).toEqual(starts);
  });

  it("reads a dataset dir's Parquet files in path order", async () => {
    const root = join(dir, "dataset");
    mkdirSync(join(root, "data"), { recursive: true });
    await writeRecords(join(root, "data", "train-00001-of-00002.parquet"), [sft[1]!]);
    await writeRecords(join(root, "data", "train-00000-of-00002.parquet"), [sft[0]!]);
    const rows = await collect(readRecords(root, { kind: "sft" }));
    expect(rows.map((r) => [r.record.id, r.line, r.file.endsWith("00000-of-00002.parquet")])).toEqual([
      ["a", 1, true],
      ["b", 1, false],
    ]);
  });

  it("refuses records of the wrong kind and formats Parquet cannot hold, leaving nothing behind", async () => {
    const out = join(dir, "refuse");
    mkdirSync(out);
    await expect(writeRecords(join(out, "x.jsonl"), [sft[0]!, pairs[0]!] as CanonicalRecord[])).rejects.toThrow(
      'record p1 is a preference pair; format "messages" holds sft records',
    );
    await expect(writeRecords(join(out, "x.parquet"), sft, { to: "alpaca" })).rejects.toBeInstanceOf(ConfigError);
    await expect(writeRecords(join(out, "x.csv"), sft)).rejects.toThrow(/unsupported output type "\.csv"/);
    const multi: PreferencePair = {
      ...pairs[1]!,
      chosen: [
        { role: "assistant", content: "a" },
        { role: "user", content: "b" },
        { role: "assistant", content: "c" },
      ],
    };
    await expect(writeRecords(join(out, "x.json"), [multi], { to: "sharegpt-preference" })).rejects.toBeInstanceOf(ToolkitError);
    expect(readdirSync(out)).toEqual([]);
  });

  it("converts a real demo file to Parquet and back without loss", async () => {
    const input = await records(DATA + "alpaca_zh_demo.json");
    const path = join(dir, "alpaca_zh.parquet");
    await writeRecords(path, input);
    expect(await records(path)).toEqual(input);
    expect(existsSync(path)).toBe(true);
  });
});
