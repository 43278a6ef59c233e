/**
 * @module io/jsonl-to-parquet — a JSONL file of SFT records written as one Parquet file in the messages
 * layout, on every core: the file is cut into ranges of input at line ends (~43 MB), reader
 * threads turn each range into finished row groups (io/parquet-range-handler: parse, adapt, encode,
 * compress), and this thread appends them in file order. Each row is parsed once; the calling thread only
 * moves bytes. The file is the same bytes whatever the number of threads (one thread reads the same ranges
 * itself), and it is written atomically.
 */
import { stat } from "node:fs/promises";
import { InputError } from "../errors.js";
import type { SftFormat } from "./adapters/format.js";
import { handleBadRecord, type InputIssue } from "./input-issue.js";
import { sftColumns } from "./column-spec.js";
import { writeCompressors, type CodecOptions, type ParquetCodec } from "./parquet-codecs.js";
import { defaultPageBytes, ParquetFileWriter, type ParquetFileInfo } from "./parquet-file-writer.js";
import { createRangeHandler, type ParquetRange, type ParquetRangeOptions } from "./parquet-range-handler.js";
import { DEFAULT_MAX_ROW_GROUP_ROWS, DEFAULT_ROW_GROUP_BYTES } from "./parquet-write.js";
import { inProcessReader, readFileRanges, RecordRangePool, type RangeReader } from "./record-range-pool.js";
import { resolveThreads } from "./row-group-pool.js";
import { moduleUrl } from "./start-worker.js";

const HANDLER_URL = moduleUrl(import.meta.url, "./parquet-range-handler");

/**
 * Input bytes per range, and so at most per row group: 90% of the row-group budget, so that a range's text
 * (smaller than its JSON, which adds quotes, keys and escapes) fits one group and a range is not cut into a
 * full group and a sliver. Measured on 1 GB of 20 KB rows, 2 cores (SNAPPY): 96 MB ranges 11.7 s / 1.25 GB
 * peak RSS, 48 MB 10.4 s / 0.97 GB, 24 MB 10.7 s / 0.73 GB — smaller ranges keep both threads busy to the end
 * and hold less at once, until per-group costs take over.
 */
export function defaultRangeBytes(rowGroupBytes: number): number {
  return Math.max(1, Math.floor(rowGroupBytes * 0.9));
}

export interface JsonlToParquetOptions extends CodecOptions {
  input: string;
  output: string;
  /** The input's SFT format (detect it first: every range is read with this one). */
  format: SftFormat;
  /** Use the tool-call columns. Without them, a record with tool content fails with code `needs_tool_columns`. */
  tools: boolean;
  /** @default "SNAPPY" */
  codec?: ParquetCodec | undefined;
  /** Threads reading and encoding ranges. @default every core */
  threads?: number | undefined;
  /** Skip bad rows into `issues` rather than failing on the first. @default false */
  skipInvalid?: boolean | undefined;
  issues?: InputIssue[] | undefined;
  /** @default 96,000,000 (see `writeParquet`) */
  rowGroupBytes?: number | undefined;
  /** Input bytes per range: a row group never spans two. @default `defaultRangeBytes(rowGroupBytes)` (~43 MB) */
  rangeBytes?: number | undefined;
  /** Called after each range is written. */
  onProgress?: ((progress: { read: number }) => void) | undefined;
  /** Stops the conversion (its reason thrown at the next range; nothing written) when aborted. */
  signal?: AbortSignal | undefined;
}

export interface JsonlToParquetResult {
  /** Records read (lines that are not records are issues). */
  read: number;
  file: ParquetFileInfo;
}

/**
 * Writes the SFT records of the JSONL file `input` to `output` as Parquet (messages layout). Bad lines and
 * records the layout cannot hold fail the write (naming file and line), or are skipped into `issues` with
 * `skipInvalid`; either way in file order, as a one-thread read reports them.
 */
export async function jsonlToParquet(options: JsonlToParquetOptions): Promise<JsonlToParquetResult> {
  const { input, output, skipInvalid = false, issues } = options;
  const codec = options.codec ?? "SNAPPY";
  const rowGroupBytes = options.rowGroupBytes ?? DEFAULT_ROW_GROUP_BYTES;
  const rangeBytes = options.rangeBytes ?? defaultRangeBytes(rowGroupBytes);
  const threads = resolveThreads(options.threads);
  const handlerOptions: ParquetRangeOptions = {
    tools: options.tools,
    codec,
    codecOptions: { zstdLevel: options.zstdLevel, gzipLevel: options.gzipLevel },
    pageBytes: defaultPageBytes(codec),
    rowGroupBytes,
    maxRowGroupRows: DEFAULT_MAX_ROW_GROUP_ROWS,
  };
  const inputBytes = (await stat(input)).size;
  // One range (or one thread) is read here: a worker would only add its start-up.
  const reader: RangeReader<ParquetRange> =
    threads > 1 && inputBytes > rangeBytes
      ? (new RecordRangePool({
          workers: threads,
          handlers: [{ url: HANDLER_URL, options: handlerOptions }],
          inFlight: threads,
        }) as RangeReader<ParquetRange>)
      : inProcessReader([await createRangeHandler(handlerOptions)]);
  let writer: ParquetFileWriter | undefined;
  try {
    writer = await ParquetFileWriter.open({
      file: output,
      columns: sftColumns(options.tools),
      codec,
      compressors: await writeCompressors(options, [codec]),
      pageBytes: handlerOptions.pageBytes,
    });
    let read = 0;
    const ranges = readFileRanges<ParquetRange>({ reader, file: input, label: input, format: options.format, handler: 0, rangeBytes });
    for await (const { lineBase, issues: lineIssues, output: range } of ranges) {
      options.signal?.throwIfAborted();
      const rejected = range.rejected.map(({ line, reason }) => ({ file: input, line: line + lineBase, reason }));
      for (const issue of inLineOrder(lineIssues, rejected)) {
        handleBadRecord(new InputError({ file: issue.file, line: issue.line, field: issue.field }, issue.reason), { skipInvalid, issues });
      }
      for (const group of range.groups) writer.appendRowGroup(group);
      read += range.records;
      options.onProgress?.({ read });
    }
    const file = await writer.finish();
    return { read, file };
  } catch (error) {
    await writer?.abort();
    throw error;
  } finally {
    await reader.close();
  }
}

/** Two lists of issues, each in line order, merged into one in line order. */
function inLineOrder(a: readonly InputIssue[], b: readonly InputIssue[]): InputIssue[] {
  if (b.length === 0) return [...a];
  if (a.length === 0) return [...b];
  return [...a, ...b].sort((x, y) => x.line - y.line);
}
