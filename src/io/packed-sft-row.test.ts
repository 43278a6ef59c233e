import { describe, expect, it } from "vitest";
import { ToolkitError } from "../errors.js";
import { ROLE_BYTES, MessagesByteReader, type ByteRole, type ByteTurn } from "./adapters/messages-bytes.js";
import { encodeValue, rowTextBytes, SFT_COLUMNS, SFT_TOOL_COLUMNS } from "./column-spec.js";
import { encodeJsonRow, JsonRow, jsonRowObject } from "./json-row.js";
import { isPackedSftRow, packedSftRecord, packedSftRowBound, packSftRow, unpackSftRow } from "./packed-sft-row.js";

const utf8 = new TextEncoder();
const where = { file: "spool", row: 1 };

interface Row {
  id: string;
  source: string | null;
  meta: Record<string, unknown> | null;
  turns: Array<[ByteRole, string]>;
}

const ROWS: Row[] = [
  {
    id: "a",
    source: "long",
    meta: null,
    turns: [
      ["user", "Write 3000 words."],
      ["assistant", 'Once upon a time…\n\n"quoted" \\ tab\t end'],
    ],
  },
  {
    id: "长-id",
    source: null,
    meta: { plan: [1, 2], note: "é 😀" },
    turns: [
      ["system", "你是助手"],
      ["user", "写一篇文章"],
      ["assistant", "好的。😀"],
    ],
  },
  { id: "", source: "", meta: {}, turns: [] },
  { id: "x".repeat(70_000), source: "s", meta: null, turns: [["assistant", "y".repeat(100_000)]] },
];

function pack(row: Row): Uint8Array {
  const turns: ByteTurn[] = row.turns.map(([role, text]) => ({ role, content: utf8.encode(text) }));
  const meta = row.meta === null ? null : JSON.stringify(row.meta);
  const target = Buffer.alloc(packedSftRowBound(row.id, row.source, meta, turns) + 8, 0xaa);
  const written = packSftRow(target, 3, row.id, row.source, meta, turns);
  expect(3 + written).toBeLessThanOrEqual(target.length);
  return new Uint8Array(target.subarray(3, 3 + written));
}

/** The row as a spool's JSON would hold it (what `RowSpool.append` writes). */
function asJson(row: Row): Uint8Array {
  const object = {
    id: row.id,
    messages: row.turns.map(([role, content]) => ({ role, content })),
    ...(row.source !== null ? { source: row.source } : {}),
    ...(row.meta !== null ? { meta: row.meta } : {}),
  };
  return utf8.encode(JSON.stringify(object));
}

describe("packed SFT rows", () => {
  it("unpack to exactly what was packed", () => {
    for (const row of ROWS) {
      const bytes = pack(row);
      expect(isPackedSftRow(bytes)).toBe(true);
      const [turns, id, source, meta] = unpackSftRow(bytes);
      expect(id).toBe(row.id);
      expect(source).toBe(row.source);
      expect(meta).toBe(row.meta === null ? null : JSON.stringify(row.meta));
      expect(turns.map(({ role, content }) => [role, Buffer.from(content).toString("utf8")])).toEqual(row.turns);
    }
  });

  it("encode to the same cells as the row's JSON, with or without a byte reader, and with an id override", () => {
    for (const row of ROWS) {
      const json = asJson(row);
      const packed = pack(row);
      expect(isPackedSftRow(json)).toBe(false);
      const size = sizeOf(json);
      const fromJson = encodeJsonRow(SFT_COLUMNS, json, size, undefined, where);
      expect(asText(encodeJsonRow(SFT_COLUMNS, packed, size, undefined, where))).toEqual(asText(fromJson));
      const reader = new MessagesByteReader({ copyText: true });
      reader.reset(packed.length);
      const viaReader = encodeJsonRow(SFT_COLUMNS, packed, size, undefined, where, reader);
      expect(asText(viaReader)).toEqual(asText(fromJson));
      // With copyText the cells hold no view of the row's own bytes (the caller may reuse them).
      for (const { content } of viaReader[0] as Array<{ content: Uint8Array }>) expect(content.buffer).not.toBe(packed.buffer);
      const renamed = encodeJsonRow(SFT_COLUMNS, packed, size + 6, { id: `${row.id}#copy1` }, where);
      expect(renamed[1]).toBe(`${row.id}#copy1`);
      // In the tool-call layout (another row has tools) the row is decoded and encoded like its JSON.
      const toolSize = sizeOf(json, SFT_TOOL_COLUMNS);
      expect(asText(encodeJsonRow(SFT_TOOL_COLUMNS, packed, toolSize, undefined, where))).toEqual(
        asText(encodeJsonRow(SFT_TOOL_COLUMNS, json, toolSize, undefined, where)),
      );
    }
  });

  it("give their text as plain Uint8Array views, also when read from a Buffer (as the spool hands rows over)", () => {
    const packed = pack(ROWS[1]!);
    const fromBuffer = Buffer.from(packed);
    const [turns] = unpackSftRow(fromBuffer);
    expect(turns.map(({ content }) => content.constructor)).toEqual([Uint8Array, Uint8Array, Uint8Array]);
    expect(turns[0]!.content.buffer).toBe(fromBuffer.buffer); // a view, not a copy
    expect(Buffer.from(turns[2]!.content).toString("utf8")).toBe("好的。😀");
  });

  it("read back as the record their JSON stands for", () => {
    for (const row of ROWS) {
      expect(packedSftRecord(pack(row))).toEqual(JSON.parse(Buffer.from(asJson(row)).toString("utf8")));
      expect(jsonRowObject(new JsonRow(pack(row), 0, { id: "z" }), where)).toEqual({ ...JSON.parse(Buffer.from(asJson(row)).toString("utf8")), id: "z" });
    }
  });

  it("refuse a declared text size that is wrong", () => {
    const packed = pack(ROWS[0]!);
    expect(() => encodeJsonRow(SFT_COLUMNS, packed, 1, undefined, where)).toThrow(/declared 1 bytes of text/);
  });

  it("report a truncated or altered row instead of reading past it", () => {
    const packed = pack(ROWS[1]!);
    for (const cut of [1, 5, 12, packed.length - 1]) expect(() => unpackSftRow(packed.subarray(0, cut))).toThrow(ToolkitError);
    expect(() => unpackSftRow(new Uint8Array([...packed, 0]))).toThrow(/bytes follow its last turn/);
    const badRole = packed.slice();
    // The first turn's role code sits after the mark, three strings and the turn count.
    const [, id, source, meta] = unpackSftRow(packed);
    badRole[1 + 4 * 4 + utf8.encode(id).length + utf8.encode(source ?? "").length + utf8.encode(meta ?? "").length] = 7;
    expect(() => unpackSftRow(badRole)).toThrow(/unknown role code/);
    expect(() => unpackSftRow(utf8.encode("{}"))).toThrow(/packed-row mark/);
  });

  it("keep the roles' shared bytes", () => {
    const cells = encodeJsonRow(SFT_COLUMNS, pack(ROWS[0]!), sizeOf(asJson(ROWS[0]!)), undefined, where);
    expect((cells[0] as Array<{ role: Uint8Array }>)[0]!.role).toBe(ROLE_BYTES.user);
  });
});

/** `rowTextBytes` of a JSON row in `columns`, from its cells as `encodeValue` gives them. */
function sizeOf(json: Uint8Array, columns = SFT_COLUMNS): number {
  const row = JSON.parse(Buffer.from(json).toString("utf8")) as Record<string, unknown>;
  return rowTextBytes(
    columns,
    columns.map((column) => encodeValue(column, row[column.name], where)),
  );
}

/** Cells with text given as UTF-8 bytes turned into strings (the writer takes either), to compare. */
function asText(cells: unknown[]): unknown[] {
  const text = (value: unknown): unknown => (value instanceof Uint8Array ? Buffer.from(value).toString("utf8") : value);
  return cells.map((cell) =>
    Array.isArray(cell)
      ? cell.map((turn: Record<string, unknown>) => Object.fromEntries(Object.entries(turn).map(([key, value]) => [key, text(value)])))
      : cell,
  );
}
