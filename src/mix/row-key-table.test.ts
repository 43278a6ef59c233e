import { describe, expect, it } from "vitest";
import { RowKeyTable, type RowTexts } from "./row-key-table.js";

/** Rows in a pretend spool (their normalised turns), and the texts interface over them for `candidate`. */
function spoolOf(rows: string[]): (candidate: string) => RowTexts {
  return (candidate) => ({ candidate: () => Buffer.from(candidate), spooled: (index) => Buffer.from(rows[index]!) });
}

describe("exact-dedup row key table", () => {
  it("calls a row a duplicate only when an earlier row has its hash and its text", () => {
    const rows: string[] = [];
    const texts = spoolOf(rows);
    const table = new RowKeyTable();
    const add = (low: number, high: number, text: string): boolean => {
      const slot = table.add(low, high, rows.length, texts(text));
      if (slot >= 0) rows.push(text);
      return slot >= 0;
    };
    expect(add(1, 2, "a")).toBe(true);
    expect(add(1, 2, "a")).toBe(false); // same hash, same text
    expect(add(1, 2, "b")).toBe(true); // a collision: both kept
    expect(add(1, 2, "b")).toBe(false); // found past the first row with that hash
    expect(add(1, 3, "a")).toBe(true); // half the hash the same is another hash
    expect(add(0xffffffff, 0xffffffff, "c")).toBe(true);
    expect(add(0xffffffff, 0xffffffff, "c")).toBe(false);
    expect(table.size).toBe(4);
  });

  it("asks for the texts only when hashes match", () => {
    const table = new RowKeyTable();
    let asked = 0;
    const texts: RowTexts = {
      candidate: () => {
        asked++;
        return Buffer.from("x");
      },
      spooled: () => Buffer.from("x"),
    };
    for (let i = 0; i < 1000; i++) table.add(i, i * 7, i, texts);
    expect(asked).toBe(0);
    expect(table.add(5, 35, 1000, texts)).toBe(-1);
    expect(asked).toBe(1);
  });

  it("keeps every row through its growth, with many rows sharing a probe start", () => {
    const rows: string[] = [];
    const texts = spoolOf(rows);
    const table = new RowKeyTable();
    // Low halves cluster (probe starts collide), and every tenth row shares its hash with the one before.
    const hashOf = (k: number): [number, number] => [(Math.floor(k / 10) * 2) & 0xff, Math.floor(k / 2)];
    for (let k = 0; k < 50_000; k++) {
      const [low, high] = hashOf(k);
      expect(table.add(low, high, rows.length, texts(`row ${k}`))).toBeGreaterThanOrEqual(0);
      rows.push(`row ${k}`);
    }
    expect(table.size).toBe(50_000);
    for (let k = 0; k < 50_000; k += 997) {
      const [low, high] = hashOf(k);
      expect(table.add(low, high, rows.length, texts(`row ${k}`)), `row ${k}`).toBe(-1);
    }
  });

  it("finds a row whose text it keeps (a row a later step dropped) as it finds a spooled one", () => {
    const rows: string[] = [];
    const texts = spoolOf(rows);
    const table = new RowKeyTable();
    const slot = table.add(9, 9, rows.length, texts("dropped later"));
    table.keepText(slot, Buffer.from("dropped later"));
    // The next row takes the spool index the dropped one would have had.
    expect(table.add(8, 8, rows.length, texts("spooled"))).toBeGreaterThanOrEqual(0);
    rows.push("spooled");
    for (let k = 0; k < 5000; k++) table.add(k + 100, k, rows.length, texts(`filler ${k}`)) >= 0 && rows.push(`filler ${k}`);
    expect(table.add(9, 9, rows.length, texts("dropped later"))).toBe(-1);
    expect(table.add(8, 8, rows.length, texts("spooled"))).toBe(-1);
    expect(table.add(9, 9, rows.length, texts("spooled"))).toBeGreaterThanOrEqual(0);
  });
});
