import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { snappyUncompress as hyparquetUncompress } from "hyparquet";
import { snappyUncompress as hysnappyUncompress } from "hysnappy";
import { describe, expect, it } from "vitest";
import { createSnappyCompressor, snappyMaxCompressedLength } from "./snappy-compressor.js";

// CJK JSON from the shared demo data: slices of it repeat enough for snappy to find matches.
const data = readFileSync(join(process.cwd(), "../shared/data/general-sft/alpaca_zh_demo.json"));

/** Decodes `compressed` with two decoders that are not ours and checks both give `input` back. */
function roundTrips(compressed: Uint8Array, input: Uint8Array): boolean {
  const viaHyparquet = new Uint8Array(input.length);
  hyparquetUncompress(compressed, viaHyparquet);
  const viaHysnappy = hysnappyUncompress(compressed, input.length);
  return Buffer.from(viaHyparquet).equals(Buffer.from(input)) && Buffer.from(viaHysnappy).equals(Buffer.from(input));
}

/** `n` bytes of a short alphabet: text-like, with matches at every distance. */
function texty(n: number, seed: number): Uint8Array {
  const words = ["the ", "model ", "writes ", "long ", "answers ", "plan ", "of ", "paragraphs\n", "数据", "，"];
  const parts: string[] = [];
  let x = seed;
  let length = 0;
  while (length < n) {
    x = (x * 1103515245 + 12345) >>> 0;
    const word = words[x % words.length]!;
    parts.push(word);
    length += Buffer.byteLength(word);
  }
  return Buffer.from(parts.join("")).subarray(0, n);
}

describe("createSnappyCompressor", () => {
  const compress = createSnappyCompressor();

  it("writes the format's bytes for a run: one literal, then copies of 64 and of the rest", () => {
    // varint 100 · literal of 1 ("a") · copy of 64 from 1 back · copy of 35 from 1 back
    expect([...compress(Buffer.alloc(100, "a"))]).toEqual([100, 0x00, 0x61, 0xfe, 0x01, 0x00, 0x8a, 0x01, 0x00]);
    expect([...compress(new Uint8Array(0))]).toEqual([0]);
    expect([...compress(Buffer.from("abc"))]).toEqual([3, 2 << 2, 0x61, 0x62, 0x63]);
  });

  it("gives bytes that other decoders read back, over sizes, block edges, literal and copy lengths", () => {
    const inputs: Uint8Array[] = [];
    for (const n of [1, 4, 14, 15, 16, 17, 63, 64, 65, 1000, 65_535, 65_536, 65_537, 131_075, 300_001]) inputs.push(texty(n, n));
    for (let t = 0; t < 40; t++) {
      const start = (t * 7919) % (data.length - 400_000);
      inputs.push(data.subarray(start, start + 17 + ((t * 104_729) % 390_000)));
    }
    inputs.push(new Uint8Array(1 << 20)); // copies of 64 bytes, one after another
    inputs.push(randomBytes(200_000)); // nothing to find: literals up to a whole block
    // Literals of every length around the tag boundaries (60, 256, 65,536), each followed by a repeat.
    for (const n of [59, 60, 61, 62, 255, 256, 257, 65_535, 65_536]) {
      const noise = randomBytes(n);
      inputs.push(Buffer.concat([noise, texty(500, n)]));
    }
    // Repeats at short (< 2,048) and long distances, of every length from 4 to 70.
    for (const distance of [1, 7, 100, 2047, 2048, 3000, 65_000]) {
      for (let length = 4; length <= 70; length += 3) {
        const head = randomBytes(distance);
        const tail = randomBytes(40);
        inputs.push(Buffer.concat([head, head.subarray(0, length), tail]));
      }
    }
    for (const input of inputs) {
      const compressed = compress(input);
      expect(compressed.length).toBeLessThanOrEqual(snappyMaxCompressedLength(input.length));
      expect(roundTrips(compressed, input), `input of ${input.length} bytes`).toBe(true);
    }
    // And it does compress: the demo data shrinks by more than a third.
    const sample = data.subarray(0, 1 << 20);
    expect(compress(sample).length).toBeLessThan(sample.length * 0.66);
  });

  it("compresses the same input to the same bytes whatever it compressed before, in any instance", () => {
    const other = createSnappyCompressor();
    for (let t = 0; t < 100; t++) {
      const start = (t * 7919) % (data.length - 200_000);
      const input = data.subarray(start, start + 300 + ((t * 104_729) % 150_000));
      const fresh = Buffer.from(createSnappyCompressor()(input));
      for (let k = 1; k <= 3; k++) {
        const from = (start + k * 50_000) % (data.length - 200_000);
        other(data.subarray(from, from + 30_000 * k));
      }
      expect(Buffer.from(other(input)).equals(fresh), `slice ${t}`).toBe(true);
    }
  });

  it("grows its memory for a big page and keeps working after", () => {
    const big = texty(9 << 20, 3);
    expect(roundTrips(compress(big), big)).toBe(true);
    const small = texty(5000, 4);
    expect(roundTrips(compress(small), small)).toBe(true);
  });
});
