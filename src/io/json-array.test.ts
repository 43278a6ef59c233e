import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import type { InputError } from "../errors.js";
import type { InputIssue } from "./input-issue.js";
import { elementStartLines, firstInvalidUtf8Offset, readJsonArray, type JsonArrayReading } from "./json-array.js";
import { collect } from "../../test/helpers/collect.js";

const dir = makeTmpDir();

describe("readJsonArray", () => {
  it("yields elements with the line each starts on", async () => {
    const path = join(dir, "a.json");
    writeFileSync(path, '[\n  {"a": "x,]}"},\n  {\n    "b": [1, {"c": 2}]\n  }\n]\n');
    const rows = await collect(readJsonArray(path));
    expect(rows.map((r) => r.line)).toEqual([2, 3]);
  });

  it("names the element's line when it is not an object", async () => {
    const path = join(dir, "b.json");
    writeFileSync(path, '[\n{"a":1},\n"oops"\n]');
    await expect(collect(readJsonArray(path))).rejects.toThrow(`${path}:3: array element 1 is a string, expected an object`);
  });

  it("rejects a top-level object", async () => {
    const path = join(dir, "c.json");
    writeFileSync(path, '{"a":1}');
    await expect(collect(readJsonArray(path))).rejects.toThrow("expected a JSON array of records, got an object");
  });

  it("finds the line of invalid UTF-8", async () => {
    const path = join(dir, "d.json");
    writeFileSync(path, Buffer.concat([Buffer.from('[\n{"a":"é"},\n{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}]')]));
    await expect(collect(readJsonArray(path))).rejects.toThrow(`${path}:3: invalid UTF-8`);
  });

  it("computes start lines and UTF-8 offsets directly", () => {
    expect(elementStartLines("[]")).toEqual([]);
    expect(elementStartLines('[{"a":"\\"["}, {}]')).toEqual([1, 1]);
    expect(firstInvalidUtf8Offset(Buffer.from("aé"))).toBe(3);
    expect(firstInvalidUtf8Offset(Buffer.from([0x61, 0xe2, 0x82]))).toBe(1);
  });
});

describe("readJsonArray in pieces (files over WHOLE_FILE_BYTES)", () => {
  /** Reads `content` whole and in pieces of every size in `chunks`; returns what each gave (records and issues, or the error). */
  async function bothWays(name: string, content: string | Buffer, skipInvalid = false) {
    const path = join(dir, name);
    writeFileSync(path, content);
    const outcome = async (reading: JsonArrayReading) => {
      const issues: InputIssue[] = [];
      const rows: unknown[] = [];
      try {
        for await (const row of readJsonArray(path, { skipInvalid, issues }, reading)) rows.push(row);
        return { rows, issues };
      } catch (error) {
        const e = error as InputError;
        return { error: { line: e.line, kind: e.reason.replace(/:.*$/s, "") }, yielded: rows.length };
      }
    };
    const whole = await outcome({ wholeFileBytes: Number.POSITIVE_INFINITY });
    const inPieces = await Promise.all([1, 2, 3, 7, 17, 31, 64, 1 << 20].map((chunkBytes) => outcome({ wholeFileBytes: 0, chunkBytes })));
    return { whole, inPieces };
  }

  const valid: Array<[string, string]> = [
    ["plain", '[\n  {"a": "x,]}"},\n  {\n    "b": [1, {"c": 2}]\n  }\n]\n'],
    ["escapes", '[{"q": "say \\"hi\\" \\\\ [not] {an} array"}, {"u": "\\u00e9\\ud83d\\ude00"}]'],
    ["unicode and CRLF", '\ufeff[\r\n{"zh": "你好，世界", "emoji": "😀"},\r\n\t{"n": -1.5e3, "t": true, "f": false, "z": null}\r\n]'],
    ["empty", "  [ ]  \n"],
    ["one line", '[{"a":1},{"a":2},{"a":3}]'],
    ["multi-line elements", '[\n{\n  "a": [\n    1,\n    2\n  ]\n},\n{"b": "two\\nlines"},\n\n{\n"c": 3}\n]'],
  ];
  it.each(valid)("yields the same records and lines as reading the file whole: %s", async (name, content) => {
    const { whole, inPieces } = await bothWays(`${name}.json`, content);
    expect(whole).toHaveProperty("rows");
    if (name === "multi-line elements") expect((whole as { rows: Array<{ line: number }> }).rows.map((r) => r.line)).toEqual([2, 8, 10]);
    for (const pieces of inPieces) expect(pieces).toEqual(whole);
  });

  const skippable: Array<[string, string]> = [
    ["scalars among objects", '[\n{"a":1},\n"oops",\n42,\nnull,\n[1,2],\ntrue,\n{"b":2}\n]'],
    ["lone surrogate", '[\n{"a":"ok"},\n{"a":"\\ud800 alone"}\n]'],
  ];
  it.each(skippable)("reports and skips the same elements, on the same lines: %s", async (name, content) => {
    const { whole, inPieces } = await bothWays(`${name}.json`, content, true);
    expect((whole as { issues: InputIssue[] }).issues.length).toBeGreaterThan(0);
    for (const pieces of inPieces) expect(pieces).toEqual(whole);
  });

  const broken: Array<[string, string | Buffer, number, string]> = [
    ["bad element", '[\n{"a":1},\n{"a":2,,}\n]', 3, "invalid JSON"],
    ["missing comma", '[\n{"a":1}\n{"a":2}\n]', 3, "invalid JSON"],
    ["trailing comma", '[\n{"a":1},\n]', 3, "invalid JSON"],
    ["unclosed", '[\n{"a":1},\n{"a":2}\n', 4, "invalid JSON"],
    ["text after", '[{"a":1}]\nmore', 2, "invalid JSON"],
    ["top-level object", '{"a": [1, 2]}', 1, "expected a JSON array of records, got an object"],
    [
      "bad UTF-8",
      Buffer.concat([Buffer.from('[\n{"a":"é"},\n{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}]')]),
      3,
      "invalid UTF-8 (the file must be UTF-8 encoded)",
    ],
    // Chinese text before the bad byte: with pieces of 17 or 31 bytes, the piece holding the error starts
    // inside a character and has a newline before the error, so the line needs the bytes of the piece before.
    [
      "bad UTF-8 after CJK",
      Buffer.concat([Buffer.from('[\n{"a":"你好世界"},\n{"b":"再见"},\n{"c":"'), Buffer.from([0xe4, 0xbd]), Buffer.from('"}]')]),
      4,
      "invalid UTF-8 (the file must be UTF-8 encoded)",
    ],
  ];
  it.each(broken)("fails on the same line before yielding anything: %s", async (name, content, line, kind) => {
    const { whole, inPieces } = await bothWays(`${name}.json`, content);
    // V8's message gives no position for a trailing comma, so reading whole names no line there.
    expect(whole).toEqual({ error: { line: name === "trailing comma" ? undefined : line, kind }, yielded: 0 });
    for (const pieces of inPieces) expect(pieces).toEqual({ error: { line, kind }, yielded: 0 });
  });
});
