/**
 * Trainer formats beyond DPO: KTO rows (TRL's documented unpaired columns prompt / completion / label)
 * from pairs and from kto_en_demo.json-style feedback, ORPO/SimPO rows identical to TRL's DPO rows, and
 * the warning for multi-turn prompts in OpenAI's one-turn preference format.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ktoRowProblems } from "../src/dpo/export-kto.js";
import { exportKto, exportOpenAiDpo, exportTrl } from "../src/dpo/export-pairs.js";
import { readRecords } from "../src/io/read-records.js";
import type { PreferencePair } from "../src/schemas/preference-pair.js";
import { runCli } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const DATA = join(import.meta.dirname, "..", "..", "shared", "data", "general-sft");
const tmp = makeTmpDir("lw-kto-");

function jsonl(file: string): Array<Record<string, unknown>> {
  return readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function demoPairs(): Promise<PreferencePair[]> {
  const pairs: PreferencePair[] = [];
  for await (const { record } of readRecords(join(DATA, "dpo_en_demo.json"), { kind: "preference" })) pairs.push(record);
  return pairs;
}

describe("KTO, ORPO and SimPO exports", () => {
  it("KTO from pairs: two rows per pair (chosen true, rejected false), each valid for TRL's KTO columns", async () => {
    const pairs = await demoPairs();
    const out = join(tmp, "kto-pairs.jsonl");
    const result = await exportKto({ pairs, out });
    const rows = jsonl(out);
    expect(result.rows).toBe(600);
    expect(rows).toHaveLength(600);
    for (const row of rows) expect(ktoRowProblems(row)).toEqual([]);
    expect(rows.filter((r) => r.label === true)).toHaveLength(300);
    expect(rows[0]).toEqual({ prompt: pairs[0]!.prompt, completion: pairs[0]!.chosen, label: true });
    expect(rows[1]).toEqual({ prompt: pairs[0]!.prompt, completion: pairs[0]!.rejected, label: false });
  });

  it("KTO from kto_en_demo.json feedback: 300/300 rows, labels kept, the last turn is the completion", async () => {
    const out = join(tmp, "kto-feedback.jsonl");
    const cli = await runCli(["export", join(DATA, "kto_en_demo.json"), "--to", "kto", "--out", out]);
    expect(cli.code).toBe(0);
    const source = JSON.parse(readFileSync(join(DATA, "kto_en_demo.json"), "utf8")) as Array<{ messages: Array<{ role: string; content: string }>; label: boolean }>;
    const rows = jsonl(out);
    expect(rows).toHaveLength(300);
    rows.forEach((row, i) => {
      expect(ktoRowProblems(row)).toEqual([]);
      expect(row.label).toBe(source[i]!.label);
      expect(row.completion).toEqual([source[i]!.messages.at(-1)]);
      expect(row.prompt).toEqual(source[i]!.messages.slice(0, -1));
    });
  });

  it("the checker rejects what KTOTrainer would not take", () => {
    expect(ktoRowProblems({ prompt: "q", completion: "a", label: 1 })).toContain("label must be a boolean");
    expect(ktoRowProblems({ prompt: [{ role: "user", content: "q" }], completion: "a", label: true })[0]).toMatch(/conversational completion/);
    expect(ktoRowProblems({ prompt: "q", completion: "a", label: true, chosen: "x" })[0]).toMatch(/columns must be prompt, completion, label/);
  });

  it("ORPO and SimPO rows are TRL's DPO rows", async () => {
    const pairs = await demoPairs();
    await exportTrl({ pairs, out: join(tmp, "dpo.jsonl") });
    const orpo = await exportTrl({ pairs, out: join(tmp, "orpo.jsonl"), target: "orpo" });
    expect(orpo.target).toBe("orpo");
    expect(readFileSync(join(tmp, "orpo.jsonl"), "utf8")).toBe(readFileSync(join(tmp, "dpo.jsonl"), "utf8"));
  });

  it("warns when OpenAI's one-turn preference format gets multi-turn prompts", async () => {
    const pairs = await demoPairs();
    const multi = pairs.filter((p) => p.prompt.some((m) => m.role === "assistant")).length;
    expect(multi).toBeGreaterThan(0);
    const result = await exportOpenAiDpo({ pairs, out: join(tmp, "openai.jsonl") });
    expect(result.warnings).toEqual([expect.stringMatching(new RegExp(`^${multi} of 300 pairs have a multi-turn prompt`))]);
    const single = await exportOpenAiDpo({ pairs: pairs.filter((p) => !p.prompt.some((m) => m.role === "assistant")), out: join(tmp, "openai-1.jsonl") });
    expect(single.warnings).toBeUndefined();
  });
});
