/** runExport: the library form of `longwriter export` — the input's kind decides the path, the target the format. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/errors.js";
import { exportTrl } from "../src/dpo/export-pairs.js";
import { runExport } from "../src/dpo/run-export.js";
import { readRecords } from "../src/io/read-records.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const DATA = join(import.meta.dirname, "..", "..", "shared", "data", "general-sft");
const tmp = makeTmpDir("lw-run-export-");
const lines = (file: string) => readFileSync(file, "utf8").trim().split("\n");

describe("runExport", () => {
  it("a preference file → TRL rows identical to exportTrl over the same pairs", async () => {
    const out = join(tmp, "trl.jsonl");
    const { result, rowsAre } = await runExport({ input: join(DATA, "dpo_en_demo.json"), to: "trl", out });
    expect(rowsAre).toBe("pairs");
    expect(result).toMatchObject({ target: "trl", rows: 300, files: [out] });
    const direct = join(tmp, "trl-direct.jsonl");
    const pairs = (async function* () {
      for await (const { record } of readRecords(join(DATA, "dpo_en_demo.json"), { kind: "preference" })) yield record;
    })();
    await exportTrl({ pairs, out: direct });
    expect(lines(out)).toEqual(lines(direct));
  });

  it("KTO from a feedback file (not pairs): one row per record", async () => {
    const out = join(tmp, "kto.jsonl");
    const { result } = await runExport({ input: join(DATA, "kto_en_demo.json"), to: "kto", out });
    expect(result.rows).toBe((JSON.parse(readFileSync(join(DATA, "kto_en_demo.json"), "utf8")) as unknown[]).length);
    expect(lines(out)).toHaveLength(result.rows);
  });

  it("llama-factory: the dataset name comes from the input unless given, and must be derivable", async () => {
    const outDir = join(tmp, "lf");
    const { result, rowsAre } = await runExport({ input: join(DATA, "dpo_en_demo.json"), to: "llama-factory", out: outDir });
    expect(rowsAre).toBe("pairs");
    expect(Object.keys(JSON.parse(readFileSync(join(outDir, "dataset_info.json"), "utf8")) as object)).toEqual(["dpo_en_demo"]);
    expect(result.rows).toBe(300);
    await expect(runExport({ input: "/...", to: "llama-factory", out: join(tmp, "lf2") })).rejects.toBeInstanceOf(ConfigError);
  });
});
