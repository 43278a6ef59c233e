import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import { elementStartLines, firstInvalidUtf8Offset, readJsonArray } from "./json-array.js";
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
