/**
 * @module io/parquet-write — stream rows into Parquet: row groups cut by bytes of text, files sharded by
 * size, every file written atomically. Rows arrive as an (async) iterable and memory stays about one row
 * group.
 */
import { rm } from "node:fs/promises";
import { ConfigError, InputError } from "../errors.js";
import { encodeValue, parquetSchemaFor, rowTextBytes, validateColumns, type ColumnSpec } from "./column-spec.js";
import { writeCompressors, type CodecOptions, type ParquetCodec } from "./parquet-codecs.js";
import { defaultPageBytes, ParquetFileWriter, type ParquetFileInfo } from "./parquet-file-writer.js";
import { MessagesByteReader } from "./adapters/messages-bytes.js";
import { encodeJsonRow, JsonRow } from "./json-row.js";
import { cellsAreJsonSafe, JsonRowBatch } from "./json-row-batch.js";
import { chunkBuffers, type EncodedRowGroup } from "./row-group-encode.js";
import { resolveThreads, RowGroupPool } from "./row-group-pool.js";

/**
 * The Hub's dataset viewer serves a Parquet file as it is only when every row group holds at most this
 * many uncompressed bytes (the footer's `total_byte_size`); bigger row groups make it convert the file.
 */
export const VIEWER_ROW_GROUP_BYTES = 100_000_000;
/**
 * Default row-group budget in estimated uncompressed bytes (`rowTextBytes`): about half the viewer's bound.
 * A worker holds ~3–4× a group's text while encoding it, so halving the group let both cores encode at once
 * in the memory one 96 MB group took: mix (156k rows, 2 cores, SNAPPY) 15.5 s / 722 MB peak RSS with 96 MB
 * groups one at a time, 12.6 s / 725 MB with 48 MB groups two at a time (96 MB two at a time: 12.6 s / 1.1 GB).
 * Readers lose nothing (pages stay ~1 MB; `datasets` itself writes smaller groups).
 */
export const DEFAULT_ROW_GROUP_BYTES = 48_000_000;
/** Default upper bound on rows per row group, whatever their size. */
export const DEFAULT_MAX_ROW_GROUP_ROWS = 1_000_000;
/** Default shard size: a new file is started once one reaches ~500 MB. */
export const DEFAULT_SHARD_BYTES = 500 * 1024 * 1024;

/** Rows as objects, or as `JsonRow`s (JSON bytes parsed by whichever thread encodes their row group). */
export type RowSource = Iterable<Record<string, unknown> | JsonRow> | AsyncIterable<Record<string, unknown> | JsonRow>;

export interface ParquetWriteOptions extends CodecOptions {
  /** The table's columns, in file order. */
  columns: readonly ColumnSpec[];
  /** Rows as plain objects keyed by column name (other keys are ignored). */
  rows: RowSource;
  /** Compression codec. @default "SNAPPY" */
  codec?: ParquetCodec | undefined;
  /**
   * A row group holds at most this many estimated uncompressed bytes (`rowTextBytes`): a row that would
   * go over starts the next group (a single larger row gets a group of its own). @default 48,000,000
   */
  rowGroupBytes?: number | undefined;
  /** Upper bound on rows per row group, whatever their size. @default 1_000_000 */
  maxRowGroupRows?: number | undefined;
  /**
   * Target uncompressed page size. Larger pages compress better with ZSTD (4 MiB pages gave ~20% smaller
   * files on long SFT text) at the cost of coarser reads. @default 1 MiB (as Arrow writes)
   */
  pageBytes?: number | undefined;
  /** Extra Parquet key-value metadata. */
  kvMetadata?: Array<{ key: string; value: string }> | undefined;
  /**
   * Threads for encoding and compressing row groups: with more than one, worker threads encode row groups
   * while the calling thread reads on (workers start once a second row group is on its way, or at once with
   * `expectedBytes`). `JsonRow`s are parsed by the worker; rows given as objects are checked and encoded into
   * cells here and travel as the JSON of those cells. The file is byte-identical whatever the number.
   * @default every core
   */
  threads?: number | undefined;
  /**
   * Upper bound on the text (`rowTextBytes`) of the row groups handed to worker threads and not yet
   * written; a group waits until it fits (one group is always allowed). A worker holds about 3–4× a group's
   * text while encoding it, so this, not `threads`, sets the memory the workers take.
   * @default `threads` × `rowGroupBytes` (every worker busy)
   */
  maxBytesInFlight?: number | undefined;
  /**
   * The rows' total text (`rowTextBytes`), when the caller knows it before the rows are read: with more
   * than a row group's worth and more than one thread, the worker threads start at once and get ready while
   * the first group is gathered, instead of once it is.
   */
  expectedBytes?: number | undefined;
  /** Name used for the output in error messages (e.g. "train split"). @default the file path */
  label?: string | undefined;
  /**
   * Called after each row group is written (for progress): `rows`/`bytes` so far in the current file,
   * `totalRows` over all files of this call.
   */
  onRowGroup?: ((progress: { file: string; rows: number; bytes: number; totalRows: number }) => void) | undefined;
}

/**
 * Writes `rows` to one Parquet file, atomically (a temp file renamed into place; nothing at `file` if
 * anything fails).
 *
 * @example
 * await writeParquet({ file: "sft.parquet", columns: SFT_COLUMNS, rows: readSftRows() });
 */
export async function writeParquet(options: ParquetWriteOptions & { file: string }): Promise<ParquetFileInfo> {
  const files = await writeParquetShards({ ...options, shardPath: () => options.file, maxShardBytes: Infinity });
  return files[0]!;
}

export interface ParquetShardOptions extends ParquetWriteOptions {
  /** Path of shard `index` (0-based), asked for in order (possibly once beyond the last shard written). */
  shardPath: (index: number) => string;
  /** A shard is closed once its file reaches this many bytes (at most one row group more). @default 500 MiB */
  maxShardBytes?: number | undefined;
}

/**
 * Writes `rows` to as many Parquet files as `maxShardBytes` asks for. Every file is atomic on its own;
 * on failure the shards already finished are removed again, so nothing is left behind. At least one
 * file is written (an empty input gives one valid file with zero rows).
 */
export async function writeParquetShards(options: ParquetShardOptions): Promise<ParquetFileInfo[]> {
  const {
    columns,
    rows,
    codec = "SNAPPY",
    rowGroupBytes = DEFAULT_ROW_GROUP_BYTES,
    maxRowGroupRows = DEFAULT_MAX_ROW_GROUP_ROWS,
    maxShardBytes = DEFAULT_SHARD_BYTES,
    shardPath,
  } = options;
  validateColumns(columns);
  if (!(rowGroupBytes > 0)) throw new ConfigError(`row-group size must be a positive number of bytes, got ${rowGroupBytes}`);
  if (!(maxShardBytes > 0)) throw new ConfigError(`shard size must be a positive number of bytes, got ${maxShardBytes}`);
  if (!(Number.isInteger(maxRowGroupRows) && maxRowGroupRows > 0)) throw new ConfigError(`max rows per row group must be a positive integer`);
  if (options.pageBytes !== undefined && !(Number.isInteger(options.pageBytes) && options.pageBytes >= 1024)) {
    throw new ConfigError(`page size must be an integer of at least 1024 bytes, got ${options.pageBytes}`);
  }
  const threads = resolveThreads(options.threads);
  const compressors = await writeCompressors(options, [codec]);
  const schema = parquetSchemaFor(columns);
  const pageBytes = options.pageBytes ?? defaultPageBytes(codec);

  const finished: ParquetFileInfo[] = [];
  let current: ParquetFileWriter | undefined;
  let rowNumber = 0;
  let appendedRows = 0;
  let pool: RowGroupPool | undefined;
  // Row groups being encoded by the pool, in file order, with their text bytes.
  const inFlight: Array<{ encoding: Promise<EncodedRowGroup>; bytes: number }> = [];
  let inFlightBytes = 0;
  const maxInFlight = options.maxBytesInFlight ?? defaultBytesInFlight(threads, rowGroupBytes);
  if (!(maxInFlight > 0)) throw new ConfigError(`bytes in flight must be a positive number, got ${maxInFlight}`);
  const workers = Math.min(threads, Math.max(1, Math.floor(maxInFlight / rowGroupBytes)));

  /** The row-group workers, started once. */
  const startPool = (): RowGroupPool => (pool ??= new RowGroupPool({ workers, columns, schema, codec, codecOptions: options, pageBytes }));

  // The path the next shard will get (asked for once per shard, in order).
  let nextPath = shardPath(0);
  const openShard = async () => {
    const writer = await ParquetFileWriter.open({
      file: nextPath,
      columns,
      codec,
      compressors,
      kvMetadata: options.kvMetadata,
      pageBytes,
      // A group encoded here may share its SNAPPY pages with a helper thread only if more than one thread is allowed.
      snappyHelper: threads > 1,
    });
    nextPath = "";
    return writer;
  };

  // Appends encoded row groups in order; shards are cut here, so the layout never depends on the threads.
  const append = async (encoded: EncodedRowGroup) => {
    current ??= await openShard();
    current.appendRowGroup(encoded);
    await appended(Number(encoded.rowGroup.num_rows));
  };
  // Encodes a group on this thread straight into the file (its bytes never held whole).
  const writeHere = async (columnData: unknown[][]) => {
    current ??= await openShard();
    current.writeRowGroup(columnData);
    await appended(columnData[0]!.length);
  };
  const appended = async (rows: number) => {
    const file = current!;
    appendedRows += rows;
    options.onRowGroup?.({ file: file.file, rows: file.rowCount, bytes: file.bytesWritten, totalRows: appendedRows });
    if (file.bytesWritten >= maxShardBytes) {
      finished.push(await file.finish());
      current = undefined;
      nextPath = shardPath(finished.length);
    }
  };
  // The oldest group once it is encoded, out of the queue (not yet in the file).
  const takeOldest = async (): Promise<EncodedRowGroup> => {
    const oldest = inFlight.shift()!;
    inFlightBytes -= oldest.bytes;
    return oldest.encoding;
  };
  const appendEncoded = async (encoded: EncodedRowGroup) => {
    await append(encoded);
    pool?.recycle(chunkBuffers(encoded));
  };
  const appendOldest = async () => appendEncoded(await takeOldest());
  const drain = async () => {
    while (inFlight.length > 0) await appendOldest();
  };

  // The current group: its rows as JSON (`batch`, for a worker) or as encoded cells (`buffer`, for this
  // thread). A group that starts with a `JsonRow` collects JSON (rows given as objects join it as the JSON of
  // their cells, encoded and checked here); a group that starts with an object is encoded here: turning
  // objects into JSON for a worker cost this thread as much as encoding them (measured on convert).
  let batch: JsonRowBatch | undefined;
  let buffer = emptyColumns(columns.length);
  let bufferedRows = 0;
  let bufferedBytes = 0;
  let groupFirstRow = 1;
  const labelNow = () => options.label ?? current?.file ?? nextPath;

  // JSON of a group is a little larger than its text; a worker's spent buffer is reused when there is one.
  // JSON rows encoded on this thread are read from their bytes where the byte reader vouches for them; it
  // copies their text (a row's bytes may be reused once the next row is asked for), and starts over per group.
  const byteReader = new MessagesByteReader({ copyText: true });
  // A batch moved back to this thread stays whole until its group is encoded: its text may stay views of it.
  const batchReader = new MessagesByteReader();
  // Rows whose bytes stay valid (`JsonRow.stable`) wait here, after every row of `batch`, instead of being
  // copied into it: copied only if the group goes to a worker, read in place if it is encoded here.
  let held: Array<{ row: JsonRow; number: number }> = [];
  const releaseHeld = () => {
    for (const { row } of held) batch!.addObjectBytes(row.json, row.textBytes, row.overrides);
    held = [];
  };
  const startGroup = async (jsonRow: boolean) => {
    groupFirstRow = rowNumber;
    byteReader.reset(0);
    batchReader.reset(0);
    batch = threads > 1 && jsonRow ? new JsonRowBatch(rowGroupBytes * 1.1, await pool?.spareBuffer(), pool?.allocateShared) : undefined;
  };
  const pushCells = (cells: unknown[]) => {
    for (let c = 0; c < cells.length; c++) buffer[c]!.push(cells[c]);
  };
  // Moves the batch's rows, then the held ones, into `buffer` (a row that cannot travel as JSON, or a group
  // encoded here). Their text stays views of the batch or of the held rows' own bytes.
  const unbatch = () => {
    if (!batch) return;
    let row = groupFirstRow;
    batch.forEachRow((json, textBytes, isCells, overrides) => {
      const where = { file: labelNow(), row: row++ };
      pushCells(
        isCells
          ? (JSON.parse(Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString("utf8")) as unknown[])
          : encodeJsonRow(columns, json, textBytes, overrides, where, batchReader),
      );
    });
    for (const { row, number } of held)
      pushCells(encodeJsonRow(columns, row.json, row.textBytes, row.overrides, { file: labelNow(), row: number }, batchReader));
    held = [];
    batch = undefined;
  };

  const flushGroup = async (last: boolean) => {
    if (bufferedRows === 0) return;
    // Workers only pay off from a second row group on: a file of one row group is encoded right here.
    const toWorkers = batch && (pool !== undefined || !last) ? batch : undefined;
    if (toWorkers) releaseHeld();
    else unbatch();
    const bytes = bufferedBytes;
    batch = undefined;
    bufferedRows = 0;
    bufferedBytes = 0;
    if (toWorkers) {
      buffer = emptyColumns(columns.length);
      // Room for the group: at most one group per worker, and the bytes in flight under the bound. The groups
      // that make room are written to the file after this one is handed out, so no worker waits for the write.
      const finished: EncodedRowGroup[] = [];
      while (inFlight.length > 0 && (inFlight.length >= workers || inFlightBytes + bytes > maxInFlight)) finished.push(await takeOldest());
      const encoding = startPool().encode({ ...toWorkers.take(), firstRow: groupFirstRow, label: labelNow() });
      encoding.catch(() => undefined); // awaited in order by takeOldest(); a failure surfaces there
      inFlight.push({ encoding, bytes });
      inFlightBytes += bytes;
      for (const encoded of finished) await appendEncoded(encoded);
      if (last) await drain();
      return;
    }
    const columnData = buffer;
    buffer = emptyColumns(columns.length);
    await drain(); // groups still with the workers come first
    await writeHere(columnData);
  };

  try {
    // Told ahead that there is more than one group's worth: the workers get ready while the first is gathered.
    if (threads > 1 && (options.expectedBytes ?? 0) > rowGroupBytes) startPool();
    for await (const row of rows as AsyncIterable<Record<string, unknown> | JsonRow>) {
      rowNumber += 1;
      if (row instanceof JsonRow) {
        // A row that would take the group over the budget starts the next one.
        if (bufferedRows > 0 && bufferedBytes + row.textBytes > rowGroupBytes) await flushGroup(false);
        if (bufferedRows === 0) await startGroup(true);
        // The row's bytes are used before the next row is asked for (a source may reuse them), unless they
        // are stable: then the group keeps them as they are.
        if (batch && row.stable) held.push({ row, number: rowNumber });
        else if (batch) {
          releaseHeld();
          batch.addObjectBytes(row.json, row.textBytes, row.overrides);
        } else {
          const where = { file: labelNow(), row: rowNumber };
          pushCells(encodeJsonRow(columns, row.json, row.textBytes, row.overrides, where, row.stable ? batchReader : byteReader));
        }
        bufferedRows += 1;
        bufferedBytes += row.textBytes;
      } else {
        const where = { file: labelNow(), row: rowNumber };
        if (typeof row !== "object" || row === null || Array.isArray(row)) {
          throw new InputError({ file: where.file, line: rowNumber }, "row is not an object");
        }
        const encoded = columns.map((column) => encodeValue(column, row[column.name], where));
        const rowBytes = rowTextBytes(columns, encoded);
        if (bufferedRows > 0 && bufferedBytes + rowBytes > rowGroupBytes) await flushGroup(false);
        if (bufferedRows === 0) await startGroup(false);
        if (batch && cellsAreJsonSafe(columns, encoded)) {
          releaseHeld();
          batch.addCells(encoded, rowBytes);
        } else {
          unbatch();
          pushCells(encoded);
        }
        bufferedRows += 1;
        bufferedBytes += rowBytes;
      }
      if (bufferedBytes >= rowGroupBytes || bufferedRows >= maxRowGroupRows) await flushGroup(false);
    }
    await flushGroup(true);
    await drain();
    if (current) {
      finished.push(await current.finish());
      current = undefined;
    } else if (finished.length === 0) finished.push(await (await openShard()).finish());
    return finished;
  } catch (error) {
    await current?.abort();
    await Promise.all(finished.map((info) => rm(info.file, { force: true })));
    throw error;
  } finally {
    await pool?.close();
  }
}

function emptyColumns(count: number): unknown[][] {
  return Array.from({ length: count }, () => []);
}

/**
 * Row-group text handed to workers at once when not told: a group per thread, every core busy (with 48 MB
 * groups this holds about what one 96 MB group did; see DEFAULT_ROW_GROUP_BYTES).
 */
export function defaultBytesInFlight(threads: number, rowGroupBytes: number): number {
  return threads * rowGroupBytes;
}
