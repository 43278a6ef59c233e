import { describe, expect, it } from "vitest";
import { parquetSchemaFor, SFT_COLUMNS } from "./column-spec.js";
import { writeCompressors, type ParquetCodec } from "./parquet-codecs.js";
import { encodeRowGroup, type RowGroupEncodeOptions } from "./row-group-encode.js";

async function options(codec: ParquetCodec, pageBytes: number, rows: number): Promise<RowGroupEncodeOptions> {
  const text = (i: number) => `${i} the bridge carried more than traffic; 桥承载的不仅是交通 `.repeat(20 + (i % 50));
  return {
    schema: parquetSchemaFor(SFT_COLUMNS),
    codec,
    compressors: await writeCompressors({}, [codec]),
    pageBytes,
    columnData: [
      {
        name: "messages",
        type: "messages",
        data: Array.from({ length: rows }, (_, i) => [
          { role: "user", content: `question ${i}` },
          { role: "assistant", content: text(i) },
        ]),
      },
      { name: "id", type: "string", data: Array.from({ length: rows }, (_, i) => `row-${i}`) },
      { name: "source", type: "string", data: Array.from({ length: rows }, (_, i) => (i % 3 ? "s" : null)) },
      { name: "meta", type: "json", data: Array.from({ length: rows }, () => null) },
    ],
  };
}

describe("encodeRowGroup with an output", () => {
  it.each([
    ["SNAPPY", 1 << 20],
    // Uncompressed 6 MB pages: single writes larger than the sink's 4 MB buffer.
    ["UNCOMPRESSED", 6 << 20],
  ] as const)("hands over the same bytes, in order, as the chunks it returns without one (%s)", async (codec, pageBytes) => {
    const base = await options(codec, pageBytes, 6000);
    if (codec === "UNCOMPRESSED") expect(encodeRowGroup(base).byteLength).toBeGreaterThan(12 << 20);
    const whole = encodeRowGroup(base);
    const pieces: Buffer[] = [];
    let calls = 0;
    const streamed = encodeRowGroup({
      ...base,
      output: (bytes) => {
        calls += 1;
        pieces.push(Buffer.from(bytes)); // valid only during the call
      },
    });
    expect(streamed.chunks).toEqual([]);
    // The uncompressed group (over 12 MB) comes in several pieces.
    if (codec === "UNCOMPRESSED") expect(calls).toBeGreaterThan(1);
    expect(Buffer.concat(pieces).equals(Buffer.concat(whole.chunks))).toBe(true);
    expect(streamed.byteLength).toBe(whole.byteLength);
    expect(streamed.rowGroup).toEqual(whole.rowGroup);
    expect(streamed.indexes).toEqual(whole.indexes);
  });
});
