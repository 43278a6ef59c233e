import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { parquetSchemaFor, SFT_COLUMNS } from "./column-spec.js";
import { writeCompressors, type ParquetCodec } from "./parquet-codecs.js";
import { encodeRowGroup, messagesAsBytes, PARQUET_HEADER_BYTES, type RowGroupEncodeOptions } from "./row-group-encode.js";
import { usePageBuffers } from "./page-buffers.js";

async function group(codec: ParquetCodec, seed: number, rows: number): Promise<RowGroupEncodeOptions> {
  const text = (i: number) => `${seed}:${i} ${"the bridge carried more than traffic 桥 ".repeat(5 + ((i * seed) % 90))}`;
  return {
    schema: parquetSchemaFor(SFT_COLUMNS),
    codec,
    compressors: await writeCompressors({}, [codec]),
    pageBytes: 256 << 10,
    columnData: [
      {
        name: "messages",
        type: "messages",
        data: Array.from({ length: rows }, (_, i) => [
          { role: "user", content: `q${i}` },
          { role: "assistant", content: text(i) },
        ]),
      },
      { name: "id", type: "string", data: Array.from({ length: rows }, (_, i) => `${seed}-${i}`) },
      { name: "source", type: "string", data: Array.from({ length: rows }, () => "s") },
      { name: "meta", type: "json", data: Array.from({ length: rows }, (_, i) => (i % 2 ? null : `{"i":${i}}`)) },
    ],
  };
}

/** The row group's bytes as hyparquet-writer writes them with the compressors as given (none handing buffers back). */
function reference(options: RowGroupEncodeOptions): Buffer {
  const sink = new ByteWriter();
  const writer = new ParquetWriter({ writer: sink, schema: options.schema, codec: options.codec, compressors: options.compressors });
  const columnData = options.columnData.map(({ name, type, data }) => ({
    name,
    data: type === "messages" ? messagesAsBytes(data) : data,
    columnIndex: true,
    offsetIndex: true,
  }));
  writer.write({ columnData: columnData as never, rowGroupSize: columnData[0]!.data.length, pageSize: options.pageBytes });
  const bytes = Buffer.from(sink.getBytes().subarray(PARQUET_HEADER_BYTES));
  // Without its footer: the row group's pages only (what encodeRowGroup returns).
  return bytes;
}

describe("page buffers used again", () => {
  it.each(["SNAPPY", "ZSTD", "GZIP"] as const)("leave every page as hyparquet-writer writes it, group after group (%s)", async (codec) => {
    const a = await group(codec, 1, 1500);
    const b = await group(codec, 7, 900);
    const first = Buffer.concat(encodeRowGroup(a).chunks);
    const other = Buffer.concat(encodeRowGroup(b).chunks);
    // Later groups are built in buffers earlier pages gave back: same bytes as the first time.
    expect(Buffer.concat(encodeRowGroup(a).chunks).equals(first)).toBe(true);
    expect(Buffer.concat(encodeRowGroup(b).chunks).equals(other)).toBe(true);
    expect(first.equals(reference(a).subarray(0, first.length))).toBe(true);
    expect(other.equals(reference(b).subarray(0, other.length))).toBe(true);
  });

  it("give back only buffers the growth rule made, once, and only through the wrapped compressors", async () => {
    const seen: Uint8Array[] = [];
    const wrapped = usePageBuffers({ SNAPPY: (input: Uint8Array) => (seen.push(input), input.slice(0, 3)) });
    // A caller's own array passed to a wrapped compressor is not taken: writing it again later is safe.
    const own = new Uint8Array(1 << 20).fill(7);
    wrapped.SNAPPY!(own);
    const writer = new ByteWriter();
    writer.appendBytes(new Uint8Array(200_000));
    expect(writer.buffer).not.toBe(own.buffer);
    // A page buffer given back twice is kept once: two writers never share it.
    const page = new ByteWriter();
    page.appendBytes(new Uint8Array(300_000).fill(1));
    wrapped.SNAPPY!(page.getBytes());
    wrapped.SNAPPY!(page.getBytes());
    const next1 = new ByteWriter();
    next1.appendBytes(new Uint8Array(100_000));
    const next2 = new ByteWriter();
    next2.appendBytes(new Uint8Array(100_000));
    expect(next1.buffer).toBe(page.buffer);
    expect(next2.buffer).not.toBe(page.buffer);
    expect(seen).toHaveLength(3);
  });
});
