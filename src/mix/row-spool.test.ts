import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import { DEFAULT_SPOOL_MEMORY_BYTES, RowSpool } from "./row-spool.js";

const dir = makeTmpDir("lw-spool-");

describe("RowSpool", () => {
  it("stores each row as its JSON line, across buffer flushes and rows larger than the buffer, and reads them back", () => {
    const spool = RowSpool.create(join(dir, "rows.spool"), { memoryBytes: 0 });
    expect(spool.inMemory).toBe(false);
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

  it("writes a block of rows as it is once in its file, and takes rows of it without copying them", () => {
    const json = (row: unknown) => Buffer.from(JSON.stringify(row));
    const inMemory = RowSpool.create(join(dir, "block-held.spool"));
    expect(inMemory.writeBlock(json({ id: "x" }))).toBeUndefined();
    inMemory.dispose();

    const spool = RowSpool.create(join(dir, "block.spool"), { memoryBytes: 0 });
    const before = { id: "before" };
    spool.append(before);
    // A block of three rows back to back (as a reader thread's range holds them); the middle one is not taken.
    const rows = [{ id: "b0", text: "中文 é" }, { id: "b1" }, { id: "b2", n: 2 }].map(json);
    const block = Buffer.concat(rows);
    const start = spool.writeBlock(block)!;
    expect(start).toBe(json(before).length + 1); // after the row appended before it, and its newline
    expect(spool.appendWritten(start, rows[0]!.length)).toBe(1);
    expect(spool.appendWritten(start + rows[0]!.length + rows[1]!.length, rows[2]!.length)).toBe(2);
    expect(() => spool.appendWritten(start + block.length - 2, 3)).toThrow("no written bytes");
    const after = { id: "after" };
    expect(spool.append(after)).toBe(3);
    expect([0, 1, 2, 3].map((i) => spool.read(i))).toEqual([before, { id: "b0", text: "中文 é" }, { id: "b2", n: 2 }, after]);
    expect(spool.readView(2).equals(rows[2]!)).toBe(true);
    spool.flush();
    expect(
      readFileSync(spool.path)
        .subarray(start, start + block.length)
        .equals(block),
    ).toBe(true);
    spool.dispose();
  });

  it("keeps a small spool in memory: rows read back as views that stay valid, nothing written to the file", () => {
    const spool = RowSpool.create(join(dir, "held.spool"));
    expect(spool.inMemory).toBe(true);
    const rows = Array.from({ length: 5000 }, (_, i) => ({ id: `r${i}`, text: `${i} 中文 😀 `.repeat(200) })); // ~9 MB: three buffers
    rows.push({ id: "big", text: "写".repeat(2_000_000) }); // a 6 MB row: a buffer of its own
    for (const row of rows) spool.append(row);
    const packed = Buffer.from([0x00, 1, 2, 3, 0x0a, 4]);
    const packedIndex = spool.appendBytes(packed, 1, 5); // bytes [1, 5): a row with a newline byte inside
    const views = rows.map((_, i) => spool.heldView(i)!);
    for (const i of [0, 1, 2000, 4999, 5000]) expect(views[i]!.toString("utf8")).toBe(JSON.stringify(rows[i]));
    expect([...spool.heldView(packedIndex)!]).toEqual([1, 2, 3, 0x0a]);
    // Views stay valid after more rows and other reads; readView gives the same bytes.
    for (let i = 0; i < 100; i++) spool.append({ more: i });
    expect(spool.readView(3).toString("utf8")).toBe(JSON.stringify(rows[3]));
    expect(spool.read(5000)).toEqual(rows[5000]);
    for (const i of [0, 4999, 5000]) expect(views[i]!.toString("utf8")).toBe(JSON.stringify(rows[i]));
    expect(spool.read(packedIndex + 100)).toEqual({ more: 99 });
    spool.flush();
    expect(spool.inMemory).toBe(true);
    expect(readFileSync(spool.path).length).toBe(0);
    expect(() => spool.heldView(-1)).toThrow("no row -1");
    spool.dispose();
  });

  it("moves everything to the file once the rows pass memoryBytes, then reads from there", () => {
    const spool = RowSpool.create(join(dir, "spilled.spool"), { memoryBytes: 6 << 20 });
    const rows = Array.from({ length: 6000 }, (_, i) => ({ id: `r${i}`, text: `${i} é `.repeat(300) })); // ~11 MB
    const heldViews: Buffer[] = [];
    for (const [i, row] of rows.entries()) {
      spool.append(row);
      if (spool.inMemory) heldViews[i] = spool.heldView(i)!;
    }
    expect(spool.inMemory).toBe(false);
    expect(heldViews.length).toBeGreaterThan(1000);
    expect(spool.heldView(0)).toBeUndefined();
    for (const i of [0, 999, 3000, 5999]) expect(spool.read(i)).toEqual(rows[i]);
    spool.flush();
    expect(readFileSync(spool.path, "utf8")).toBe(rows.map((row) => `${JSON.stringify(row)}\n`).join(""));
    spool.dispose();
    expect(DEFAULT_SPOOL_MEMORY_BYTES).toBe(64 << 20);
    expect(() => RowSpool.create(join(dir, "bad.spool"), { memoryBytes: -1 })).toThrow("memoryBytes must be 0 or more");
  });
});
