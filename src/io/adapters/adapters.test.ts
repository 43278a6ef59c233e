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
import { hasToolContent } from "./tool-definitions.js";
import { PREFERENCE_FORMATS, SFT_FORMATS, type CanonicalRecord, type FormatName } from "./format.js";
import { collect } from "../../../test/helpers/collect.js";

const DATA = fileURLToPath(new URL("../../../../shared/data/general-sft/", import.meta.url));

const expected: Array<{ file: string; format: FormatName; rows: number; ok: number }> = [
  { file: "alpaca_en_demo.json", format: "alpaca", rows: 999, ok: 999 },
  { file: "alpaca_zh_demo.json", format: "alpaca", rows: 1000, ok: 1000 },
  { file: "identity.json", format: "alpaca", rows: 91, ok: 91 },
  { file: "glaive_toolcall_en_demo.json", format: "sharegpt", rows: 300, ok: 300 },
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
    // Content-hash ids: equal exactly when the turns (and tools) are equal (the demo files hold a few duplicate rows).
    const content = (r: CanonicalRecord) => JSON.stringify("messages" in r ? [r.messages, r.tools] : [r.prompt, r.chosen, r.rejected]);
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

  it("reads glaive's function_call / observation turns and tools as OpenAI-style tool calls", () => {
    const rows = raw.get("glaive_toolcall_en_demo.json")!;
    const records = canonical.get("glaive_toolcall_en_demo.json")! as SftRecord[];
    const first = records[0]!;
    // human, gpt, human, function_call, observation, gpt, human, gpt
    expect(first.messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant", "tool", "assistant", "user", "assistant"]);
    expect(first.messages[3]).toEqual({
      role: "assistant",
      content: "",
      tool_calls: [{ type: "function", function: { name: "search_recipes", arguments: '{"ingredients":["chicken","bell peppers","rice"]}' } }],
    });
    expect(first.messages[4]).toMatchObject({ role: "tool", name: "search_recipes" });
    expect(first.messages[4]!.content).toBe((rows[0]!.record.conversations as Array<{ value: string }>)[4]!.value);
    // tools: LLaMA-Factory's bare schemas become {type: "function", function: schema}
    const bare = JSON.parse(rows[0]!.record.tools as string) as unknown[];
    expect(JSON.parse(first.tools!)).toEqual(bare.map((fn) => ({ type: "function", function: fn })));
    const calls = records.flatMap((r) => r.messages.filter((m) => m.tool_calls !== undefined));
    expect(calls).toHaveLength(211);
    expect(records.filter((r) => r.messages.some((m) => m.role === "tool"))).toHaveLength(153);
    // "[]" means no tools: 109 rows have none, so 191 carry a tools field
    expect(records.filter((r) => r.tools !== undefined)).toHaveLength(191);
  });

  it("a malformed tool-call row is still an error naming file, line and field", () => {
    const sharegpt = getAdapter("sharegpt");
    const messages = getAdapter("messages");
    const where = { file: "calls.jsonl", line: 7 };
    const fails = (adapter: typeof sharegpt, row: Record<string, unknown>, field: string, reason: RegExp) => {
      const error = (() => {
        try {
          adapter.toCanonical(row, where);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).message).toMatch(/^calls\.jsonl:7: /);
      expect((error as InputError).field).toBe(field);
      expect((error as InputError).message).toMatch(reason);
    };
    const call = { type: "function", function: { name: "f", arguments: '{"x":1}' } };
    // a tool result with no call before it
    fails(
      messages,
      {
        messages: [
          { role: "user", content: "q" },
          { role: "tool", content: "r" },
          { role: "assistant", content: "a" },
        ],
      },
      "messages.1",
      /follows no assistant tool call/,
    );
    // arguments that are not JSON
    fails(
      messages,
      {
        messages: [
          { role: "user", content: "q" },
          { role: "assistant", content: null, tool_calls: [{ type: "function", function: { name: "f", arguments: "{x: 1" } }] },
        ],
      },
      "messages.1.tool_calls.0.function.arguments",
      /arguments are not JSON/,
    );
    // a call whose result never comes
    fails(
      messages,
      {
        messages: [
          { role: "user", content: "q" },
          { role: "assistant", content: "", tool_calls: [call] },
          { role: "user", content: "?" },
        ],
      },
      "messages.2",
      /expected the results as tool turns/,
    );
    // a result answering another call id
    fails(
      messages,
      {
        messages: [
          { role: "user", content: "q" },
          { role: "assistant", content: "", tool_calls: [{ id: "c1", ...call }] },
          { role: "tool", tool_call_id: "c2", content: "r" },
          { role: "assistant", content: "a" },
        ],
      },
      "messages.2.tool_call_id",
      /answers call "c2"/,
    );
    // a call to a function the row does not declare
    fails(
      messages,
      {
        messages: [
          { role: "user", content: "q" },
          { role: "assistant", content: "", tool_calls: [call] },
        ],
        tools: [{ type: "function", function: { name: "g" } }],
      },
      "messages.1",
      /names function "f", which is not among the row's tools/,
    );
    // ShareGPT: a function_call value that is not JSON, an observation without a call, tools that are not a list
    fails(
      sharegpt,
      {
        conversations: [
          { from: "human", value: "q" },
          { from: "function_call", value: "f(x)" },
        ],
      },
      "conversations.1.value",
      /function_call is not JSON/,
    );
    fails(
      sharegpt,
      {
        conversations: [
          { from: "human", value: "q" },
          { from: "observation", value: "r" },
          { from: "gpt", value: "a" },
        ],
      },
      "conversations.1",
      /follows no assistant tool call/,
    );
    fails(
      sharegpt,
      {
        conversations: [
          { from: "human", value: "q" },
          { from: "gpt", value: "a" },
        ],
        tools: '{"name": "f"}',
      },
      "tools",
      /expected a list of tools/,
    );
    fails(
      sharegpt,
      {
        conversations: [
          { from: "human", value: "q" },
          { from: "gpt", value: "a" },
        ],
        tools: '[{"description": "no name"}]',
      },
      "tools.0.name",
      /missing the function "name"/,
    );
    // preference data still refuses tool turns
    const trl = getAdapter("trl");
    expect(() =>
      trl.toCanonical(
        { prompt: [{ role: "user", content: "q" }], chosen: [{ role: "tool", content: "r" }], rejected: [{ role: "assistant", content: "b" }] },
        where,
      ),
    ).toThrow(/preference records hold only/);
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
          if (format === "alpaca" && hasToolContent(record as SftRecord)) {
            expect(() => adapter.fromCanonical(record as SftRecord)).toThrow(/alpaca has no tool calls/);
            return;
          }
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
    // glaive written back as LLaMA-Factory ShareGPT: the same turns, calls and tools (JSON compared parsed:
    // we write it compact, glaive's has spaces), "[]" tools left out.
    const sharegpt = getAdapter("sharegpt");
    const glaive = raw.get("glaive_toolcall_en_demo.json")!;
    const parsedTurns = (turns: unknown) =>
      (turns as Array<{ from: string; value: string }>).map((t) => ({ from: t.from, value: t.from === "function_call" ? JSON.parse(t.value) : t.value }));
    (canonical.get("glaive_toolcall_en_demo.json")! as SftRecord[]).forEach((record, i) => {
      const { id: _id, conversations, tools, ...rest } = sharegpt.fromCanonical(record);
      const { conversations: originalTurns, tools: originalTools, ...originalRest } = glaive[i]!.record;
      expect(rest).toEqual(originalRest);
      expect(parsedTurns(conversations)).toEqual(parsedTurns(originalTurns));
      expect(tools === undefined ? [] : JSON.parse(tools as string)).toEqual(JSON.parse(originalTools as string));
    });
  });
});
