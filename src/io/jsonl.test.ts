import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import { InputError } from "../errors.js";
import { sftRecordSchema } from "../schemas/sft-record.js";
import type { InputIssue } from "./input-issue.js";
import { readJsonl, writeJsonl } from "./jsonl.js";
import { collect } from "../../test/helpers/collect.js";

const dir = makeTmpDir();
let n = 0;
function file(content: string | Buffer): string {
  const path = join(dir, `f${n++}.jsonl`);
  writeFileSync(path, content);
  return path;
}

describe("readJsonl", () => {
  it("handles BOM, CRLF, blank lines and a last line without newline, keeping line numbers", async () => {
    const path = file('\uFEFF{"a":1}\r\n\r\n{"a":2}\n\n   \n{"a":3}');
    const rows = await collect(readJsonl(path));
    expect(rows).toEqual([
      { line: 1, record: { a: 1 } },
      { line: 3, record: { a: 2 } },
      { line: 6, record: { a: 3 } },
    ]);
  });

  it("reads a 50 MB line", async () => {
    const big = "x".repeat(50 * 1024 * 1024);
    const path = file(`{"a":1}\n{"big":"${big}"}\n`);
    const rows = await collect(readJsonl<{ big?: string }>(path));
    expect(rows[1]!.line).toBe(2);
    expect(rows[1]!.record.big!.length).toBe(big.length);
  });

  it("names file and line for invalid JSON", async () => {
    const path = file('{"a":1}\n{"a":\n');
    await expect(collect(readJsonl(path))).rejects.toThrow(new RegExp(`^${path}:2: invalid JSON`));
  });

  it("names file and line for bad UTF-8", async () => {
    const path = file(Buffer.concat([Buffer.from('{"a":1}\n{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]));
    await expect(collect(readJsonl(path))).rejects.toThrow(`${path}:2: invalid UTF-8`);
  });

  it("names file, line and field for a schema failure", async () => {
    const path = file('{"id":"a","messages":[{"role":"user","content":"hi"}]}\n{"id":"b","messages":[{"role":"user","content":5}]}\n');
    const error = await collect(readJsonl(path, { schema: sftRecordSchema })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).line).toBe(2);
    expect((error as InputError).field).toBe("messages.0.content");
  });

  it("rejects non-object lines", async () => {
    const path = file("[1,2]\n");
    await expect(collect(readJsonl(path))).rejects.toThrow(`${path}:1: expected a JSON object, got an array`);
  });

  it("skips and reports bad lines when asked", async () => {
    const path = file('{"a":1}\nnot json\n5\n{"a":2}\n');
    const issues: InputIssue[] = [];
    const rows = await collect(readJsonl(path, { skipInvalid: true, issues }));
    expect(rows.map((r) => r.line)).toEqual([1, 4]);
    expect(issues.map((i) => i.line)).toEqual([2, 3]);
  });

  it("reports a missing file", async () => {
    await expect(collect(readJsonl(join(dir, "missing.jsonl")))).rejects.toThrow("missing.jsonl: file not found");
  });
});

describe("writeJsonl", () => {
  it("writes atomically and leaves nothing behind when the source throws", async () => {
    const out = join(dir, "sub", "out.jsonl");
    async function* failing() {
      yield { a: 1 };
      throw new Error("boom");
    }
    await expect(writeJsonl(out, failing())).rejects.toThrow("boom");
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(join(dir, "sub"))).toEqual([]);
    expect(await writeJsonl(out, [{ a: 1 }, { b: "ü" }])).toBe(2);
    expect(await collect(readJsonl(out))).toHaveLength(2);
  });
});
