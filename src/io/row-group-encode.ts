/**
 * @module io/row-group-encode — one Parquet row group encoded and compressed on its own, as bytes that can be
 * placed at any offset of a file. hyparquet-writer encodes it into a scratch buffer as if it followed the
 * 4-byte file header; `relocateRowGroup` then shifts every absolute offset in its metadata to where the bytes
 * really land. No byte of a page depends on where it sits, so a row group encoded here (on the main thread or
 * in a worker) is byte-identical to one written in place.
 */
import type { ColumnChunk, CompressionCodec, RowGroup, SchemaElement } from "hyparquet";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import type { Compressors, PageIndexes } from "hyparquet-writer/src/types.js";
import { OptionError } from "../errors.js";
import type { ColumnType } from "./column-spec.js";
import { completePageIndexes } from "./page-index.js";
import { usePageBuffers } from "./page-buffers.js";
import { writeRowGroupColumns } from "./row-group-columns.js";
import { inPlaceCompressorOf } from "./snappy-compressor.js";
import type { PageCompressHelper } from "./snappy-helper.js";
import { Utf8Slab } from "../util/utf8-slab.js";

/** Bytes of the "PAR1" header a ParquetWriter writes first: the scratch encoding's offsets start there. */
export const PARQUET_HEADER_BYTES = 4;

const CHUNK_BYTES = 4 << 20;
/** Spare chunk buffers a worker keeps (~128 MB: more than a row group's output). */
export const MAX_SPARE_BUFFERS = 32;

/** A row group ready to append: its bytes (in chunks), row-group metadata and page indexes. */
export interface EncodedRowGroup {
  chunks: Uint8Array[];
  byteLength: number;
  /** Metadata with offsets as if the bytes started right after the file header. */
  rowGroup: RowGroup;
  /** One per leaf column; `indexes[i].chunk` is `rowGroup.columns[i]` (the same object). */
  indexes: PageIndexes[];
}

export interface RowGroupEncodeOptions {
  schema: SchemaElement[];
  codec: CompressionCodec;
  compressors: Compressors;
  /**
   * Columns in schema order, with their encoded values (see `encodeValue`), all of the same length. A
   * `messages` column's text may be strings or UTF-8 bytes (see `messagesAsBytes`).
   */
  columnData: Array<{ name: string; type: ColumnType; data: unknown[] }>;
  pageBytes: number;
  /** Buffers of earlier row groups' chunks, already written out, to encode into (see `chunkBuffers`). */
  spareBuffers?: ArrayBuffer[] | undefined;
  /**
   * Where the group's bytes go as they are produced, in order, in pieces of a few MB that are valid only
   * during the call (one buffer is written into again and again): the result then has no `chunks`. For a
   * group encoded where its file is written: no fresh memory for the whole group's output.
   */
  output?: ((bytes: Uint8Array) => void) | undefined;
  /** A thread compressing SNAPPY pages beside this one (io/snappy-helper), when the caller may use one. */
  pageHelper?: PageCompressHelper | undefined;
}

/** The buffers an encoded row group's chunks live in (to transfer, or to hand back as `spareBuffers`). */
export function chunkBuffers(encoded: EncodedRowGroup): ArrayBuffer[] {
  return [...new Set(encoded.chunks.map((chunk) => chunk.buffer as ArrayBuffer))];
}

/**
 * hyparquet-writer's ByteWriter collecting ~4 MB chunks instead of one growing buffer (no re-copying), written
 * into buffers already used when there are some (`spare`): first writes to fresh memory cost ~3–4 ms per MB
 * here, rewriting used memory next to nothing.
 */
class ChunkSink extends ByteWriter {
  readonly chunks: Uint8Array[] = [];
  private readonly spare: ArrayBuffer[];
  private readonly output: ((bytes: Uint8Array) => void) | undefined;
  /** Leading bytes not handed to `output` (the scratch file header). */
  private skip: number;

  constructor(spare: ArrayBuffer[], output?: (bytes: Uint8Array) => void, skip = 0) {
    super(1024);
    this.spare = spare;
    this.output = output;
    this.skip = skip;
    this.buffer = this.nextBuffer(output ? CHUNK_BYTES : 1 << 20);
    this.view = new DataView(this.buffer);
  }

  private nextBuffer(size: number): ArrayBuffer {
    const reused = this.spare.length > 0 && this.spare[this.spare.length - 1]!.byteLength >= size ? this.spare.pop() : undefined;
    return reused ?? new ArrayBuffer(size);
  }

  override ensure(size: number): void {
    if (this.index > 0 && this.index + size > this.buffer.byteLength && this.index >= CHUNK_BYTES / 2) this.drain(size);
    super.ensure(size);
  }

  flush(): void {
    // Called by ParquetWriter after the row group; the caller drains once at the end.
  }

  drain(next = 0): void {
    if (this.index === 0) return;
    if (this.output) {
      if (this.index > this.skip) this.output(new Uint8Array(this.buffer, this.skip, this.index - this.skip));
      this.skip = Math.max(0, this.skip - this.index);
      this.index = 0;
      if (next > this.buffer.byteLength) {
        this.buffer = new ArrayBuffer(next);
        this.view = new DataView(this.buffer);
      }
      return;
    }
    this.chunks.push(new Uint8Array(this.buffer, 0, this.index));
    this.buffer = this.nextBuffer(Math.max(CHUNK_BYTES, next));
    this.view = new DataView(this.buffer);
    this.index = 0;
  }
}

/**
 * A `messages` column's turns with their role and content as UTF-8 bytes, however they came (strings from
 * objects, bytes from `MessagesByteReader`): the writer then sizes pages and orders statistics by the same
 * bytes whichever way a row was read, so the file does not depend on it. Encoding a string here costs what
 * the writer would spend on it anyway.
 */
export function messagesAsBytes(values: readonly unknown[]): unknown[] {
  // Contents go into shared slabs and each role's bytes are made once: one small view per text, not an
  // ArrayBuffer per text (see util/utf8-slab).
  const slab = new Utf8Slab();
  const roles = new Map<string, Uint8Array>();
  const bytesOf = (text: string | Uint8Array): Uint8Array => (typeof text === "string" ? slab.encode(text) : text);
  const roleBytes = (role: string | Uint8Array): Uint8Array => {
    if (typeof role !== "string") return role;
    let bytes = roles.get(role);
    if (!bytes) roles.set(role, (bytes = slab.encode(role)));
    return bytes;
  };
  // A row whose turns are all bytes already (packed rows, the byte reader's) is kept as it is: no new array.
  const needsBytes = (turn: { role: string | Uint8Array; content: string | Uint8Array }): boolean =>
    typeof turn.role === "string" || typeof turn.content === "string";
  return values.map((turns) => {
    if (!Array.isArray(turns)) return turns;
    const typed = turns as Array<{ role: string | Uint8Array; content: string | Uint8Array }>;
    if (!typed.some(needsBytes)) return turns;
    return typed.map((turn) => (needsBytes(turn) ? { role: roleBytes(turn.role), content: bytesOf(turn.content) } : turn));
  });
}

/** Encodes and compresses one row group (the CPU-heavy part of writing Parquet). */
export function encodeRowGroup(options: RowGroupEncodeOptions): EncodedRowGroup {
  const rows = options.columnData[0]?.data.length ?? 0;
  if (rows === 0) throw new OptionError("encodeRowGroup: empty row group", { field: "rows" });
  const sink = new ChunkSink(options.spareBuffers ?? [], options.output, PARQUET_HEADER_BYTES);
  const writer = new ParquetWriter({ writer: sink, schema: options.schema, codec: options.codec, compressors: usePageBuffers(options.compressors) });
  const columnData = options.columnData.map(({ name, type, data }) => ({
    name,
    data: type === "messages" ? messagesAsBytes(data) : data,
    columnIndex: true,
    offsetIndex: true,
  }));
  const inPlace = inPlaceCompressorOf(options.compressors[options.codec as keyof Compressors]);
  // The helper compresses as our SNAPPY compressor does, so it joins only that one.
  const helper = inPlace && options.codec === "SNAPPY" ? options.pageHelper : undefined;
  writeRowGroupColumns(writer, {
    columnData: columnData as never,
    pageSize: options.pageBytes,
    inPlaceCompressors: inPlace ? { [options.codec]: inPlace } : undefined,
    pageHelpers: helper ? { [options.codec]: helper } : undefined,
  });
  sink.drain();
  const [first, ...rest] = sink.chunks;
  const chunks = first ? [first.subarray(PARQUET_HEADER_BYTES), ...rest] : [];
  const rowGroup = writer.row_groups[0]!;
  // Every chunk gets a page index: hyparquet-writer builds one only for chunks of several pages.
  completePageIndexes(writer.pendingIndexes, options.schema);
  const encoded = { chunks, byteLength: sink.offset - PARQUET_HEADER_BYTES, rowGroup, indexes: writer.pendingIndexes };
  detachStatistics(encoded);
  return encoded;
}

/**
 * Gives an encoded row group's statistics (chunk min/max, page-index bounds) bytes of their own: the writer
 * keeps the values it was given, so a bound may be a view of the caller's buffer, which the caller may reuse
 * (and which a worker's postMessage would otherwise copy whole).
 */
function detachStatistics(encoded: EncodedRowGroup): void {
  // A copy, even of a Buffer (whose slice() is a view).
  const own = (value: unknown): unknown => (value instanceof Uint8Array ? new Uint8Array(value) : value);
  for (const chunk of encoded.rowGroup.columns) {
    const statistics = chunk.meta_data?.statistics as Record<string, unknown> | undefined;
    if (statistics) for (const key of ["min_value", "max_value", "min", "max"]) if (key in statistics) statistics[key] = own(statistics[key]);
  }
  for (const { columnIndex } of encoded.indexes) {
    if (!columnIndex) continue;
    columnIndex.min_values = columnIndex.min_values.map((value) => own(value) as Uint8Array);
    columnIndex.max_values = columnIndex.max_values.map((value) => own(value) as Uint8Array);
  }
}

/** Shifts the absolute offsets of an encoded row group whose bytes start at file offset `start`. */
export function relocateRowGroup(encoded: EncodedRowGroup, start: number): void {
  const delta = BigInt(start - PARQUET_HEADER_BYTES);
  if (delta === 0n) return;
  const moved = new Set<ColumnChunk>();
  for (const { chunk, offsetIndex } of encoded.indexes) {
    if (!moved.has(chunk)) {
      moved.add(chunk);
      chunk.file_offset += delta;
      const meta = chunk.meta_data;
      if (meta) {
        meta.data_page_offset += delta;
        if (meta.dictionary_page_offset !== undefined) meta.dictionary_page_offset += delta;
        if (meta.index_page_offset !== undefined) meta.index_page_offset += delta;
      }
    }
    if (offsetIndex) for (const page of offsetIndex.page_locations) page.offset += delta;
  }
}
