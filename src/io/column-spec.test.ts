import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { decodeValue, encodeValue, parquetSchemaFor, rowTextBytes, SFT_COLUMNS, validateColumns, type ColumnSpec } from "./column-spec.js";

const where = { file: "out.parquet", row: 7 };

describe("parquetSchemaFor", () => {
  it("lays out messages as a standard 3-level LIST of struct<role, content>", () => {
    const schema = parquetSchemaFor(SFT_COLUMNS);
    expect(schema.map((e) => e.name)).toEqual(["root", "messages", "list", "element", "role", "content", "id", "source", "meta"]);
    const [root, messages, list, element, role, content, id, source, meta] = schema;
    expect(root!.num_children).toBe(4);
    expect(messages).toMatchObject({ repetition_type: "REQUIRED", converted_type: "LIST", logical_type: { type: "LIST" }, num_children: 1 });
    expect(list).toMatchObject({ repetition_type: "REPEATED", num_children: 1 });
    expect(element).toMatchObject({ repetition_type: "OPTIONAL", num_children: 2 });
    expect(role).toMatchObject({ type: "BYTE_ARRAY", converted_type: "UTF8" });
    expect(content).toMatchObject({ type: "BYTE_ARRAY", converted_type: "UTF8" });
    expect(id).toMatchObject({ type: "BYTE_ARRAY", repetition_type: "REQUIRED" });
    expect(source!.repetition_type).toBe("OPTIONAL");
    expect(meta).toMatchObject({ type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" });
  });

  it("rejects empty, duplicate and unknown columns", () => {
    expect(() => validateColumns([])).toThrow(/at least one column/);
    expect(() =>
      validateColumns([
        { name: "a", type: "string" },
        { name: "a", type: "int32" },
      ]),
    ).toThrow(/duplicate column "a"/);
    expect(() => validateColumns([{ name: "a", type: "float16" as never }])).toThrow(/unknown type "float16"/);
    expect(() => validateColumns([{ name: "", type: "string" }])).toThrow(/empty name/);
  });
});

describe("encodeValue / decodeValue", () => {
  const col = (type: ColumnSpec["type"], nullable = false): ColumnSpec => ({ name: "c", type, nullable });

  it("converts int64 to bigint and back to number when safe", () => {
    expect(encodeValue(col("int64"), 5, where)).toBe(5n);
    expect(decodeValue(col("int64"), 5n, where)).toBe(5);
    expect(decodeValue(col("int64"), 2n ** 62n, where)).toBe(2n ** 62n);
    expect(() => encodeValue(col("int64"), 1.5, where)).toThrow(/expected an integer, got number 1.5/);
  });

  it("keeps only role and content of a message, in that order", () => {
    const encoded = encodeValue(col("messages"), [{ content: "hi", role: "user", name: "x" }], where);
    expect(encoded).toEqual([{ role: "user", content: "hi" }]);
    expect(Object.keys((encoded as object[])[0]!)).toEqual(["role", "content"]);
  });

  it("reads messages back as {role, content} turns: as decoded when complete and role first, else rebuilt", () => {
    const decoded = [
      { role: "user", content: "q" },
      { role: "assistant", content: "a" },
    ];
    expect(decodeValue(col("messages"), decoded, where)).toBe(decoded); // nothing to rebuild
    // Another writer's struct order (content first) and a missing field come back in our shape.
    const contentFirst = decodeValue(col("messages"), [{ content: "q", role: "user" }], where) as object[];
    expect(JSON.stringify(contentFirst)).toBe('[{"role":"user","content":"q"}]');
    expect(decodeValue(col("messages"), [{ role: "user" }, null], where)).toEqual([
      { role: "user", content: null },
      { role: null, content: null },
    ]);
  });

  it("a plain messages column refuses tool fields instead of dropping them; tool-messages keeps them", () => {
    const call = { type: "function", function: { name: "f", arguments: "{}" } };
    expect(() => encodeValue(col("messages"), [{ role: "assistant", content: "", tool_calls: [call] }], where)).toThrow(/tool-messages layout/);
    const turns = [
      { role: "user", content: "q" },
      { role: "assistant", content: "", tool_calls: [{ id: "c1", ...call }] },
      { role: "tool", content: "r", tool_call_id: "c1", name: "f" },
    ];
    const encoded = encodeValue(col("tool-messages"), turns, where) as object[];
    expect(encoded[0]).toEqual({ role: "user", content: "q", tool_calls: null, tool_call_id: null, name: null });
    expect(decodeValue(col("tool-messages"), encoded, where)).toEqual(turns);
    // a turn without tool fields costs the same bytes in both layouts, so row groups are cut alike
    expect(rowTextBytes([col("tool-messages")], [encodeValue(col("tool-messages"), turns.slice(0, 1), where)])).toBe(
      rowTextBytes([col("messages")], [encodeValue(col("messages"), turns.slice(0, 1), where)]),
    );
  });

  it("stores json as a string and parses it back; bad JSON on read names the row", () => {
    expect(encodeValue(col("json"), { a: [1] }, where)).toBe('{"a":[1]}');
    expect(decodeValue(col("json"), '{"a":[1]}', where)).toEqual({ a: [1] });
    const error = (() => {
      try {
        decodeValue(col("json"), "{nope", where);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe("out.parquet:7: field c: invalid JSON in a json column");
  });

  it("treats undefined as null only for nullable columns", () => {
    expect(encodeValue(col("string", true), undefined, where)).toBeNull();
    expect(() => encodeValue(col("string"), undefined, where)).toThrow('out.parquet:7: field c: column "c" (string) is required, got nothing');
    expect(() => encodeValue(col("boolean"), "yes", where)).toThrow(/expected a boolean, got string "yes"/);
    expect(() => encodeValue(col("double"), "1", where)).toThrow(/expected a number/);
  });

  it("sizes rows by UTF-8 bytes of their text plus Parquet's length prefixes and levels", () => {
    const columns: ColumnSpec[] = [
      { name: "m", type: "messages" },
      { name: "s", type: "string" },
      { name: "n", type: "double" },
    ];
    const bytes = rowTextBytes(columns, [[{ role: "user", content: "你好" }], "abc", 1]);
    expect(bytes).toBe(1 + (4 + 6 + 10) + (3 + 4) + 8);
  });
});
