/**
 * @module io/page-index — a page index (ColumnIndex + OffsetIndex) for every column chunk we write.
 * hyparquet-writer 0.17 builds and writes them only for chunks of more than one page, but readers that
 * plan reads from the page index (the Hub's viewer path, DuckDB, Arrow) treat a chunk without one as a
 * chunk without an index. A one-page chunk's index is the chunk itself: one page location (the data page
 * after any dictionary page, first row 0) and the chunk's statistics as that page's bounds.
 */
import type { ColumnChunk, SchemaElement } from "hyparquet";
import { BoundaryOrders } from "hyparquet/src/constants.js";
import { serializeTCompactProtocol } from "hyparquet-writer/src/thrift.js";
import type { PageIndexes, Writer } from "hyparquet-writer/src/types.js";
import { unconvertMinMax } from "hyparquet-writer/src/unconvert.js";

/** The leaf elements of a Parquet schema, in column-chunk order. */
export function leafElements(schema: readonly SchemaElement[]): SchemaElement[] {
  return schema.slice(1).filter((element) => !element.num_children);
}

/**
 * Gives every chunk of an encoded row group that has no page index (a one-page chunk) the index of its
 * single page. `indexes[i]` belongs to leaf `i` of `schema`. Chunks of several pages keep the index
 * hyparquet-writer built for them.
 */
export function completePageIndexes(indexes: PageIndexes[], schema: readonly SchemaElement[]): void {
  const leaves = leafElements(schema);
  indexes.forEach((index, i) => {
    const meta = index.chunk.meta_data;
    if (!meta) return;
    if (!index.offsetIndex) {
      const end = index.chunk.file_offset + meta.total_compressed_size;
      index.offsetIndex = {
        page_locations: [{ offset: meta.data_page_offset, compressed_page_size: Number(end - meta.data_page_offset), first_row_index: 0n }],
      };
    }
    if (!index.columnIndex && index.offsetIndex.page_locations.length === 1) {
      const columnIndex = singlePageColumnIndex(index.chunk, leaves[i]);
      if (columnIndex) index.columnIndex = columnIndex;
    }
  });
}

/** The ColumnIndex of a one-page chunk, from the chunk statistics (none when they lack bounds). */
function singlePageColumnIndex(chunk: ColumnChunk, element: SchemaElement | undefined): PageIndexes["columnIndex"] {
  const stats = chunk.meta_data?.statistics;
  if (!stats || !element || stats.null_count === undefined) return undefined;
  const nullPage = stats.null_count === chunk.meta_data!.num_values;
  const min = unconvertMinMax(stats.min_value, element, false);
  const max = unconvertMinMax(stats.max_value, element, true);
  // Bounds are required for a page with values (as hyparquet-writer decides for multi-page chunks).
  if (!nullPage && (!min || !max)) return undefined;
  return {
    null_pages: [nullPage],
    // an all-null page has empty bounds
    min_values: [min ?? new Uint8Array()],
    max_values: [max ?? new Uint8Array()],
    boundary_order: "ASCENDING",
    null_counts: [stats.null_count],
  };
}

/**
 * Writes the page indexes of every chunk at the writer's position (all ColumnIndexes, then all
 * OffsetIndexes, as the format lays them out) and records their offsets and lengths in the chunks.
 */
export function writePageIndexes(writer: Writer, indexes: readonly PageIndexes[]): void {
  for (const { chunk, columnIndex } of indexes) {
    if (!columnIndex) continue;
    const start = writer.offset;
    serializeTCompactProtocol(writer, {
      field_1: columnIndex.null_pages,
      field_2: columnIndex.min_values,
      field_3: columnIndex.max_values,
      field_4: BoundaryOrders.indexOf(columnIndex.boundary_order),
      field_5: columnIndex.null_counts,
      field_8: columnIndex.nan_counts,
    });
    chunk.column_index_offset = BigInt(start);
    chunk.column_index_length = writer.offset - start;
  }
  for (const { chunk, offsetIndex } of indexes) {
    if (!offsetIndex) continue;
    const start = writer.offset;
    serializeTCompactProtocol(writer, {
      field_1: offsetIndex.page_locations.map((page) => ({ field_1: page.offset, field_2: page.compressed_page_size, field_3: page.first_row_index })),
    });
    chunk.offset_index_offset = BigInt(start);
    chunk.offset_index_length = writer.offset - start;
  }
}
