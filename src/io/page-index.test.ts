import { readFileSync } from "node:fs";
import { join } from "node:path";
import { asyncBufferFromFile, parquetMetadataAsync, readColumnIndex, readOffsetIndex, type FileMetaData } from "hyparquet";
import { describe, expect, it } from "vitest";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import type { ColumnSpec } from "./column-spec.js";
import { leafElements } from "./page-index.js";
import { writeParquet } from "./parquet-write.js";

const tmp = makeTmpDir("lw-page-index-");

const COLUMNS: ColumnSpec[] = [
  { name: "messages", type: "messages" },
  { name: "id", type: "string" },
  { name: "n", type: "int64" },
  { name: "note", type: "string", nullable: true },
];

/** The footer and both indexes of every chunk, read with hyparquet's own (reader-side) parsers. */
async function indexesOf(file: string) {
  const metadata: FileMetaData = await parquetMetadataAsync(await asyncBufferFromFile(file));
  const bytes = readFileSync(file);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const leaves = leafElements(metadata.schema);
  return metadata.row_groups.flatMap((group) =>
    group.columns.map((chunk, i) => {
      expect(chunk.offset_index_offset, `${chunk.meta_data!.path_in_schema.join(".")}: offset index`).toBeDefined();
      expect(chunk.column_index_offset, `${chunk.meta_data!.path_in_schema.join(".")}: column index`).toBeDefined();
      const reader = (offset: bigint, length: number) => ({ view: new DataView(buffer, Number(offset), length), offset: 0 });
      return {
        path: chunk.meta_data!.path_in_schema.join("."),
        chunk,
        rows: Number(group.num_rows),
        offsetIndex: readOffsetIndex(reader(chunk.offset_index_offset!, chunk.offset_index_length!)),
        columnIndex: readColumnIndex(reader(chunk.column_index_offset!, chunk.column_index_length!), leaves[i]!),
      };
    }),
  );
}

describe("page index for every column chunk", () => {
  it("one-page and many-page chunks alike carry an offset index and a column index that match the data", async () => {
    const file = join(tmp, "mixed.parquet");
    const rows = Array.from({ length: 400 }, (_, i) => ({
      messages: [
        { role: "user", content: `question ${i}` },
        { role: "assistant", content: `answer ${i} ${"x".repeat(200)}` },
      ],
      id: `row-${String(i).padStart(3, "0")}`,
      n: i,
      note: null,
    }));
    // 2 KiB pages: the long `content` column spans many pages, the short ones fit in one.
    await writeParquet({ file, columns: COLUMNS, rows, pageBytes: 2048, rowGroupBytes: 60_000 });
    const chunks = await indexesOf(file);
    expect(new Set(chunks.map((c) => c.rows)).size).toBeGreaterThan(0);
    const pageCounts = new Map<string, number[]>();
    for (const { path, chunk, rows: groupRows, offsetIndex, columnIndex } of chunks) {
      const meta = chunk.meta_data!;
      const pages = offsetIndex.page_locations;
      pageCounts.set(path, [...(pageCounts.get(path) ?? []), pages.length]);
      // pages start at the first data page, follow each other without gaps and end where the chunk ends
      expect(pages[0]!.offset).toBe(meta.data_page_offset);
      expect(pages[0]!.first_row_index).toBe(0n);
      for (let p = 1; p < pages.length; p++) {
        expect(pages[p]!.offset).toBe(pages[p - 1]!.offset + BigInt(pages[p - 1]!.compressed_page_size));
        expect(pages[p]!.first_row_index).toBeGreaterThan(pages[p - 1]!.first_row_index);
        expect(pages[p]!.first_row_index).toBeLessThan(BigInt(groupRows));
      }
      const last = pages.at(-1)!;
      expect(last.offset + BigInt(last.compressed_page_size)).toBe(chunk.file_offset + meta.total_compressed_size);
      // one column-index entry per page
      expect(columnIndex.null_pages).toHaveLength(pages.length);
      expect(columnIndex.min_values).toHaveLength(pages.length);
    }
    // the check covers both kinds of chunk
    expect(Math.max(...pageCounts.get("messages.list.element.content")!)).toBeGreaterThan(1);
    expect(pageCounts.get("id")!.every((n) => n === 1)).toBe(true);

    // one-page bounds are the data's: ids and n of the first row group, an all-null note column
    const firstGroup = chunks.slice(0, 5); // role, content, id, n, note
    const groupRows = firstGroup[0]!.rows;
    const id = firstGroup.find((c) => c.path === "id")!.columnIndex;
    expect(id.min_values).toEqual(["row-000"]);
    expect(id.max_values).toEqual([`row-${String(groupRows - 1).padStart(3, "0")}`]);
    expect(id.null_pages).toEqual([false]);
    const n = firstGroup.find((c) => c.path === "n")!.columnIndex;
    expect(n.min_values).toEqual([0n]);
    expect(n.max_values).toEqual([BigInt(groupRows - 1)]);
    const note = firstGroup.find((c) => c.path === "note")!.columnIndex;
    expect(note.null_pages).toEqual([true]);
    expect(note.null_counts).toEqual([BigInt(groupRows)]);
  });

  it("an empty file has no chunks and still reads", async () => {
    const empty = join(tmp, "empty.parquet");
    await writeParquet({ file: empty, columns: COLUMNS, rows: [] });
    expect(await indexesOf(empty)).toEqual([]);
  });
});
