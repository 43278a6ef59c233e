/**
 * Bad input files, one kind per case: each must fail `convertFile` (the library behind `longwriter
 * convert`) with the exact file, line, field and reason, and leave nothing in the output directory —
 * neither the output nor a temp file. Positive cases (BOM, CRLF, a 50 MB line) must convert.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, InputError, type ToolkitError } from "../src/errors.js";
import { convertFile, type ConvertFileOptions } from "../src/io/adapters/convert-file.js";
import type { InputIssue } from "../src/io/input-issue.js";
import { readRecords } from "../src/io/read-records.js";
import { writeRecords } from "../src/io/write-records.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const dir = makeTmpDir("lw-bad-input-");
let counter = 0;

const U = (content: string) => JSON.stringify({ role: "user", content });
const A = (content: string) => JSON.stringify({ role: "assistant", content });
const GOOD = `{"messages":[${U("Write a poem.")},${A("Roses are red.")}]}`;

interface Case {
  name: string;
  /** File content, or a function that creates the input and returns its path. */
  content?: string | Buffer;
  ext?: string;
  make?: (path: string) => Promise<string> | string;
  options?: Partial<ConvertFileOptions>;
  out?: string;
  line?: number;
  field?: string;
  /** Exact reason, or a pattern for messages that embed a parser's wording. */
  reason: string | RegExp;
  error?: typeof ToolkitError;
}

const cases: Case[] = [
  { name: "invalid JSON mid-file", content: `${GOOD}\n{"messages": [\n${GOOD}\n`, line: 2, reason: /^invalid JSON: / },
  { name: "truncated last line", content: `${GOOD}\n${GOOD}\n{"messages":[${U("hi")},{"role":"assis`, line: 3, reason: /^invalid JSON: Unterminated string/ },
  {
    name: "bad UTF-8",
    content: Buffer.concat([Buffer.from(`${GOOD}\n${GOOD}\n{"messages":[{"role":"user","content":"caf`), Buffer.from([0xe9]), Buffer.from(`"}]}\n`)]),
    line: 3,
    reason: "invalid UTF-8 (the file must be UTF-8 encoded)",
  },
  {
    name: "UTF-16 file with a byte-order mark",
    content: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${GOOD}\n`, "utf16le")]),
    line: 1,
    reason: "the file is UTF-16 (little-endian byte-order mark); it must be UTF-8 — re-encode it, e.g. iconv -f UTF-16 -t UTF-8",
  },
  {
    name: "UTF-16 file without a byte-order mark",
    content: Buffer.from(`${GOOD}\n`, "utf16le"),
    line: 1,
    reason: "the file looks like UTF-16 without a byte-order mark; it must be UTF-8",
  },
  {
    name: "NUL bytes",
    content: Buffer.concat([Buffer.from(`${GOOD}\n{"messages":`), Buffer.from([0, 0]), Buffer.from("[]}\n")]),
    line: 2,
    reason: "NUL byte in the file (binary data?); expected UTF-8 JSON text",
  },
  { name: "non-object line", content: `${GOOD}\n42\n`, line: 2, reason: "expected a JSON object, got a number" },
  { name: "array top-level in JSONL", content: `[${GOOD}]\n`, line: 1, reason: "expected a JSON object, got an array" },
  { name: "empty file", content: "", reason: "no records (the input is empty)" },
  { name: "blank lines only", content: "\n  \r\n\n", reason: "no records (the input is empty)" },
  { name: "empty JSON array", content: "[]", ext: ".json", reason: "no records (the input is empty)" },
  { name: "file not found", make: (path) => `${path}.missing`, reason: "file not found" },
  {
    name: "a directory without Parquet files",
    make: (path) => (mkdirSync(path), path),
    reason: "is a directory with no .parquet files (expected a file or a dataset dir with data/*.parquet)",
  },
  { name: "unsupported extension", content: GOOD, ext: ".csv", reason: /unsupported input type "\.csv"/, error: ConfigError },
  {
    name: "undetectable format",
    content: `{"text":"plain pretraining text"}\n`,
    line: 1,
    reason:
      'cannot detect the record format from fields {"text"}; expected messages, conversations, instruction+output, or chosen+rejected (or name the format explicitly)',
  },
  {
    name: "wrong field type (content a number)",
    content: `${GOOD}\n{"messages":[${U("hi")},{"role":"assistant","content":5}]}\n`,
    line: 2,
    field: "messages.1.content",
    reason: "expected a string or a list of text parts, got a number",
  },
  { name: "messages not an array", content: `${GOOD}\n{"messages":"hi"}\n`, line: 2, field: "messages", reason: "expected an array of turns, got a string" },
  { name: "missing messages", content: `${GOOD}\n{"id":"x","turns":[]}\n`, line: 2, field: "messages", reason: 'missing field "messages"' },
  { name: "empty messages", content: `${GOOD}\n{"messages":[]}\n`, line: 2, field: "messages", reason: "conversation has no turns" },
  {
    name: "unknown role",
    content: `{"messages":[${U("hi")},{"role":"bot","content":"x"}]}\n`,
    line: 1,
    field: "messages.1.role",
    reason: 'unknown role "bot" (expected one of system, developer, user, assistant, tool, function)',
  },
  {
    name: "role not a string",
    content: `{"messages":[{"role":1,"content":"hi"}]}\n`,
    line: 1,
    field: "messages.0.role",
    reason: "expected a string, got a number",
  },
  {
    name: "non-alternating roles",
    content: `{"messages":[${U("a")},${A("b")},${A("c")}]}\n`,
    line: 1,
    field: "messages.2",
    reason: "roles do not alternate: turn 2 is assistant after assistant",
  },
  {
    name: "conversation starting with the assistant",
    content: `{"messages":[${A("a")},${U("b")},${A("c")}]}\n`,
    line: 1,
    field: "messages.0",
    reason: "conversation must start with a user turn, got assistant",
  },
  {
    name: "system turn not first",
    content: `{"messages":[${U("a")},${A("b")},{"role":"system","content":"s"},${A("c")}]}\n`,
    line: 1,
    field: "messages.2",
    reason: "system turn at position 2; only the first turn may be a system turn",
  },
  {
    name: "empty assistant turn",
    content: `${GOOD}\n${GOOD}\n{"messages":[${U("a")},${A("  \n")}]}\n`,
    line: 3,
    field: "messages.1",
    reason: "empty assistant turn",
  },
  {
    name: "last turn user",
    content: `{"messages":[${U("a")},${A("b")},${U("c")}]}\n`,
    line: 1,
    field: "messages.2",
    reason: "last turn is user, expected assistant (nothing to train on)",
  },
  {
    name: "tool turn without a call before it",
    content: `{"messages":[${U("a")},{"role":"tool","content":"{}"},${A("b")}]}\n`,
    line: 1,
    field: "messages.1",
    reason: "tool turn 1 follows no assistant tool call (turn 0 is user)",
  },
  {
    name: "image content part",
    content: `{"messages":[{"role":"user","content":[{"type":"image_url","image_url":"x"}]},${A("b")}]}\n`,
    line: 1,
    field: "messages.0.content.0.type",
    reason: 'content part of type "image_url" cannot be converted; only text parts can',
  },
  {
    name: "id of the wrong type",
    content: `{"id":{"a":1},"messages":[${U("a")},${A("b")}]}\n`,
    line: 1,
    field: "id",
    reason: "expected a string or number id, got an object",
  },
  {
    name: "meta not an object",
    content: `{"meta":"x","messages":[${U("a")},${A("b")}]}\n`,
    line: 1,
    field: "meta",
    reason: "expected an object, got a string",
  },
  {
    name: "alpaca without output",
    ext: ".json",
    content: '[\n  {"instruction": "a", "input": "", "output": "b"},\n  {\n    "instruction": "c",\n    "input": ""\n  }\n]\n',
    line: 3,
    field: "output",
    reason: 'missing field "output"',
  },
  {
    name: "alpaca output of the wrong type",
    ext: ".json",
    content: '[{"instruction": "a", "output": 3}]',
    line: 1,
    field: "output",
    reason: "expected a string, got a number",
  },
  {
    name: "alpaca empty instruction",
    ext: ".json",
    content: '[{"instruction": " ", "input": "", "output": "b"}]',
    line: 1,
    field: "instruction",
    reason: "empty user turn",
  },
  {
    name: "alpaca malformed history",
    ext: ".json",
    content: '[{"instruction": "a", "output": "b", "history": [["q"]]}]',
    line: 1,
    field: "history.0",
    reason: 'expected a [user, assistant] pair of strings, got ["q"]',
  },
  {
    name: "sharegpt unknown from",
    content: `{"conversations":[{"from":"robot","value":"a"},{"from":"gpt","value":"b"}]}\n`,
    line: 1,
    field: "conversations.0.from",
    reason: 'unknown role "robot" (expected one of system, human, user, gpt, assistant, function_call, observation, tool)',
  },
  {
    name: "sharegpt function_call without a function name",
    content: `{"conversations":[{"from":"human","value":"a"},{"from":"function_call","value":"{}"},{"from":"observation","value":"{}"},{"from":"gpt","value":"b"}]}\n`,
    line: 1,
    field: "conversations.1.value.name",
    reason: 'missing the function "name"',
  },
  {
    name: "sharegpt system field and system turn",
    content: `{"system":"s","conversations":[{"from":"system","value":"t"},{"from":"human","value":"a"},{"from":"gpt","value":"b"}]}\n`,
    line: 1,
    field: "system",
    reason: 'both a "system" field and a system turn in conversations; give one',
  },
  {
    name: "sharegpt missing value",
    content: `{"conversations":[{"from":"human"},{"from":"gpt","value":"b"}]}\n`,
    line: 1,
    field: "conversations.0.value",
    reason: "missing content",
  },
  {
    name: "preference missing rejected",
    ext: ".json",
    content:
      '[\n{"conversations":[{"from":"human","value":"q"}],"chosen":{"from":"gpt","value":"a"},"rejected":{"from":"gpt","value":"b"}},\n{"conversations":[{"from":"human","value":"q"}],"chosen":{"from":"gpt","value":"a"}}\n]',
    line: 3,
    field: "rejected",
    reason: 'missing field "rejected"',
  },
  {
    name: "chosen equal to rejected",
    content: `{"prompt":[${U("q")}],"chosen":[${A("same")}],"rejected":[${A("same")}]}\n`,
    line: 1,
    field: "rejected",
    reason: "chosen and rejected are identical",
  },
  {
    name: "preference prompt ending with the assistant",
    content: `{"prompt":[${U("q")},${A("a")}],"chosen":[${A("x")}],"rejected":[${A("y")}]}\n`,
    line: 1,
    field: "prompt.1",
    reason: "last turn is assistant, expected user",
  },
  {
    name: "preference score of the wrong type",
    content: `{"prompt":"q","chosen":"x","rejected":"y","score_chosen":"high"}\n`,
    line: 1,
    field: "score_chosen",
    reason: "expected a number or null, got a string",
  },
  {
    name: "ultrafeedback pair with different prompts",
    content: `{"chosen":[${U("q1")},${A("x")}],"rejected":[${U("q2")},${A("y")}]}\n`,
    line: 1,
    field: "rejected.0",
    reason: "chosen and rejected do not share the prompt turns (they differ at turn 0)",
  },
  {
    name: "JSON array with a non-object element",
    ext: ".json",
    content: '[\n{"instruction":"a","output":"b"},\n"oops"\n]',
    line: 3,
    reason: "array element 1 is a string, expected an object",
  },
  { name: "JSON array cut short", ext: ".json", content: '[\n{"instruction":"a","output":"b"},\n{"instruction":"c",', line: 3, reason: /^invalid JSON: / },
  {
    name: "a .json file holding one pretty-printed object",
    ext: ".json",
    content: '{\n  "data": [\n    {"instruction": "a", "output": "b"}\n  ]\n}\n',
    line: 1,
    reason: /^invalid JSON: .* \(a \.json file must hold a JSON array of records, or one JSON object per line\)$/,
  },
  {
    name: "Parquet that is not Parquet",
    ext: ".parquet",
    content: "this is plainly not a parquet file, it is text",
    reason: /^not a Parquet file or truncated \(/,
  },
  {
    name: "truncated Parquet",
    make: async (path) => {
      const whole = `${path}.whole.parquet`;
      await writeRecords(whole, [
        {
          id: "a",
          messages: [
            { role: "user", content: "q" },
            { role: "assistant", content: "a".repeat(5000) },
          ],
        },
      ]);
      const bytes = readFileSync(whole);
      const cut = `${path}.parquet`;
      writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
      return cut;
    },
    reason: /^not a Parquet file or truncated \(/,
  },
  { name: "Parquet shorter than its magic", ext: ".parquet", content: "PAR1", reason: "not a Parquet file (only 4 bytes)" },
  {
    name: "explicit --from of the wrong shape",
    content: `${GOOD}\n`,
    options: { from: "alpaca" },
    line: 1,
    field: "instruction",
    reason: 'missing field "instruction"',
  },
  {
    name: "output format of the other kind",
    content: `${GOOD}\n`,
    options: { to: "trl" },
    reason: /holds sft records; output format "trl" holds preference records$/,
    error: ConfigError,
  },
  {
    name: "output format Parquet cannot hold",
    content: `${GOOD}\n`,
    out: "out.parquet",
    options: { to: "sharegpt" },
    reason: /format "sharegpt" cannot be written as Parquet/,
    error: ConfigError,
  },
  {
    name: "record the output format cannot express",
    content: `{"prompt":[${U("q")}],"chosen":[${A("a")},${U("more?")},${A("b")}],"rejected":[${A("c")}]}\n`,
    options: { to: "sharegpt-preference" },
    line: 1,
    reason: "cannot be written as sharegpt-preference: chosen has 3 turns; sharegpt-preference holds exactly one assistant turn",
  },
  {
    name: "lone surrogate escape in a message (JSONL)",
    content: `${GOOD}\n{"messages":[${U("ok")},{"role":"assistant","content":"half \\ud83d of an emoji"}]}\n`,
    line: 2,
    field: "messages.1.content",
    reason: /^holds a lone UTF-16 surrogate .*Parquet cannot keep it/,
  },
  {
    name: "lone low surrogate in an alpaca JSON array",
    ext: ".json",
    content: `[\n{"instruction":"a","output":"b"},\n{"instruction":"x \\uDC00","output":"y"}\n]\n`,
    line: 3,
    field: "instruction",
    reason: /^holds a lone UTF-16 surrogate/,
  },
  {
    name: "top-level __proto__ key (would be lost, not kept in meta)",
    content: `{"messages":[${U("q")},${A("a")}],"__proto__":{"x":1}}\n`,
    line: 1,
    field: "__proto__",
    reason: 'a key named "__proto__" cannot be kept (JavaScript treats it as the object\'s prototype); rename it',
  },
  {
    name: "__proto__ key inside meta",
    content: `{"messages":[${U("q")},${A("a")}],"meta":{"__proto__":1}}\n`,
    line: 1,
    field: "meta.__proto__",
    reason: 'a key named "__proto__" cannot be kept (JavaScript treats it as the object\'s prototype); rename it',
  },
];

describe("bad input files: exact errors and no output left behind", () => {
  it(`covers at least 25 kinds (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases)("$name", async (c) => {
    const caseDir = join(dir, `case-${counter++}`);
    mkdirSync(caseDir);
    const base = join(caseDir, "input");
    let input: string;
    if (c.make) input = await c.make(base);
    else {
      input = `${base}${c.ext ?? ".jsonl"}`;
      writeFileSync(input, c.content!);
    }
    const outDir = join(caseDir, "out");
    mkdirSync(outDir);
    const output = join(outDir, c.out ?? "out.jsonl");
    const error = await convertFile({ input, output, ...c.options }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, "conversion should fail").toBeInstanceOf(c.error ?? InputError);
    if (error instanceof InputError) {
      expect(error.file).toBe(input);
      expect(error.line).toBe(c.line);
      expect(error.field).toBe(c.field);
      if (typeof c.reason === "string") expect(error.reason).toBe(c.reason);
      else expect(error.reason).toMatch(c.reason);
      const where = `${input}${c.line !== undefined ? `:${c.line}` : ""}${c.field ? `: field ${c.field}` : ""}: `;
      expect(error.message.startsWith(where)).toBe(true);
    } else {
      expect((error as Error).message).toMatch(c.reason);
    }
    expect(existsSync(output)).toBe(false);
    expect(readdirSync(outDir)).toEqual([]);
  });
});

describe("inputs that look odd but are fine", () => {
  it("accepts BOM, CRLF, blank lines and a last line without a newline, keeping line numbers", async () => {
    const input = join(dir, "bom-crlf.jsonl");
    writeFileSync(input, `\uFEFF${GOOD}\r\n\r\n${GOOD.replace("poem", "song")}`);
    const rows = [];
    for await (const row of readRecords(input)) rows.push(row);
    expect(rows.map((r) => r.line)).toEqual([1, 3]);
    const result = await convertFile({ input, output: join(dir, "bom-crlf.out.json") });
    expect(result.written).toBe(2);
  });

  it("keeps escaped surrogate pairs (Python's ensure_ascii output) as the characters they spell", async () => {
    const input = join(dir, "escaped-pairs.jsonl");
    writeFileSync(input, `{"messages":[${U("q")},{"role":"assistant","content":"smile \\ud83d\\ude00 \\u4f60\\u597d"}]}\n`);
    const output = join(dir, "escaped-pairs.out.parquet");
    await convertFile({ input, output });
    const rows = [];
    for await (const row of readRecords(output)) rows.push(row.record);
    expect((rows[0] as { messages: Array<{ content: string }> }).messages[1]!.content).toBe("smile \u{1F600} 你好");
  });

  it("accepts JSON Lines inside a .json file", async () => {
    const input = join(dir, "lines.json");
    writeFileSync(input, `${GOOD}\n${GOOD.replace("poem", "song")}\n`);
    const result = await convertFile({ input, output: join(dir, "lines.out.jsonl") });
    expect(result).toMatchObject({ read: 2, written: 2, inputFormats: { [input]: "messages" } });
  });

  it("converts a 50 MB line", async () => {
    const input = join(dir, "huge.jsonl");
    const big = "word ".repeat(10 * 1024 * 1024);
    // With an id, so the time goes to reading and writing rather than to content hashing.
    writeFileSync(input, `${GOOD}\n{"id":"huge","messages":[${U("Write 10M words.")},${A(big)}]}\n`);
    const output = join(dir, "huge.out.jsonl");
    expect((await convertFile({ input, output })).written).toBe(2);
    expect(statSync(output).size).toBeGreaterThan(big.length);
  });
});

describe("skip-and-count", () => {
  it("reports every bad line with its reason and converts the rest", async () => {
    const input = join(dir, "mixed.jsonl");
    const lines = [
      GOOD, // 1
      "{oops", // 2
      `{"messages":[${U("a")},${A("")}]}`, // 3
      GOOD.replace("poem", "story"), // 4
      "7", // 5
      `{"messages":[${U("a")},${U("b")}]}`, // 6
      "", // 7 blank: not an issue
      `{"messages":[${U("a")},{"role":"bot","content":"x"}]}`, // 8
      GOOD.replace("poem", "essay"), // 9
    ];
    writeFileSync(input, lines.join("\n"));
    const issues: InputIssue[] = [];
    const output = join(dir, "mixed.out.jsonl");
    const result = await convertFile({ input, output, skipInvalid: true, issues });
    expect(result).toMatchObject({ read: 3, written: 3, skipped: 5 });
    expect(issues.map((i) => [i.file, i.line, i.field ?? null])).toEqual([
      [input, 2, null],
      [input, 3, "messages.1"],
      [input, 5, null],
      [input, 6, "messages.1"],
      [input, 8, "messages.1.role"],
    ]);
    expect(issues.map((i) => i.reason.split(":")[0])).toEqual([
      "invalid JSON",
      "empty assistant turn",
      "expected a JSON object, got a number",
      "roles do not alternate",
      'unknown role "bot" (expected one of system, developer, user, assistant, tool, function)',
    ]);
    expect(readFileSync(output, "utf8").trim().split("\n")).toHaveLength(3);
  });
});
