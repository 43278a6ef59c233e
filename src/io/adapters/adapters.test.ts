import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../errors.js";
import type { PreferencePair } from "../../schemas/preference-pair.js";
import { preferencePairSchema } from "../../schemas/preference-pair.js";
import type { SftRecord } from "../../schemas/sft-record.js";
import { sftRecordSchema } from "../../schemas/sft-record.js";
import type { InputIssue } from "../input-issue.js";
import { readRawRecords, readRecords, type RawRow } from "../read-records.js";
import { detectFormat, getAdapter } from "./detect-format.js";
import { PREFERENCE_FORMATS, SFT_FORMATS, type CanonicalRecord, type FormatName } from "./format.js";
import { collect } from "../../../test/helpers/collect.js";

const DATA = fileURLToPath(new URL("../../../../shared/data/general-sft/", import.meta.url));

const expected: Array<{ file: string; format: FormatName; rows: number; ok: number }> = [
  { file: "alpaca_en_demo.json", format: "alpaca", rows: 999, ok: 999 },
  { file: "alpaca_zh_demo.json", format: "alpaca", rows: 1000, ok: 1000 },
  { file: "identity.json", format: "alpaca", rows: 91, ok: 91 },
  { file: "glaive_toolcall_en_demo.json", format: "sharegpt", rows: 300, ok: 147 },
  { file: "dpo_en_demo.json", format: "sharegpt-preference", rows: 300, ok: 300 },
  { file: "dpo_zh_demo.json", format: "sharegpt-preference", rows: 300, ok: 300 },
  { file: "kto_en_demo.json", format: "messages", rows: 300, ok: 300 },
  { file: "v1_sft_demo.jsonl", format: "messages", rows: 500, ok: 500 },
];

const raw = new Map<string, RawRow[]>();
const canonical = new Map<string, CanonicalRecord[]>();

beforeAll(async () => {
  for (const { file } of expected) {
    raw.set(file, await collect(readRawRecords(DATA + file)));
    const issues: InputIssue[] = [];
    canonical.set(
      file,
      (await collect(readRecords(DATA + file, { skipInvalid: true, issues }))).map((r) => r.record),
    );
  }
});

describe("format adapters on the LLaMA-Factory demo files", () => {
  it.each(expected)("$file: detected as $format, $ok of $rows rows convert", ({ file, format, rows, ok }) => {
    const rawRows = raw.get(file)!;
    expect(rawRows).toHaveLength(rows);
    expect(detectFormat(rawRows[0]!.record)).toBe(format);
    const records = canonical.get(file)!;
    expect(records).toHaveLength(ok);
    const schema = SFT_FORMATS.includes(format as never) ? sftRecordSchema : preferencePairSchema;
    for (const record of records) expect(schema.safeParse(record).success).toBe(true);
    // Content-hash ids: equal exactly when the turns are equal (the demo files hold a few duplicate rows).
    const content = (r: CanonicalRecord) => JSON.stringify("messages" in r ? r.messages : [r.prompt, r.chosen, r.rejected]);
    expect(new Set(records.map((r) => r.id)).size).toBe(new Set(records.map(content)).size);
    expect(new Set(records.map((r) => `${r.id}\u0000${content(r)}`)).size).toBe(new Set(records.map(content)).size);
  });

  it("spot-checks an alpaca row (instruction + input joined, content-hash id)", () => {
    const rows = raw.get("alpaca_en_demo.json")!;
    const withInput = rows.find((r) => r.record.input !== "")!;
    const record = getAdapter("alpaca").toCanonical(withInput.record, { file: "x", line: withInput.line });
    expect(record.messages).toEqual([
      { role: "user", content: `${withInput.record.instruction as string}\n${withInput.record.input as string}` },
      { role: "assistant", content: withInput.record.output },
    ]);
    expect(record.id).toMatch(/^[0-9a-f]{16}$/);
    const first = canonical.get("alpaca_en_demo.json")![0] as SftRecord;
    expect(first.messages[0]).toEqual({ role: "user", content: "Describe a process of making crepes." });
    expect(first.messages[1]!.content.startsWith("Making crepes is an easy and delicious process!")).toBe(true);
    expect(raw.get("alpaca_en_demo.json")![1]!.line).toBe(7); // each element starts on its own line
  });

  it("spot-checks a DPO row with a system turn and a v1 row with text parts", () => {
    const pairs = canonical.get("dpo_en_demo.json")! as PreferencePair[];
    const withSystem = pairs.find((p) => p.prompt[0]!.role === "system")!;
    expect(withSystem.prompt.at(-1)!.role).toBe("user");
    expect(withSystem.chosen).toHaveLength(1);
    expect(withSystem.chosen[0]!.role).toBe("assistant");
    expect(withSystem.chosen[0]!.content).not.toBe(withSystem.rejected[0]!.content);
    expect(pairs.filter((p) => p.prompt[0]!.role === "system")).toHaveLength(80);
    const v1 = canonical.get("v1_sft_demo.jsonl")![0] as SftRecord;
    expect(v1.messages).toEqual([
      { role: "user", content: "hi" },
      { role: "assistant", content: "Hello! I am {{name}}, an AI assistant developed by {{author}}. How can I assist you today?" },
    ]);
    const kto = canonical.get("kto_en_demo.json")![0] as SftRecord;
    expect(typeof kto.meta?.label).toBe("boolean"); // unknown top-level fields are kept in meta
  });

  it("reports every glaive tool-call row with file, line and reason; keeps tools definitions in meta", async () => {
    const issues: InputIssue[] = [];
    await collect(readRecords(DATA + "glaive_toolcall_en_demo.json", { skipInvalid: true, issues }));
    expect(issues).toHaveLength(153);
    for (const issue of issues) {
      expect(issue.file).toBe(DATA + "glaive_toolcall_en_demo.json");
      expect(issue.field).toMatch(/^conversations\.\d+\.from$/);
      expect(issue.reason).toMatch(/^from "(function_call|observation)" is a tool turn/);
    }
    const rows = raw.get("glaive_toolcall_en_demo.json")!;
    const firstToolRow = rows.find((r) => (r.record.conversations as Array<{ from: string }>).some((t) => t.from === "function_call"))!;
    const error = await collect(readRecords(DATA + "glaive_toolcall_en_demo.json")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).line).toBe(firstToolRow.line);
    const plain = canonical.get("glaive_toolcall_en_demo.json")![0] as SftRecord;
    expect(typeof plain.meta?.tools).toBe("string");
  });
});

describe("round trips format → canonical → format", () => {
  it("every SFT file survives canonical → each SFT format → canonical unchanged", () => {
    for (const file of [
      "alpaca_en_demo.json",
      "alpaca_zh_demo.json",
      "identity.json",
      "glaive_toolcall_en_demo.json",
      "kto_en_demo.json",
      "v1_sft_demo.jsonl",
    ]) {
      for (const format of SFT_FORMATS) {
        const adapter = getAdapter(format);
        canonical.get(file)!.forEach((record, i) => {
          const out = adapter.fromCanonical(record as SftRecord);
          const back = adapter.toCanonical(JSON.parse(JSON.stringify(out)) as Record<string, unknown>, { file: `${file}→${format}`, line: i + 1 });
          expect(back).toEqual(record);
        });
      }
    }
  });

  it("every preference file survives canonical → each preference format → canonical unchanged", () => {
    for (const file of ["dpo_en_demo.json", "dpo_zh_demo.json"]) {
      for (const format of PREFERENCE_FORMATS) {
        const adapter = getAdapter(format);
        canonical.get(file)!.forEach((record, i) => {
          const out = adapter.fromCanonical(record as PreferencePair);
          expect(detectFormat(out)).toBe(format);
          const back = adapter.toCanonical(JSON.parse(JSON.stringify(out)) as Record<string, unknown>, { file, line: i + 1 });
          expect(back).toEqual(record);
        });
      }
    }
  });

  it("gives back the original rows in their own format (plus the id)", () => {
    const alpaca = getAdapter("alpaca");
    const rows = raw.get("alpaca_zh_demo.json")!;
    canonical.get("alpaca_zh_demo.json")!.forEach((record, i) => {
      const original = rows[i]!.record;
      if (original.input !== "") return; // input is folded into instruction, as LLaMA-Factory does
      const { id, ...rest } = alpaca.fromCanonical(record as SftRecord);
      expect(id).toBe(record.id);
      expect(rest).toEqual(original);
    });
    const sharegptPref = getAdapter("sharegpt-preference");
    const dpo = raw.get("dpo_zh_demo.json")!;
    (canonical.get("dpo_zh_demo.json")! as PreferencePair[]).forEach((pair, i) => {
      const { id: _id, system, conversations, ...rest } = sharegptPref.fromCanonical(pair);
      const original = dpo[i]!.record;
      const expectedTurns = system === undefined ? conversations : [{ from: "system", value: system }, ...(conversations as unknown[])];
      expect({ conversations: expectedTurns, ...rest }).toEqual(original);
    });
    const sharegpt = getAdapter("sharegpt");
    const glaive = raw
      .get("glaive_toolcall_en_demo.json")!
      .filter((r) => !(r.record.conversations as Array<{ from: string }>).some((t) => t.from === "function_call" || t.from === "observation"));
    (canonical.get("glaive_toolcall_en_demo.json")! as SftRecord[]).forEach((record, i) => {
      const { id: _id, ...rest } = sharegpt.fromCanonical(record);
      expect(rest).toEqual(glaive[i]!.record);
    });
  });
});
