/**
 * The byte reader must give, for every line it takes, exactly what JSON.parse + the messages adapter give
 * (text, roles, id — computed ids included —, source, meta), and must give up on every line the adapter
 * refuses or that it cannot vouch for. Checked on the project's and the shared data, on hand-written edge
 * cases, and on generated lines with every escape, surrogate pairs, odd whitespace and key orders.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError, ToolkitError } from "../../errors.js";
import { SFT_COLUMNS } from "../column-spec.js";
import { encodeJsonRow } from "../json-row.js";
import { parseJsonLine } from "../jsonl.js";
import { messagesAdapter } from "./messages.js";
import { MessagesByteReader, type ByteSftRecord } from "./messages-bytes.js";

const context = { file: "t.jsonl", line: 1 };

/** What the ordinary reader makes of a line: the canonical record, or undefined when it refuses it. */
function slow(line: string): unknown {
  try {
    const raw = parseJsonLine(line, "t.jsonl", 1);
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined;
    return messagesAdapter.toCanonical(raw as Record<string, unknown>, context);
  } catch (error) {
    if (error instanceof InputError) return undefined;
    throw error;
  }
}

function asCanonical(record: ByteSftRecord): unknown {
  return {
    id: record.id,
    messages: record.turns.map(({ role, content }) => ({ role, content: Buffer.from(content).toString("utf8") })),
    ...(record.source !== undefined ? { source: record.source } : {}),
    ...(record.meta !== undefined ? { meta: record.meta } : {}),
  };
}

/** Reads `lines` as one range (as readRange does: one buffer, reset once) and checks each against `slow`. */
function check(lines: readonly string[]): { fast: number; accepted: number } {
  const reader = new MessagesByteReader();
  const bytes = Buffer.from(lines.join("\n"));
  reader.reset(bytes.length);
  const results: Array<[string, ByteSftRecord | undefined]> = [];
  let start = 0;
  for (const line of lines) {
    const end = start + Buffer.byteLength(line);
    results.push([line, reader.read(bytes, start, end, context)]);
    start = end + 1;
  }
  let fast = 0;
  let accepted = 0;
  // Checked after the whole range is read: earlier records must still hold their text.
  for (const [line, record] of results) {
    const expected = slow(line);
    if (expected !== undefined) accepted += 1;
    if (record === undefined) continue;
    fast += 1;
    expect(expected, `taken but refused by the adapter: ${line.slice(0, 200)}`).toBeDefined();
    expect(asCanonical(record), line.slice(0, 200)).toEqual(expected);
  }
  return { fast, accepted };
}

const turn = (role: string, content: string) => ({ role, content });

describe("MessagesByteReader", () => {
  it("reads the project's and the shared chat data exactly as the adapter does", () => {
    const files = [join(process.cwd(), "examples/data/general-chat.jsonl"), join(process.cwd(), "examples/data/long-writing.jsonl")];
    const lines = files.flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => line.trim() !== ""),
    );
    // The shared Alpaca / ShareGPT demos, as messages rows written the way Python's json.dumps writes (ASCII escapes).
    for (const name of ["alpaca_en_demo.json", "alpaca_zh_demo.json"]) {
      const rows = JSON.parse(readFileSync(join(process.cwd(), "../shared/data/general-sft", name), "utf8")) as Array<Record<string, string>>;
      for (const row of rows.slice(0, 300)) {
        const messages = [turn("user", `${row.instruction}\n${row.input ?? ""}`.trim()), turn("assistant", row.output!)];
        lines.push(asciiJson({ messages }));
        lines.push(JSON.stringify({ messages, source: name }));
      }
    }
    const { fast, accepted } = check(lines);
    expect(fast).toBeGreaterThan(accepted * 0.95);
  });

  it("takes only what it can vouch for, on hand-written edge cases", () => {
    const ok = [
      '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}',
      ' { "messages" : [ { "content" : "hi" , "role" : "user" } , {"role":"assistant","content":"a\\nb\\t\\"c\\"\\\\ \\/ \\b\\f\\r"} ] , "id" : "x" } ',
      '{"id":7,"messages":[{"role":"system","content":"sys"},{"role":"user","content":"q"},{"role":"assistant","content":"a"}]}',
      '{"id":1.50,"messages":[{"role":"developer","content":"sys"},{"role":"user","content":"q"},{"role":"assistant","content":"a"}]}',
      '{"messages":[{"role":"user","content":"\\u4e2d\\u6587 \\ud83d\\ude00 \\u00e9 \\u0001 \\u001F"},{"role":"assistant","content":"😀 中文"}],"id":""}',
      '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],"id":null,"source":null,"meta":null}',
      '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],"source":"s","meta":{"b":1,"a":[1,{"c":"\\u00e9"}]},"extra":"kept","zero":0,"1":true}',
      '{"meta":{"k":"v"},"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"},{"role":"user","content":"q2"},{"role":"assistant","content":"a2"}]}',
      '{"messages":[{"role":"user","content":"\\u00a0x"},{"role":"assistant","content":"\\u3000y"}]}',
    ];
    const refused = [
      "",
      "   ",
      "[]",
      "{}",
      "not json",
      '{"messages":[]}',
      '{"messages":[{"role":"user","content":"q"}]}',
      '{"messages":[{"role":"assistant","content":"a"},{"role":"user","content":"q"}]}',
      '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"   "}]}',
      '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"\\u3000"}]}',
      '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"\\ud800"}]}',
      '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"\\udc00x"}]}',
      '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],"id":true}',
      '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],"source":3}',
      '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],"meta":[1]}',
      '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],"meta":{"__proto__":1}}',
      '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],"__proto__":{"x":1}}',
      '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],}',
      '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"},]}',
      '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]} x',
      '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a\tb"}]}',
      '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a\\x"}]}',
      '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a\\u12"}]}',
      '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],"messages":[]}',
      '{"messages":[{"role":"user","role":"user","content":"q"},{"role":"assistant","content":"a"}]}',
      '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":null,"tool_calls":[]}]}',
      '{"messages":[{"role":"user","content":[{"type":"text","text":"q"}]},{"role":"assistant","content":"a"}]}',
      '{"messages":[{"role":"user","content":"q"},{"role":"tool","content":"a"}]}',
      '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],"tools":[]}',
      '{"messages":[{"from":"human","value":"q"}]}',
      '{"\\u006dessages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]}',
      `{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],"meta":${"[".repeat(1200)}${"]".repeat(1200)}}`,
      '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],"meta":{"x":"\\ud800"}}',
      '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],"id":1e400}',
      '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"',
    ];
    const reader = new MessagesByteReader();
    for (const line of ok) {
      const bytes = Buffer.from(line);
      reader.reset(bytes.length);
      const record = reader.read(bytes, 0, bytes.length, context);
      expect(record, line).toBeDefined();
      expect(asCanonical(record!), line).toEqual(slow(line));
    }
    for (const line of refused) {
      const bytes = Buffer.from(line);
      reader.reset(bytes.length);
      expect(reader.read(bytes, 0, bytes.length, context), line).toBeUndefined();
    }
    check([...ok, ...refused]);
  });

  it("matches the adapter on generated lines (escapes, pairs, whitespace, key order, computed ids)", () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const pieces = [
      "a",
      "Z",
      " ",
      "\n",
      "\t",
      '"',
      "\\",
      "/",
      "\u0000",
      "\u001f",
      "\u007f",
      "é",
      "中",
      "😀",
      "\u2028",
      "\u00a0",
      "\ufeff",
      "{",
      "}",
      "[",
      ":",
      ",",
    ];
    const text = () => {
      let out = pick(["x", "中", "😀"]);
      const n = Math.floor(random() * 40);
      for (let i = 0; i < n; i++) out += pick(pieces);
      return out;
    };
    const space = () => pick(["", "", " ", "  ", "\t", " \r "]);
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const messages = [turn("user", text()), turn("assistant", text())];
      if (random() < 0.2) messages.unshift(turn(pick(["system", "developer"]), text()));
      const row: Record<string, unknown> = { messages };
      if (random() < 0.5) row.id = pick([`id-${i}`, i, "", null]);
      if (random() < 0.3) row.source = pick(["src", null, "中"]);
      if (random() < 0.3) row.meta = { n: i, t: text() };
      if (random() < 0.2) row.extra = pick([1, "x", null, [1, 2]]);
      // Three ways of writing: JS, Python's ASCII escapes, and every character escaped in upper-case hex.
      const style = i % 3;
      let line =
        style === 0
          ? JSON.stringify(row)
          : style === 1
            ? asciiJson(row)
            : JSON.stringify(row).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);
      if (random() < 0.3) line = line.replace(/([{[,:])/g, (m) => `${space()}${m}${space()}`);
      lines.push(line);
    }
    // Spaces also land inside strings ("\t" there is invalid JSON) and escaped pairs in meta are left to
    // the full reader, so not every line is valid or taken; most must be.
    const { fast, accepted } = check(lines);
    expect(accepted).toBeGreaterThan(1800);
    expect(fast).toBeGreaterThan(accepted * 0.8);
  });
});

describe("MessagesByteReader text views", () => {
  it("are plain Uint8Arrays whether the line came in a Buffer or not, escaped or not (one kind for the code that reads them)", () => {
    const line = JSON.stringify({
      messages: [
        { role: "user", content: "no escapes here" },
        { role: "assistant", content: 'an "escaped" one\n' },
      ],
    });
    for (const bytes of [Buffer.from(line), new Uint8Array(Buffer.from(line))]) {
      const reader = new MessagesByteReader();
      reader.reset(bytes.length);
      const record = reader.read(bytes, 0, bytes.length, context)!;
      expect(record.turns.map(({ content }) => content.constructor)).toEqual([Uint8Array, Uint8Array]);
      expect(asCanonical(record)).toEqual(slow(line));
    }
  });
});

describe("MessagesByteReader.readSftRow", () => {
  it("gives the cells encodeJsonRow gives for SFT rows, and gives up where it refuses them", () => {
    const rows: string[] = [];
    const texts = ["plain", 'quote " and \\ backslash', "line\nbreak\ttab", "中文 😀 é", "\u0001 control", "  ", ""];
    texts.forEach((text, i) => {
      const messages = [turn("user", `q ${text}`), turn("assistant", text)];
      rows.push(JSON.stringify({ messages, id: `r${i}`, source: i % 2 ? "s" : null, meta: i % 3 ? { i, text } : null }));
      rows.push(asciiJson({ id: `a${i}`, messages, extra: [i], meta: [1, "x"] }));
    });
    rows.push(
      '{"messages":[{"role":"system","content":"s"},{"role":"assistant","content":"a"}],"id":"order is not checked here"}',
      '{"messages":[{"role":"user","content":"q"}],"id":7}',
      '{"messages":[{"role":"user","content":"q"}]}',
      '{"messages":[{"role":"user","content":"q"}],"id":"x","source":3}',
      '{"messages":[{"role":"user","content":"q"}],"id":"x","meta":"text"}',
      '{"messages":[{"role":"tool","content":"q"}],"id":"x"}',
      '{"messages":[{"role":"user","content":"q","tool_call_id":"c"}],"id":"x"}',
      '{"messages":[{"role":"user","content":"q"}],"id":"x",}',
      '{"messages":[{"role":"user","content":"q"}],"id":"x","id":"y"}',
      "[1]",
    );
    const reader = new MessagesByteReader();
    const bytes = Buffer.from(rows.join("\n"));
    reader.reset(bytes.length);
    let start = 0;
    let taken = 0;
    const read: Array<[string, unknown[] | undefined]> = [];
    for (const row of rows) {
      const end = start + Buffer.byteLength(row);
      const cells = reader.readSftRow(bytes, start, end);
      read.push([row, cells && [cells[0].map(({ role, content }) => ({ role, content: Buffer.from(content).toString("utf8") })), ...cells.slice(1)]]);
      start = end + 1;
    }
    for (const [row, cells] of read) {
      let expected: unknown[] | undefined;
      try {
        const json = Buffer.from(row);
        expected = encodeJsonRow(SFT_COLUMNS, json, 0, undefined, { file: "t", row: 1 });
      } catch (error) {
        // encodeJsonRow checks the declared size last: a row it encodes is one that fails only that check.
        if (!(error instanceof ToolkitError) || !/declared 0 bytes/.test(error.message)) expected = undefined;
        else expected = [];
      }
      if (cells === undefined) continue;
      taken += 1;
      expect(expected, `taken but refused: ${row}`).toBeDefined();
      const parsed = JSON.parse(row) as Record<string, unknown>;
      const messages = parsed.messages as Array<{ role: string; content: string }>;
      expect(cells, row).toEqual([
        messages.map(({ role, content }) => ({ role, content })),
        parsed.id,
        parsed.source ?? null,
        parsed.meta == null ? null : JSON.stringify(parsed.meta),
      ]);
    }
    expect(taken).toBe(texts.length * 2 + 2); // and the two rows whose order or meta only the adapter minds
  });
});

/** JSON as Python's json.dumps writes it by default: every non-ASCII character escaped, lowercase hex. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
