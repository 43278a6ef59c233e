import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import { RowSpool } from "./row-spool.js";

const dir = makeTmpDir("lw-spool-");

describe("RowSpool", () => {
  it("stores each row as its JSON line, across buffer flushes and rows larger than the buffer, and reads them back", () => {
    const spool = RowSpool.create(join(dir, "rows.spool"));
    const rows: unknown[] = [];
    // ~6 MB of 2 KB rows (the write buffer is 4 MB), multi-byte text, an escaped lone surrogate, then a
    // 7 MB row (2.4M code units of 3-byte characters: more than the buffer) and more small rows after it.
    for (let i = 0; i < 3000; i++) rows.push({ id: `r${i}`, messages: [{ role: "user", content: `${i} 中文 é 😀 \ud800 `.repeat(100) }] });
    rows.push({ id: "huge", text: "写".repeat(2_400_000) });
    for (let i = 0; i < 10; i++) rows.push({ id: `after${i}`, n: i });
    for (const [i, row] of rows.entries()) expect(spool.append(row)).toBe(i);
    expect(spool.size).toBe(rows.length);
    for (const i of [0, 1, 1999, 2999, 3000, 3001, rows.length - 1]) {
      expect(spool.read(i)).toEqual(rows[i]);
      expect(spool.readBytes(i).toString("utf8")).toBe(JSON.stringify(rows[i]));
    }
    // A view is the row's bytes in a reused buffer: right until the next read, which overwrites it.
    const first = spool.readView(1);
    expect(first.toString("utf8")).toBe(JSON.stringify(rows[1]));
    const copy = spool.readBytes(1);
    const second = spool.readView(2);
    expect(second.toString("utf8")).toBe(JSON.stringify(rows[2]));
    expect(second.buffer).toBe(first.buffer);
    expect(copy.toString("utf8")).toBe(JSON.stringify(rows[1]));
    expect(() => spool.readView(rows.length)).toThrow(`no row ${rows.length}`);
    spool.flush();
    // The file is exactly the rows' JSON lines, in order.
    expect(readFileSync(spool.path, "utf8")).toBe(rows.map((row) => `${JSON.stringify(row)}\n`).join(""));
    spool.dispose();
  });
});
