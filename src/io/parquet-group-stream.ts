/**
 * @module io/parquet-group-stream — the rows of one Parquet row group, decoded a page at a time.
 *
 * hyparquet's row reader decodes every column chunk of a row group whole before it hands out the first
 * row, so memory follows the largest row group: pandas / pyarrow put up to ~1M rows in one group (one
 * 200k-row group of 250 MB chat text took `stats` to 1.0 GB; 210–228 MB this way, and less time).
 * Here each column chunk is read through a small window of the file and decoded one page at a time with
 * hyparquet's own page decoder; rows are handed on as soon as every column has them, so memory follows
 * the page (about 1 MB per column), whatever the row group size. A page of many values is decoded a slice
 * of values at a time (io/parquet-page-slices).
 *
 * Values are exactly what hyparquet's row reader gives (its decoders, conversions and nested assembly;
 * tests compare the two); only the order of the work differs. A row of a repeated (list) column may continue on the
 * next page (data page v1) or slice, so the last row of each is held back until the next shows where
 * it ends. The page-level functions come from hyparquet's `src/*.js` subpath exports, which are not its
 * documented API: package.json pins hyparquet exactly, and the tests compare against its row reader.
 */
import type { FileHandle } from "node:fs/promises";
import type { ColumnMetaData, Compressors, DataReader, DecodedArray, FileMetaData, PageHeader, SchemaTree } from "hyparquet";
import { assembleLists, assembleNested } from "hyparquet/src/assemble.js";
import { parquetHeader, readPage } from "hyparquet/src/column.js";
import { convert, convertWithDictionary, DEFAULT_PARSERS } from "hyparquet/src/convert.js";
import { parquetSchema } from "hyparquet/src/metadata.js";
import { getMaxRepetitionLevel, getTreePath } from "hyparquet/src/schema.js";
import type { ColumnDecoder, ParquetParsers } from "hyparquet/src/types.js";
import { InputError, ToolkitError } from "../errors.js";
import { pageSlices, sliceableEncoding, valueCount, type PageSlice } from "./parquet-page-slices.js";

/** Bytes read from the file at a time per column chunk (a page larger than this is read whole). */
const WINDOW_BYTES = 1 << 20;
/** First guess at a page header's size; a header with large statistics is retried with a larger read. */
const HEADER_GUESS = 4096;

/** Pages with more levels than this are decoded in slices of this many (io/parquet-page-slices). */
export interface PageSlicing {
  /** @default 4096 */
  levels: number;
}
const DEFAULT_SLICING: PageSlicing = { levels: 4096 };

export interface GroupStreamOptions {
  handle: FileHandle;
  /** The file's name, for errors. */
  file: string;
  metadata: FileMetaData;
  /** 0-based row group index. */
  group: number;
  /** Top-level columns to read (default: all). */
  columns?: string[] | undefined;
  compressors?: Compressors | undefined;
  /** When to cut a page into slices (tests use small values). */
  slicing?: PageSlicing | undefined;
  /** How values are converted (io/parquet-byte-rows keeps strings as bytes). @default hyparquet's */
  parsers?: ParquetParsers | undefined;
}

/** Rows of the file before row group `group` (0-based): where the group's row numbers start. */
export function rowsBeforeGroup(metadata: FileMetaData, group: number): number {
  let rows = 0;
  for (let g = 0; g < group; g++) rows += Number(metadata.row_groups[g]!.num_rows);
  return rows;
}

/**
 * Yields the rows of one row group in order, in batches, as objects keyed by top-level column name,
 * exactly as hyparquet's `parquetReadObjects` would give them. A page that cannot be decoded is an
 * InputError naming the file and the row where that page starts.
 */
export async function* streamRowGroup(options: GroupStreamOptions): AsyncGenerator<Array<Record<string, unknown>>> {
  const { handle, file, metadata, group, columns, compressors, parsers = DEFAULT_PARSERS } = options;
  const rowGroup = metadata.row_groups[group];
  if (!rowGroup) throw new ToolkitError(`${file} has no row group ${group + 1}`);
  const groupStart = rowsBeforeGroup(metadata, group);
  /** The error for a failure at 0-based row `row` of this group. */
  const fail = (row: number, column: string, cause: unknown): InputError => {
    const detail = cause instanceof Error ? cause.message : String(cause);
    return new InputError({ file, line: groupStart + row + 1 }, `cannot decode row group ${group + 1} (column ${column}: ${detail})`, { cause });
  };
  const groupRows = Number(rowGroup.num_rows);
  if (groupRows === 0) return; // as hyparquet: an empty group's chunks are not looked at
  const schema = parquetSchema(metadata);
  const tops = schema.children.filter((child) => !columns || columns.includes(child.element.name));
  const leaves = new Map<string, LeafColumn[]>();
  for (const chunk of rowGroup.columns) {
    const meta = chunk.meta_data;
    if (chunk.file_path || !meta) {
      throw fail(0, meta?.path_in_schema.join(".") ?? "?", chunk.file_path ? `its data is in another file (${chunk.file_path})` : "no column metadata");
    }
    const top = meta.path_in_schema[0]!;
    if (!tops.some((child) => child.element.name === top)) continue;
    const leaf = new LeafColumn(handle, meta, schema, compressors, fail, options.slicing ?? DEFAULT_SLICING, parsers);
    leaves.set(top, [...(leaves.get(top) ?? []), leaf]);
  }
  const all = [...leaves.values()].flat();
  let done = 0;
  while (done < groupRows) {
    let batch = Math.min(...all.map((leaf) => leaf.available));
    while (batch === 0) {
      // Decode another page of the column that is furthest behind.
      const behind = all.reduce((a, b) => (b.available < a.available ? b : a));
      if (!(await behind.pull(done)))
        throw fail(done + behind.available, behind.name, `it ends after ${done + behind.available} of the group's ${groupRows} rows`);
      batch = Math.min(...all.map((leaf) => leaf.available));
    }
    batch = Math.min(batch, groupRows - done);
    const values = tops.map((top) => {
      const parts = leaves.get(top.element.name) ?? [];
      if (top.children.length === 0) return parts[0]?.take(batch) ?? new Array(batch).fill(undefined);
      const subcolumns = new Map<string, DecodedArray>(parts.map((leaf) => [leaf.name, leaf.take(batch)]));
      try {
        assembleNested(subcolumns, top, parsers);
      } catch (error) {
        throw fail(done, top.element.name, error);
      }
      return subcolumns.get(top.element.name) as unknown[];
    });
    const rows = new Array<Record<string, unknown>>(batch);
    for (let i = 0; i < batch; i++) {
      const row: Record<string, unknown> = {};
      for (let c = 0; c < tops.length; c++) row[tops[c]!.element.name] = (values[c] as ArrayLike<unknown>)[i];
      rows[i] = row;
    }
    done += batch;
    yield rows;
  }
  for (const leaf of all) {
    if (leaf.available > 0 || (await leaf.pull(done))) {
      throw fail(groupRows, leaf.name, `it has more rows than the group's ${groupRows}`);
    }
  }
}

/** One leaf column chunk: pages read through a window of the file, decoded rows queued until taken. */
class LeafColumn {
  readonly name: string;
  private readonly decoder: ColumnDecoder;
  /** Rows may span pages (a repeated column): the last row of a page is held back. */
  private readonly repeated: boolean;
  private position: number;
  private readonly end: number;
  private window: Uint8Array = new Uint8Array(0);
  private windowStart = 0;
  private dictionary: DecodedArray | undefined;
  private held: unknown[] | undefined;
  /** The rest of a page being decoded slice by slice, and its value encoding. */
  private slices: Iterator<PageSlice> | undefined;
  private slicesEncoding = "PLAIN";
  /** Decoded rows not yet taken: chunks, and the offset into the first. */
  private queue: DecodedArray[] = [];
  private offset = 0;
  available = 0;

  constructor(
    private readonly handle: FileHandle,
    meta: ColumnMetaData,
    schema: SchemaTree,
    compressors: Compressors | undefined,
    private readonly fail: (row: number, column: string, cause: unknown) => InputError,
    private readonly slicing: PageSlicing,
    parsers: ParquetParsers,
  ) {
    this.name = meta.path_in_schema.join(".");
    const schemaPath = getTreePath(schema, meta.path_in_schema);
    this.decoder = {
      pathInSchema: meta.path_in_schema,
      type: meta.type,
      element: schemaPath[schemaPath.length - 1]!.element,
      schemaPath,
      codec: meta.codec,
      parsers,
      ...(compressors ? { compressors } : {}),
    };
    this.repeated = getMaxRepetitionLevel(schemaPath) > 0;
    // Like hyparquet: the chunk starts at its dictionary page when it has one (some writers leave the offset 0).
    this.position = Number(meta.dictionary_page_offset || meta.data_page_offset);
    this.end = this.position + Number(meta.total_compressed_size);
  }

  /** Decodes the next data page into the queue; false at the end of the chunk. */
  async pull(rowsBefore: number): Promise<boolean> {
    try {
      return await this.decodeNextPage();
    } catch (error) {
      // Rows decoded before this page (a held row counts: its page ended, even if it continues here).
      throw this.fail(rowsBefore + this.available + (this.held ? 1 : 0), this.name, error);
    }
  }

  private async decodeNextPage(): Promise<boolean> {
    for (;;) {
      if (this.slices) {
        const slice = this.slices.next();
        if (slice.done) {
          this.slices = undefined;
          continue;
        }
        const { definitionLevels, repetitionLevels, values } = slice.value;
        const converted = convertWithDictionary(values, this.dictionary, this.slicesEncoding as never, this.decoder);
        const data = assembleLists(this.held ?? [], definitionLevels, repetitionLevels, converted, this.decoder.schemaPath);
        if (this.accept(data)) return true;
        continue;
      }
      const page = await this.nextPage();
      if (!page) {
        if (this.held) {
          this.push(this.held);
          this.held = undefined;
          return true;
        }
        return false;
      }
      const { header, reader } = page;
      if (header.type === "DICTIONARY_PAGE") {
        const { data } = readPage(reader, header, this.decoder, undefined, undefined, 0);
        if (data) this.dictionary = convert(data, this.decoder);
        continue;
      }
      const encoding = valueCount(header) > this.slicing.levels ? sliceableEncoding(header, this.decoder) : undefined;
      if (encoding) {
        const stored = new Uint8Array(reader.view.buffer, reader.view.byteOffset, reader.view.byteLength);
        this.slices = pageSlices(stored, header, this.decoder, this.slicing.levels);
        this.slicesEncoding = encoding;
        continue;
      }
      const { data } = readPage(reader, header, this.decoder, this.dictionary, this.held, 0);
      if (data && this.accept(data)) return true;
    }
  }

  /**
   * Queues the complete rows of a decoded page or slice (`data` continues the held row, if any); false when
   * none is complete yet. In a repeated column the last row is held back: the next page may continue it.
   */
  private accept(data: DecodedArray): boolean {
    if (data.length === 0) return false;
    if (!this.repeated) {
      this.push(data);
      return true;
    }
    const rows = data as unknown[];
    this.held = [rows[rows.length - 1]];
    if (rows.length === 1) return false;
    rows.length -= 1;
    this.push(rows);
    return true;
  }

  /** Takes the next `count` decoded rows (count ≤ available). */
  take(count: number): unknown[] {
    const out = new Array<unknown>(count);
    let filled = 0;
    while (filled < count) {
      const chunk = this.queue[0]!;
      const n = Math.min(count - filled, chunk.length - this.offset);
      for (let i = 0; i < n; i++) out[filled + i] = chunk[this.offset + i];
      filled += n;
      this.offset += n;
      if (this.offset === chunk.length) {
        this.queue.shift();
        this.offset = 0;
      }
    }
    this.available -= count;
    return out;
  }

  private push(rows: DecodedArray): void {
    if (rows.length === 0) return;
    this.queue.push(rows);
    this.available += rows.length;
  }

  /** The next page's header and a reader positioned at its bytes, or undefined at the end of the chunk. */
  private async nextPage(): Promise<{ header: PageHeader; reader: DataReader } | undefined> {
    if (this.position >= this.end) return undefined;
    let guess = Math.min(HEADER_GUESS, this.end - this.position);
    for (;;) {
      await this.ensure(this.position, guess);
      const at = this.position - this.windowStart;
      const reader: DataReader = { view: new DataView(this.window.buffer, this.window.byteOffset + at, guess), offset: 0 };
      let header: PageHeader;
      try {
        header = parquetHeader(reader);
      } catch (error) {
        // Maybe the header is longer than the bytes looked at (large page statistics): look at more, up to
        // the rest of the chunk (hyparquet's thrift reader says so with a RangeError or a plain Error).
        if (guess < this.end - this.position) {
          guess = Math.min(guess * 8, this.end - this.position);
          continue;
        }
        throw error;
      }
      const headerBytes = reader.offset;
      const pageBytes = Number(header.compressed_page_size);
      if (this.position + headerBytes + pageBytes > this.end) throw new ToolkitError("a page runs past the end of its column chunk");
      await this.ensure(this.position + headerBytes, pageBytes);
      const start = this.position + headerBytes - this.windowStart;
      this.position += headerBytes + pageBytes;
      return { header, reader: { view: new DataView(this.window.buffer, this.window.byteOffset + start, pageBytes), offset: 0 } };
    }
  }

  /**
   * Makes the window cover [from, from + length). A new buffer each time: decoded values may be views
   * into the bytes they came from (uncompressed binary columns), so a window is never overwritten.
   */
  private async ensure(from: number, length: number): Promise<void> {
    if (from >= this.windowStart && from + length <= this.windowStart + this.window.length) return;
    const size = Math.min(Math.max(length, WINDOW_BYTES), this.end - from);
    const bytes = new Uint8Array(size);
    let read = 0;
    while (read < size) {
      const { bytesRead } = await this.handle.read(bytes, read, size - read, from + read);
      if (bytesRead === 0) throw new ToolkitError("the file ends inside the column chunk");
      read += bytesRead;
    }
    this.window = bytes;
    this.windowStart = from;
  }
}
