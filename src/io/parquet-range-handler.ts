/**
 * @module io/parquet-range-handler — a JSONL range turned into finished Parquet row groups where it is read
 * (a reader thread, see io/record-range-pool, or the calling thread): each SFT record becomes its
 * messages-layout row, its cells are encoded and checked, and the range's rows are encoded and compressed
 * as row groups. Each row is parsed once and never leaves the thread as anything but Parquet bytes.
 *
 * Row groups are cut inside a range by the writer's own rule (text bytes, rows: see `writeParquetShards`),
 * and ranges by input bytes at line ends, so where a group ends depends on the input and the options, never
 * on the number of threads.
 */
import type { CompressionCodec } from "hyparquet";
import { ToolkitError } from "../errors.js";
import type { SftRecord } from "../schemas/sft-record.js";
import { unwritableReason } from "./adapters/format.js";
import { getSftAdapter } from "./adapters/sft-adapters.js";
import { hasToolContent } from "./adapters/tool-definitions.js";
import { messagesCell, type ByteSftRecord } from "./adapters/messages-bytes.js";
import { encodeValue, parquetSchemaFor, rowTextBytes, sftColumns } from "./column-spec.js";
import { writeCompressors, type CodecOptions, type ParquetCodec } from "./parquet-codecs.js";
import { NEEDS_TOOL_COLUMNS } from "./write-records.js";
import type { RangeHandler } from "./record-ranges.js";
import { chunkBuffers, encodeRowGroup, type EncodedRowGroup } from "./row-group-encode.js";

export interface ParquetRangeOptions {
  /** Use the tool-call columns (`SFT_TOOL_COLUMNS`); without them a record with tool content fails the read. */
  tools: boolean;
  codec: ParquetCodec;
  codecOptions: CodecOptions;
  pageBytes: number;
  /** A row group's text budget (`rowTextBytes`), as `writeParquetShards` cuts groups. */
  rowGroupBytes: number;
  maxRowGroupRows: number;
}

/** What one range became. */
export interface ParquetRange {
  /** Records read (lines that were not records are the range's issues). */
  records: number;
  /** Rows in `groups`. */
  rows: number;
  groups: EncodedRowGroup[];
  /** Records the messages layout cannot hold: line (from the range's start) and why (`unwritableReason`). */
  rejected: Array<{ line: number; reason: string }>;
}

export async function createRangeHandler(options: ParquetRangeOptions): Promise<RangeHandler<ParquetRange>> {
  const columns = sftColumns(options.tools);
  const schema = parquetSchemaFor(columns);
  const compressors = await writeCompressors(options.codecOptions, [options.codec]);
  const messages = getSftAdapter("messages");
  let cells: unknown[][] = columns.map(() => []);
  let groupRows = 0;
  let groupBytes = 0;
  let records = 0;
  let rows = 0;
  let groups: EncodedRowGroup[] = [];
  let rejected: ParquetRange["rejected"] = [];

  const flush = (): void => {
    if (groupRows === 0) return;
    const columnData = columns.map((column, i) => ({ name: column.name, type: column.type, data: cells[i]! }));
    groups.push(encodeRowGroup({ schema, codec: options.codec as CompressionCodec, compressors, columnData, pageBytes: options.pageBytes }));
    cells = columns.map(() => []);
    rows += groupRows;
    groupRows = 0;
    groupBytes = 0;
  };

  const addRow = (encoded: unknown[]): void => {
    const textBytes = rowTextBytes(columns, encoded);
    // The writer's rule: a row that would take the group over its budget starts the next one.
    if (groupRows > 0 && groupBytes + textBytes > options.rowGroupBytes) flush();
    for (let c = 0; c < encoded.length; c++) cells[c]!.push(encoded[c]);
    groupRows += 1;
    groupBytes += textBytes;
    if (groupBytes >= options.rowGroupBytes || groupRows >= options.maxRowGroupRows) flush();
  };

  const handler: RangeHandler<ParquetRange> = {
    record(record: SftRecord, line: number, label: string) {
      records += 1;
      let row: Record<string, unknown>;
      try {
        row = messages.fromCanonical(record);
      } catch (error) {
        rejected.push({ line, reason: unwritableReason("messages", error) });
        return;
      }
      if (!options.tools && hasToolContent(record)) {
        throw new ToolkitError(`${label}: a record has tool calls or tools, which need the tool-call columns`, { code: NEEDS_TOOL_COLUMNS });
      }
      const where = { file: label, row: line };
      const encoded = columns.map((column) => encodeValue(column, row[column.name], where));
      addRow(encoded);
    },
    finish() {
      flush();
      const output: ParquetRange = { records, rows, groups, rejected };
      records = 0;
      rows = 0;
      groups = [];
      rejected = [];
      return { output, transfer: [...new Set(output.groups.flatMap(chunkBuffers))] };
    },
  };
  // Without tool columns, most lines come as byte records (their text as views of the range's bytes, never
  // strings); the writer takes the chat column's text as bytes either way (see `messagesAsBytes`).
  if (!options.tools) {
    handler.messagesRecord = (record: ByteSftRecord, line: number, label: string) => {
      records += 1;
      const where = { file: label, row: line };
      addRow([
        messagesCell(record.turns),
        encodeValue(columns[1]!, record.id, where),
        encodeValue(columns[2]!, record.source, where),
        encodeValue(columns[3]!, record.meta, where),
      ]);
    };
  }
  return handler;
}
