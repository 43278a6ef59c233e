/**
 * LLaMA-Factory's dpo_en_demo.json (300 real preference rows) imports through the adapters, is audited
 * into a dataset dir, exports to TRL / LLaMA-Factory / OpenAI layouts, and each export reads back to the
 * same pairs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readRecords } from "../src/io/read-records.js";
import { readJsonl } from "../src/io/jsonl.js";
import type { PreferencePair } from "../src/schemas/preference-pair.js";
import { auditPairs, auditRow } from "../src/dpo/audit-pairs.js";
import { buildPairs } from "../src/dpo/build-pairs.js";
import { pairsToCandidates } from "../src/dpo/pairs-to-candidates.js";
import { pairPolicySchema } from "../src/schemas/pair-policy.js";
import { exportLlamaFactory, exportOpenAiDpo, exportTrl, openAiDpoToPair } from "../src/dpo/export-pairs.js";
import { readPairsDataset } from "../src/dpo/read-pairs-dataset.js";
import { AUDIT_LENGTH_SVG, writePairsDataset } from "../src/dpo/write-pairs-dataset.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";
import { collect } from "./helpers/collect.js";

const DEMO = "../shared/data/general-sft/dpo_en_demo.json";
const dir = makeTmpDir("dpo-import-");
const strip = (p: PreferencePair) => ({ prompt: p.prompt, chosen: p.chosen, rejected: p.rejected });

describe("dpo_en_demo.json: import, audit, export, round trip", () => {
  let imported: PreferencePair[];
  const datasetDir = join(dir, "demo-pairs");

  beforeAll(async () => {
    imported = (await collect(readRecords(DEMO, { kind: "preference" }))).map((r) => r.record as PreferencePair);
    await writePairsDataset({ dir: datasetDir, pairs: imported, signals: [], title: "dpo_en_demo", description: "LLaMA-Factory demo preference data." });
  });

  it("imports all 300 rows and audits them", async () => {
    expect(imported).toHaveLength(300);
    const audit = auditPairs(imported.map(auditRow));
    expect(audit.pairs).toBe(300);
    expect(audit.chosenLonger + audit.rejectedLonger + audit.sameLength).toBe(300);
    expect(audit.lengthCohensD).not.toBeNull();
    expect(audit.margin).toBeNull(); // the demo has no scores
    const manifest = JSON.parse(readFileSync(join(datasetDir, "manifest.json"), "utf8"));
    expect(manifest.audit.pairs).toBe(300);
    expect(manifest.audit.shareChosenLonger).toBeCloseTo(audit.shareChosenLonger!, 10);
    expect(readFileSync(join(datasetDir, "README.md"), "utf8")).toContain("Length-bias audit");
    expect(readFileSync(join(datasetDir, AUDIT_LENGTH_SVG), "utf8")).toMatch(/^<svg|<\?xml/);
  });

  it("reads the dataset dir back to the same pairs", async () => {
    const dataset = await readPairsDataset({ dir: datasetDir });
    const back = await collect(dataset.pairs());
    expect(back.map(strip)).toEqual(imported.map(strip));
  });

  it("exports to TRL, LLaMA-Factory and OpenAI and each reads back through the adapters", async () => {
    const dataset = await readPairsDataset({ dir: datasetDir });
    const trl = join(dir, "trl.jsonl");
    const lf = join(dir, "lf");
    const oa = join(dir, "openai.jsonl");
    expect((await exportTrl({ pairs: dataset.pairs(), out: trl })).rows).toBe(300);
    expect((await exportLlamaFactory({ pairs: dataset.pairs(), outDir: lf, name: "demo_dpo" })).rows).toBe(300);
    expect((await exportOpenAiDpo({ pairs: dataset.pairs(), out: oa })).rows).toBe(300);

    const viaTrl = (await collect(readRecords(trl, { kind: "preference" }))).map((r) => r.record as PreferencePair);
    expect(viaTrl.map(strip)).toEqual(imported.map(strip));
    const info = JSON.parse(readFileSync(join(lf, "dataset_info.json"), "utf8"));
    expect(info.demo_dpo).toEqual({
      file_name: "demo_dpo.json",
      formatting: "sharegpt",
      ranking: true,
      columns: { messages: "conversations", chosen: "chosen", rejected: "rejected", system: "system" }, // 80 demo rows carry a system turn
    });
    const viaLf = (await collect(readRecords(join(lf, "demo_dpo.json"), { kind: "preference", format: "sharegpt-preference" }))).map(
      (r) => r.record as PreferencePair,
    );
    expect(viaLf.map(strip)).toEqual(imported.map(strip));
    // rows without a system turn come out exactly as upstream has them (a system turn moves to `system`)
    const original = JSON.parse(readFileSync(DEMO, "utf8")) as Array<{ conversations: Array<{ from: string }> }>;
    const exported = JSON.parse(readFileSync(join(lf, "demo_dpo.json"), "utf8")) as Array<Record<string, unknown>>;
    let same = 0;
    original.forEach((row, i) => {
      if (row.conversations.some((t) => t.from === "system")) return;
      const e = exported[i]!;
      expect({ conversations: e.conversations, chosen: e.chosen, rejected: e.rejected }).toEqual(row);
      same += 1;
    });
    expect(same).toBeGreaterThan(200);
    const viaOpenAi = (await collect(readJsonl(oa))).map(({ line, record }) => openAiDpoToPair(record, { file: oa, line }));
    expect(viaOpenAi.map(strip)).toEqual(imported.map(strip));
    const first = JSON.parse(readFileSync(oa, "utf8").split("\n")[0]!);
    expect(Object.keys(first)).toEqual(["input", "preferred_output", "non_preferred_output"]);
  });

  it("merges into an existing dataset_info.json", async () => {
    const lf = join(dir, "lf2");
    const { writeFileSync, mkdirSync } = await import("node:fs");
    mkdirSync(lf, { recursive: true });
    writeFileSync(join(lf, "dataset_info.json"), JSON.stringify({ other: { file_name: "other.json" } }));
    await exportLlamaFactory({ pairs: imported.slice(0, 3), outDir: lf, name: "x" });
    expect(Object.keys(JSON.parse(readFileSync(join(lf, "dataset_info.json"), "utf8")))).toEqual(["other", "x"]);
  });

  it("re-pairs imported data: a policy on meta.preferred gives back the original chosen/rejected", async () => {
    const policy = pairPolicySchema.parse({
      name: "keep-labels",
      signals: [{ name: "preferred", source: "meta.preferred", normalize: { min: 0, max: 1 } }],
      rejected: { strategy: "worst" },
      pairsPerPrompt: 10,
    });
    const made: PreferencePair[] = [];
    const outcomes = await collect(buildPairs({ candidates: pairsToCandidates(imported), policy }));
    for (const outcome of outcomes) made.push(...outcome.pairs);
    const key = (p: PreferencePair) => JSON.stringify([p.prompt, p.chosen[0]!.content, p.rejected[0]!.content]);
    const original = new Set(imported.map(key));
    expect(made.length).toBeGreaterThan(250);
    for (const pair of made) {
      expect(pair.signals!.preferred).toEqual({ chosen: 100, rejected: 0 });
      expect(pair.prompt[pair.prompt.length - 1]!.role).toBe("user");
    }
    // every re-made pair whose prompt has a single original pair is exactly that pair
    const prompts = new Map<string, number>();
    for (const p of imported) prompts.set(JSON.stringify(p.prompt), (prompts.get(JSON.stringify(p.prompt)) ?? 0) + 1);
    const single = made.filter((p) => prompts.get(JSON.stringify(p.prompt)) === 1);
    expect(single.length).toBeGreaterThan(250);
    for (const pair of single) expect(original.has(key(pair))).toBe(true);
  });
});
