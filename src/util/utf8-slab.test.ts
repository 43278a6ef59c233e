import { describe, expect, it } from "vitest";
import { Utf8Slab } from "./utf8-slab.js";

const encoder = new TextEncoder();

/** Seeded text of `length` UTF-16 units mixing ASCII, 2- and 3-byte characters, surrogate pairs and lone surrogates. */
function randomText(seed: number, length: number): string {
  let state = seed;
  const next = (): number => ((state = (state * 1103515245 + 12345) >>> 0) >>> 8) / (1 << 24);
  const pieces = ["a", "Z", " ", "é", "ß", "写", "作", "😀", "\ud800", "\udfff", "\u0000", "\uffff"];
  let text = "";
  while (text.length < length) text += pieces[Math.floor(next() * pieces.length)];
  return text.slice(0, length);
}

describe("Utf8Slab", () => {
  it("gives TextEncoder's bytes, as plain Uint8Array views that later encodings never overwrite", () => {
    const slab = new Utf8Slab();
    const texts: string[] = [""];
    // Short and long texts, some longer than a slab (1 MiB), some whose bound (3 bytes a unit) passes the room left.
    for (let i = 0; i < 400; i++) texts.push(randomText(i, i % 50 === 0 ? 400_000 + i : (i * 37) % 3000));
    texts.push("x".repeat(1 << 20), "写".repeat(400_000));
    const views = texts.map((text) => slab.encode(text));
    views.forEach((view, i) => {
      expect(view.constructor).toBe(Uint8Array);
      expect(Buffer.from(view).equals(Buffer.from(encoder.encode(texts[i]!)))).toBe(true);
    });
    // Views share slabs: far fewer buffers than texts.
    expect(new Set(views.map((view) => view.buffer)).size).toBeLessThan(texts.length / 4);
  });
});
