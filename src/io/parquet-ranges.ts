/**
 * @module io/parquet-ranges — a Parquet file read in ranges of rows, as io/record-ranges reads JSON Lines in
 * byte ranges: a range is rows [start, end) of one row group, decoded a page at a time
 * (io/parquet-group-stream), its values decoded (`parquetRowDecoder`) and converted (`RecordConverter`) as
 * `readRecords` reads the file, then handed to the caller's `RangeHandler`, with lines (row numbers) counted
 * from the range's start.
 *
 * A row group can only be decoded from its start, so the ranges of one group go to one thread, in order
 * (`RecordRangePool` routes them by group), and that thread keeps the group's stream open from one range to
 * the next. A range that does not start where its thread's stream stands opens the group again and skips
 * to it: slower, the same rows. Ranges are cut by the groups' uncompressed bytes, so a small group is one
 * range and a large one several (memory follows the range, not the group).
 */
import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";
import { InputError } from "../errors.js";
import type { Compressors } from "hyparquet";
import type { RawRecord } from "./adapters/format.js";
import { readDecompressors } from "./parquet-codecs.js";
import { rowsBeforeGroup, streamRowGroup } from "./parquet-group-stream.js";
import { parquetRowDecoder, readParquetInfo, type ParquetInfo } from "./parquet-read.js";
import { BYTE_STRING_PARSERS, byteStringsFit, parquetMessagesByteRecord, stringsFromBytes } from "./parquet-byte-rows.js";
import { RecordConverter, type RangeHandler, type RangeIssue, type RangeResult, type RangeTask } from "./record-ranges.js";

/** A group is cut into ranges only when it has more than this many times the bytes asked for. */
const WHOLE_GROUP_SLACK = 1.5;

/** Where the next range of a Parquet file starts; `next` cuts ranges of about `bytes` uncompressed bytes. */
export interface ParquetRangeCutter {
  /** The next range (rows of one row group), or undefined at the end of the file. */
  next(bytes: number): { rowGroup: number; start: number; end: number } | undefined;
  close?(): void;
}

/** Plans the ranges of `file` from its footer (an InputError when it is not a readable Parquet file). */
export async function parquetRangeCutter(file: string): Promise<ParquetRangeCutter> {
  const { metadata } = await readParquetInfo(file);
  const groups = metadata.row_groups.map((group) => ({ rows: Number(group.num_rows), bytes: Number(group.total_byte_size) }));
  let group = 0;
  let row = 0;
  return {
    next(bytes) {
      while (group < groups.length && row >= groups[group]!.rows) {
        group++;
        row = 0;
      }
      const current = groups[group];
      if (current === undefined) return undefined;
      const rowBytes = current.bytes > 0 ? current.bytes / current.rows : 1;
      const left = current.rows - row;
      const rows = left * rowBytes <= bytes * WHOLE_GROUP_SLACK ? left : Math.max(1, Math.min(left, Math.ceil(bytes / rowBytes)));
      const range = { rowGroup: group, start: row, end: row + rows };
      row += rows;
      return range;
    },
  };
}

/** A row group's rows as one thread reads them, range after range. */
interface GroupStream {
  handle: FileHandle;
  /** Rows of the file before the group. */
  groupStart: number;
  batches: AsyncGenerator<Array<Record<string, unknown>>>;
  batch: Array<Record<string, unknown>>;
  index: number;
  /** Row of the group the next row is. */
  position: number;
  /** Strings come as their UTF-8 bytes (io/parquet-byte-rows). */
  byteStrings: boolean;
}

let decompressors: Promise<Compressors> | undefined;
/** Open streams a reader keeps at most (a stream left open by a stopped read is closed when more are opened). */
const MAX_OPEN_STREAMS = 4;

/**
 * Reads ranges of Parquet files (one per thread: a worker's, or a reader in the calling thread), keeping
 * each row group's stream open from one range to the next, and the footers it read, until `close`.
 */
export class ParquetRangeReader {
  /** Open group streams, by file and group. */
  private readonly streams = new Map<string, GroupStream>();
  private readonly footers = new Map<string, Promise<ParquetInfo>>();

  /**
   * Reads rows [task.start, task.end) of row group `task.rowGroup` of `task.file` and sends each record to
   * `handler`, as `readRange` does for a JSON Lines range: bad rows become issues with their line (row)
   * counted from the range's start; a page that cannot be decoded is thrown as an InputError whose line is
   * counted the same way (it may be before the range: the row where that page starts).
   */
  async read<R>(task: RangeTask, handler: RangeHandler<R>): Promise<{ result: RangeResult<R>; transfer: ArrayBuffer[] }> {
    const { file } = task;
    const group = task.rowGroup!;
    const info = await this.footer(file);
    const groupMeta = info.metadata.row_groups[group];
    if (groupMeta === undefined) throw new InputError({ file }, `has no row group ${group + 1} (it changed while it was read?)`);
    const groupRows = Number(groupMeta.num_rows);
    const rowBase = rowsBeforeGroup(info.metadata, group) + task.start;
    /** The page reader names rows of the file; a range's callers count lines from the range's start. */
    const countedFromRange = (error: unknown): unknown =>
      error instanceof InputError && error.line !== undefined
        ? new InputError({ file: error.file, line: error.line - rowBase, field: error.field }, error.reason, { cause: error })
        : error;
    // A handler that takes chat rows as bytes gets them so, from a messages file whose strings can stay bytes
    // (other formats would only decode them back).
    const byteStrings =
      handler.messagesRecord !== undefined &&
      (task.format === "messages" || (task.format === "auto" && info.columns.some((column) => column.name === "messages"))) &&
      byteStringsFit(info.metadata);
    let stream: GroupStream;
    try {
      stream = await this.groupStream(file, group, task.start, byteStrings);
    } catch (error) {
      throw countedFromRange(error);
    }
    handler.begin?.(Math.ceil((Number(groupMeta.total_byte_size) * (task.end - task.start)) / Math.max(1, groupRows)));
    const decodeRow = parquetRowDecoder(info);
    const decodeOthers = parquetRowDecoder(
      info,
      info.columns.map((column) => column.name).filter((name) => name !== "messages"),
    );
    const converter = new RecordConverter(task.format);
    const issues: RangeIssue[] = [];
    let line = 0;
    try {
      for (let row = task.start; row < task.end; row++) {
        let object: Record<string, unknown>;
        try {
          object = await nextRow(stream, file, group);
        } catch (error) {
          throw countedFromRange(error);
        }
        line += 1;
        if (byteStrings) {
          // Once the range reads the messages format (its first row chose or confirmed it), most rows need no string.
          if (converter.format !== undefined && converter.adapter?.name === "messages") {
            const fast = parquetMessagesByteRecord(object, (others) => decodeOthers(others, line), { file, line });
            if (fast !== undefined) {
              handler.messagesRecord!(fast, line, task.label);
              continue;
            }
          }
          object = stringsFromBytes(object) as Record<string, unknown>;
        }
        let record;
        try {
          record = converter.toRecord(decodeRow(object, line) as RawRecord, { file, line });
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          issues.push({ line: error.line ?? 0, ...(error.field ? { field: error.field } : {}), reason: error.reason });
          continue;
        }
        handler.record(record, line, task.label);
      }
    } catch (error) {
      await this.closeStream(file, group);
      throw error;
    }
    if (task.end >= groupRows) await this.closeStream(file, group);
    const { format } = converter;
    const { output, transfer } = handler.finish();
    return { result: { lines: line, issues, ...(format ? { format } : {}), stopped: false, output }, transfer };
  }

  /** Closes every stream this reader has open and forgets the footers it read. */
  async close(): Promise<void> {
    const open = [...this.streams.values()];
    this.streams.clear();
    this.footers.clear();
    await Promise.all(open.map(closeGroupStream));
  }

  /** The stream of `group` standing at row `start`: the open one when it stands there, else the group opened again. */
  private async groupStream(file: string, group: number, start: number, byteStrings: boolean): Promise<GroupStream> {
    const key = streamKey(file, group);
    let stream = this.streams.get(key);
    if (stream !== undefined && stream.position === start && stream.byteStrings === byteStrings) return stream;
    if (stream !== undefined) await this.closeStream(file, group);
    if (this.streams.size >= MAX_OPEN_STREAMS) {
      const [oldestKey, oldest] = this.streams.entries().next().value!;
      this.streams.delete(oldestKey);
      await closeGroupStream(oldest);
    }
    const info = await this.footer(file);
    decompressors ??= readDecompressors();
    const compressors = await decompressors;
    const handle = await open(file, "r");
    stream = {
      handle,
      groupStart: rowsBeforeGroup(info.metadata, group),
      batches: streamRowGroup({ handle, file, metadata: info.metadata, group, compressors, ...(byteStrings ? { parsers: BYTE_STRING_PARSERS } : {}) }),
      batch: [],
      index: 0,
      position: 0,
      byteStrings,
    };
    this.streams.set(key, stream);
    try {
      while (stream.position < start) await nextRow(stream, file, group);
    } catch (error) {
      // A stream that failed cannot go on: the next range opens the group again (and fails the same way).
      await this.closeStream(file, group);
      throw error;
    }
    return stream;
  }

  private async closeStream(file: string, group: number): Promise<void> {
    const key = streamKey(file, group);
    const stream = this.streams.get(key);
    if (stream === undefined) return;
    this.streams.delete(key);
    await closeGroupStream(stream);
  }

  /** The file's footer, read once. */
  private footer(file: string): Promise<ParquetInfo> {
    let info = this.footers.get(file);
    if (info === undefined) {
      info = readParquetInfo(file);
      this.footers.set(file, info);
    }
    return info;
  }
}

const streamKey = (file: string, group: number): string => `${file}\0${group}`;

async function closeGroupStream(stream: GroupStream): Promise<void> {
  await stream.batches.return(undefined).catch(() => undefined);
  await stream.handle.close().catch(() => undefined);
}

/** The stream's next row (its position moves on by one). */
async function nextRow(stream: GroupStream, file: string, group: number): Promise<Record<string, unknown>> {
  while (stream.index >= stream.batch.length) {
    const next = await stream.batches.next();
    if (next.done) {
      throw new InputError({ file, line: stream.groupStart + stream.position + 1 }, `row group ${group + 1} ends before the rows its footer counts`);
    }
    stream.batch = next.value;
    stream.index = 0;
  }
  stream.position++;
  return stream.batch[stream.index++]!;
}
