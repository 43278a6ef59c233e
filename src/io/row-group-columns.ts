/**
 * @module io/row-group-columns — writes one row group's column chunks through a hyparquet-writer
 * `ParquetWriter`, as its `write` does for a single group (same chunks, same metadata, same page indexes),
 * with two shortcuts for the column a chat dataset is mostly made of:
 * - a `messages` column's leaves are shredded in one walk (io/messages-leaves) instead of once per leaf;
 * - a leaf of UTF-8 text (bytes or strings) hyparquet-writer would write PLAIN goes through
 *   io/plain-byte-array-chunk: the chat's text, and an id column.
 * Every other leaf goes through hyparquet-writer's own shredder and `writeColumn`.
 */
import type { SchemaTree } from "hyparquet";
import type { ParquetWriter } from "hyparquet-writer";
import { writeColumn } from "hyparquet-writer/src/column.js";
import { encodeNestedValues } from "hyparquet-writer/src/dremel.js";
import { schemaPathResolver } from "hyparquet-writer/src/schema.js";
import type { ColumnEncoder, ColumnSource, PageData } from "hyparquet-writer/src/types.js";
import { OptionError } from "../errors.js";
import { isMessagesLeafPath, messagesLeafPageData } from "./messages-leaves.js";
import { writePlainByteArrayChunk } from "./plain-byte-array-chunk.js";
import type { InPlaceCompressor } from "./snappy-compressor.js";
import type { PageCompressHelper } from "./snappy-helper.js";

export interface RowGroupColumnsOptions {
  /** Every column, in schema order, each with the group's values (all of one length). */
  columnData: ColumnSource[];
  /** Target bytes of a data page. */
  pageSize: number;
  /** Codecs whose compressor takes pages in place (see `inPlaceCompressorOf`), by codec name. */
  inPlaceCompressors?: Partial<Record<string, InPlaceCompressor>> | undefined;
  /** Threads compressing pages beside this one (io/snappy-helper), by the codec they compress, for text written PLAIN. */
  pageHelpers?: Partial<Record<string, PageCompressHelper>> | undefined;
}

/**
 * Writes all rows of `columnData` as one row group: what `writer.write({ columnData, rowGroupSize: rows,
 * pageSize })` writes. A VARIANT column, which hyparquet-writer encodes first, is handed to `write` whole.
 */
export function writeRowGroupColumns(writer: ParquetWriter, { columnData, pageSize, inPlaceCompressors, pageHelpers }: RowGroupColumnsOptions): void {
  const rows = columnData[0]?.data.length ?? 0;
  const resolve = schemaPathResolver(writer.schema);
  const paths = columnData.map(({ name }) => resolve([name]));
  if (paths.some((path) => path.at(-1)?.element.logical_type?.type === "VARIANT")) {
    void writer.write({ columnData, rowGroupSize: rows, pageSize });
    return;
  }
  for (const { codec = writer.codec } of columnData) {
    if (codec !== "UNCOMPRESSED" && !writer.compressors[codec as keyof typeof writer.compressors])
      throw new OptionError(`no compressor for the Parquet codec ${codec}`, { field: "codec" });
  }
  const sink = writer.writer;
  const groupStart = sink.offset;
  const chunks: ReturnType<typeof writeColumn>["chunk"][] = [];
  columnData.forEach((source, j) => {
    const { data, encoding, codec = writer.codec, columnIndex = false, offsetIndex = true, bloomFilter, statistics = writer.statistics } = source;
    if (columnIndex && !offsetIndex) throw new OptionError("a Parquet column index needs an offset index", { field: "offsetIndex" });
    if (data.length !== rows) throw new OptionError("Parquet columns must have the same length", { field: "columnData" });
    const leafPaths = leavesUnder(paths[j]!);
    const messages = leafPaths.every((path) => isMessagesLeafPath(path.map((node) => node.element))) ? messagesLeafPageData(data as unknown[]) : undefined;
    for (const leafPath of leafPaths) {
      const schemaPath = leafPath.map((node) => node.element);
      const column: ColumnEncoder = {
        columnName: schemaPath
          .slice(1)
          .map((element) => element.name)
          .join("."),
        element: schemaPath[schemaPath.length - 1]!,
        schemaPath,
        codec,
        compressors: writer.compressors as ColumnEncoder["compressors"],
        stats: statistics,
        ...(writer.statisticsTruncateLength !== undefined ? { statisticsTruncateLength: writer.statisticsTruncateLength } : {}),
        pageSize,
        columnIndex,
        offsetIndex,
        ...(encoding !== undefined ? { encoding } : {}),
        ...(bloomFilter !== undefined ? { bloomFilter } : {}),
      };
      // `messages` is set only when every leaf is `role` or `content` (isMessagesLeafPath).
      const pageData: PageData = messages ? messages[column.element.name as "role" | "content"] : encodeNestedValues(leafPath, data);
      const result =
        writePlainByteArrayChunk(sink, column, pageData, inPlaceCompressors?.[codec], pageHelpers?.[codec]) ?? writeColumn({ writer: sink, column, pageData });
      chunks.push(result.chunk);
      writer.pendingIndexes.push(result);
    }
  });
  let totalByteSize = 0n;
  for (const { meta_data } of chunks) totalByteSize += meta_data?.total_uncompressed_size ?? 0n;
  writer.num_rows += BigInt(rows);
  writer.row_groups.push({ columns: chunks, total_byte_size: totalByteSize, num_rows: BigInt(rows), total_compressed_size: BigInt(sink.offset - groupStart) });
  void sink.flush?.();
}

/** The paths from the root to each leaf under `path`'s last node, depth first (hyparquet-writer's order). */
function leavesUnder(path: SchemaTree[]): SchemaTree[][] {
  const node = path[path.length - 1]!;
  if (node.children.length === 0) return [path];
  return node.children.flatMap((child) => leavesUnder([...path, child]));
}
