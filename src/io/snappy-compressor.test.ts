import { readFileSync } from "node:fs";
import { join } from "node:path";
import { snappyCompressor, snappyUncompress } from "hysnappy";
import { describe, expect, it } from "vitest";
import { deterministicSnappyCompressor } from "./snappy-compressor.js";

// CJK JSON from the shared demo data: slices of it repeat enough for snappy to find matches.
const data = readFileSync(join(process.cwd(), "../shared/data/general-sft/alpaca_zh_demo.json"));

/** Slice `t` of the data, compressed by a new compressor and by one that has compressed three other slices first. */
function freshAndAfterHistory(make: () => (input: Uint8Array) => Uint8Array, t: number): { input: Uint8Array; fresh: Buffer; after: Buffer } {
  const start = (t * 7919) % (data.length - 5000);
  const input = data.subarray(start, start + 300 + ((t * 104729) % 3000));
  const fresh = Buffer.from(make()(input));
  const used = make();
  for (let k = 1; k <= 3; k++) {
    const from = (start + k * 50_000) % (data.length - 70_000);
    used(data.subarray(from, from + 1000 * k));
  }
  return { input, fresh, after: Buffer.from(used(input)) };
}

describe("deterministicSnappyCompressor", () => {
  it("compresses the same input to the same bytes whatever it compressed before, and the bytes decompress", () => {
    let historyShowed = 0;
    for (let t = 0; t < 300; t++) {
      const ours = freshAndAfterHistory(() => deterministicSnappyCompressor(snappyCompressor), t);
      expect(ours.after.equals(ours.fresh), `slice ${t}`).toBe(true);
      expect(Buffer.from(snappyUncompress(ours.after, ours.input.length)).equals(Buffer.from(ours.input))).toBe(true);
      const raw = freshAndAfterHistory(snappyCompressor, t);
      if (!raw.after.equals(raw.fresh)) historyShowed += 1;
    }
    // hysnappy's own compressor does depend on its history on these slices (what the wrapper is for); if
    // this fails, hysnappy clears its table itself now and the wrapper can go.
    expect(historyShowed).toBeGreaterThan(0);
  });
});
