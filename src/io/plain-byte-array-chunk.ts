/**
 * @module io/plain-byte-array-chunk — one column chunk of UTF-8 text written PLAIN, byte for byte as
 * hyparquet-writer 0.17's `writeColumn` writes it, in fewer passes: the text of a chat column is most of what
 * a mix writes, and the generic writer walks it five times outside the compressor (statistics for the chunk,
 * again per page, page sizing, plain encoding through a growing buffer, a copy per value). Here one walk per
 * page sizes it and one encodes it and finds its bounds (the chunk's follow from the pages'), straight into
 * the SNAPPY compressor's memory when it takes pages in place, else into a buffer kept from page to page.
 *
 * The values are either all UTF-8 bytes (a chat's turns) or all strings (ids): a string is encoded straight
 * into the page, as TextEncoder encodes it, and everything hyparquet-writer measures on the value itself is
 * measured the same way here (the dictionary sample counts a string's UTF-16 units and keys it by itself,
 * pages are sized by its bytes, and a statistic is the value it came from). Bounds are found on the encoded
 * bytes, whose order is the code-point order hyparquet-writer compares strings by (lone surrogates as
 * U+FFFD, as they are written).
 *
 * It takes only the case it can write the same way: every value present and of one kind, no encoding, bloom
 * filter or dictionary cap asked for, and a column hyparquet-writer would write PLAIN (its dictionary
 * sample rejects it: see `dictionarySampleRejects`). Otherwise it returns undefined and the caller uses
 * `writeColumn`. io/row-group-columns.test.ts compares both writers' bytes and metadata.
 */
import type { ColumnChunk, Encoding, OffsetIndex, PageHeader } from "hyparquet";
import { ByteWriter } from "hyparquet-writer";
import { writePageHeader } from "hyparquet-writer/src/datapage.js";
import { writeRleBitPackedHybrid } from "hyparquet-writer/src/encoding.js";
import { getMaxRepetitionLevel } from "hyparquet-writer/src/schema.js";
import type { ChunkStatistics, ColumnEncoder, PageColumnIndex, PageData, PageIndexes, Writer } from "hyparquet-writer/src/types.js";
import { unconvertMinMax } from "hyparquet-writer/src/unconvert.js";
import type { InPlaceCompressor } from "./snappy-compressor.js";
import type { PageCompressHelper } from "./snappy-helper.js";

/** Values hyparquet-writer samples to decide on a dictionary, and the distinct share that rules one out. */
const DICTIONARY_SAMPLE = 1000;
const DICTIONARY_REJECT_RATIO = 0.9;
/** Bytes of a PLAIN byte array's length prefix. */
const LENGTH_PREFIX = 4;

/** The page buffer (unless the compressor takes pages in place), kept from page to page on this thread. */
let pageBuffer = new Uint8Array(1 << 20);
/** Largest page buffer kept; a bigger page (one very long text) gets a buffer of its own. */
const MAX_KEPT_PAGE_BYTES = 16 << 20;

/** A chunk's values: all UTF-8 bytes or all strings. */
type Texts = readonly Uint8Array[] | readonly string[];

/**
 * Writes `pageData` as one PLAIN column chunk and returns what `writeColumn` would (its `PageIndexes`), or returns undefined
 * (having written nothing) when this writer does not take the column. `inPlace` is the column codec's
 * compressor, when it takes pages in place (it must compress as `column.compressors[codec]` does); `helper`,
 * a thread that compresses pages the same way beside this one (io/snappy-helper; used only with `inPlace`).
 */
export function writePlainByteArrayChunk(
  writer: Writer,
  column: ColumnEncoder,
  pageData: PageData,
  inPlace?: InPlaceCompressor,
  helper?: PageCompressHelper,
): PageIndexes | undefined {
  const { element } = column;
  if (element.type !== "BYTE_ARRAY" || element.converted_type !== "UTF8") return undefined;
  if (column.encoding !== undefined || column.bloomFilter || column.dictionarySize !== undefined) return undefined;
  const values = pageData.values as readonly unknown[];
  const { definitionLevels, repetitionLevels, maxDefinitionLevel } = pageData;
  if (values.length === 0 || (definitionLevels.length > 0 && definitionLevels.length !== values.length)) return undefined;
  const strings = typeof values[0] === "string";
  if (strings) {
    for (let i = 0; i < values.length; i++) if (typeof values[i] !== "string") return undefined;
  } else for (let i = 0; i < values.length; i++) if (!(values[i] instanceof Uint8Array)) return undefined;
  for (let i = 0; i < definitionLevels.length; i++) if (definitionLevels[i] !== maxDefinitionLevel) return undefined;
  const texts = values as Texts;
  if (!dictionarySampleRejects(texts)) return undefined;

  const offsetStart = writer.offset;
  const codec = column.codec;
  const compress = column.compressors[codec as keyof typeof column.compressors] as ((input: Uint8Array) => Uint8Array) | undefined;
  const maxRepetitionLevel = getMaxRepetitionLevel(column.schemaPath);
  // Each value's encoded size: pages are sized by it.
  const sizes = new Uint32Array(texts.length);
  if (strings) for (let i = 0; i < texts.length; i++) sizes[i] = Buffer.byteLength(texts[i] as string, "utf8");
  else for (let i = 0; i < texts.length; i++) sizes[i] = (texts[i] as Uint8Array).length;
  const pages = pageBoundaries(sizes, column.pageSize, repetitionLevels);
  const indexed = pages.length > 1;
  const offsetIndex: OffsetIndex | undefined = column.offsetIndex && indexed ? { page_locations: [] } : undefined;
  let columnIndex: PageColumnIndex | undefined =
    column.columnIndex && indexed
      ? ({ null_pages: [], min_values: [], max_values: [], boundary_order: "UNORDERED", null_counts: [], nan_counts: undefined } as unknown as PageColumnIndex)
      : undefined;
  let ascending = true;
  let descending = true;
  // The chunk's bounds and the previous page's, as encoded bytes (copies: the page's memory is reused).
  let chunkMin: Bound | undefined;
  let chunkMax: Bound | undefined;
  let previousMin: Uint8Array | undefined;
  let previousMax: Uint8Array | undefined;
  let uncompressedSize = 0;
  let firstRow = 0n;
  let previousStart = 0;
  const dataPageOffset = BigInt(writer.offset);

  /** Bytes of page `p`'s PLAIN values (each with its length prefix). */
  const plainLengthOf = (p: number): number => {
    let length = 0;
    for (let i = pages[p]!, end = pages[p + 1] ?? texts.length; i < end; i++) length += LENGTH_PREFIX + sizes[i]!;
    return length;
  };
  /** Where page `p` is encoded when it is compressed here: in the compressor's memory, or the page buffer. */
  const memoryHere = (plainLength: number): Uint8Array => {
    if (inPlace) return inPlace.input(plainLength);
    if (plainLength > MAX_KEPT_PAGE_BYTES) return new Uint8Array(plainLength);
    if (pageBuffer.length < plainLength) pageBuffer = new Uint8Array(Math.min(MAX_KEPT_PAGE_BYTES, Math.max(plainLength, pageBuffer.length * 2)));
    return pageBuffer.subarray(0, plainLength);
  };

  /** Encodes page `p` (levels, and its values into `plain`) and finds its bounds. */
  const encodePage = (p: number, plain: Uint8Array): EncodedPage => {
    const start = pages[p]!;
    const end = pages[p + 1] ?? texts.length;
    // Levels, as hyparquet-writer writes them for a page: repetition then definition, RLE/bit-packed.
    const levels = new ByteWriter();
    let rows = end - start;
    let repetitionBytes = 0;
    if (repetitionLevels.length > 0) {
      rows = 0;
      for (let i = start; i < end; i++) if (repetitionLevels[i] === 0) rows++;
    }
    if (maxRepetitionLevel) repetitionBytes = writeRleBitPackedHybrid(levels, repetitionLevels.slice(start, end), bitWidth(maxRepetitionLevel));
    let definitionBytes = 0;
    if (maxDefinitionLevel) definitionBytes = writeRleBitPackedHybrid(levels, definitionLevels.slice(start, end), bitWidth(maxDefinitionLevel));

    // The values, PLAIN: each one's length (4 bytes, little-endian) and its bytes; and the page's bounds.
    const lengths = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
    const out = strings ? Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength) : undefined;
    // Where the page's smallest and largest values sit in `plain` (after their length prefix), and which they are.
    let minIndex = start;
    let minAt = LENGTH_PREFIX;
    let minLength = 0;
    let maxIndex = start;
    let maxAt = LENGTH_PREFIX;
    let maxLength = 0;
    let at = 0;
    for (let i = start; i < end; i++) {
      let length: number;
      if (out) length = out.write(texts[i] as string, at + LENGTH_PREFIX, "utf8");
      else {
        const text = texts[i] as Uint8Array;
        plain.set(text, at + LENGTH_PREFIX);
        length = text.length;
      }
      lengths.setUint32(at, length, true);
      const valueAt = at + LENGTH_PREFIX;
      at = valueAt + length;
      if (i === start) {
        minLength = maxLength = length;
        continue;
      }
      if (compareRanges(plain, valueAt, length, minAt, minLength) < 0) {
        minIndex = i;
        minAt = valueAt;
        minLength = length;
      }
      if (compareRanges(plain, valueAt, length, maxAt, maxLength) > 0) {
        maxIndex = i;
        maxAt = valueAt;
        maxLength = length;
      }
    }
    return {
      start,
      end,
      rows,
      levels,
      repetitionBytes,
      definitionBytes,
      plain,
      min: { index: minIndex, bytes: plain.slice(minAt, minAt + minLength) },
      max: { index: maxIndex, bytes: plain.slice(maxAt, maxAt + maxLength) },
    };
  };

  /** Writes an encoded page with its compressed values (pages in order), and adds it to the chunk's bounds and indexes. */
  const writePage = (page: EncodedPage, compressed: Uint8Array): void => {
    const { start, levels, plain, min, max } = page;
    const pageOffset = writer.offset;
    const headerStart = writer.offset;
    writePageHeader(writer, {
      type: "DATA_PAGE_V2",
      uncompressed_page_size: levels.offset + plain.length,
      compressed_page_size: levels.offset + compressed.length,
      data_page_header_v2: {
        num_values: page.end - start,
        num_nulls: 0,
        num_rows: page.rows,
        encoding: "PLAIN",
        definition_levels_byte_length: page.definitionBytes,
        repetition_levels_byte_length: page.repetitionBytes,
        is_compressed: !!codec,
      },
    } as PageHeader);
    const headerSize = writer.offset - headerStart;
    writer.appendBytes(levels.getBytes());
    writer.appendBytes(compressed);
    uncompressedSize += headerSize + levels.offset + plain.length;

    if (chunkMin === undefined || compareBytes(min.bytes, chunkMin.bytes) < 0) chunkMin = min;
    if (chunkMax === undefined || compareBytes(max.bytes, chunkMax.bytes) > 0) chunkMax = max;

    if (columnIndex) {
      // The page's bounds as hyparquet-writer makes them: from the values themselves.
      const minBytes = unconvertMinMax(texts[min.index], element, false, column.statisticsTruncateLength);
      const maxBytes = unconvertMinMax(texts[max.index], element, true, column.statisticsTruncateLength);
      if (!minBytes || !maxBytes) columnIndex = undefined;
      else {
        columnIndex.null_pages.push(false);
        columnIndex.min_values.push(minBytes);
        columnIndex.max_values.push(maxBytes);
        columnIndex.null_counts?.push(0n);
        // The boundary order compares the pages' own bounds (not the truncated ones), as hyparquet-writer does.
        if (previousMin !== undefined && previousMax !== undefined) {
          const minOrder = compareBytes(previousMin, min.bytes);
          const maxOrder = compareBytes(previousMax, max.bytes);
          if (minOrder > 0 || maxOrder > 0) ascending = false;
          if (minOrder < 0 || maxOrder < 0) descending = false;
        }
        previousMin = min.bytes;
        previousMax = max.bytes;
      }
    }

    if (offsetIndex) {
      if (repetitionLevels.length > 0) {
        for (let i = previousStart + 1; i <= start; i++) if (repetitionLevels[i] === 0) firstRow++;
      } else firstRow = BigInt(start);
      offsetIndex.page_locations.push({ offset: BigInt(pageOffset), compressed_page_size: writer.offset - pageOffset, first_row_index: firstRow });
    }
    previousStart = start;
  };

  // With a helper thread, a page goes to it when it has a free slot, else it is encoded and compressed here;
  // pages are written in order, each as soon as it and those before it are compressed. So this thread never
  // waits for the helper before the chunk's last page (always compressed here), and the two share the pages by
  // how fast each gets through them.
  const queue: Array<{ page: EncodedPage; slot: number; compressed?: Uint8Array }> = [];
  let inFlight = 0;
  const writeQueued = (wait: boolean): void => {
    while (queue.length > 0) {
      const head = queue[0]!;
      if (!head.compressed && !wait && !helper!.done(head.slot)) return;
      queue.shift();
      let compressed = head.compressed;
      if (!compressed) {
        compressed = helper!.finish(head.slot);
        inFlight--;
      }
      writePage(head.page, compressed);
    }
  };
  try {
    for (let p = 0; p < pages.length; p++) {
      const plainLength = plainLengthOf(p);
      if (helper && inPlace && inFlight < helper.slots && p + 1 < pages.length && plainLength <= helper.capacity) {
        queue.push({ page: encodePage(p, helper.input(plainLength)), slot: helper.start(plainLength) });
        inFlight++;
      } else {
        const page = encodePage(p, memoryHere(plainLength));
        const compressed = inPlace ? inPlace.compress(plainLength) : (compress?.(page.plain) ?? page.plain);
        if (queue.length === 0) writePage(page, compressed);
        // Behind the helper's pages: a copy, as the compressor's memory takes the next page.
        else queue.push({ page, slot: -1, compressed: compressed.slice() });
      }
      writeQueued(false);
    }
    writeQueued(true);
  } finally {
    // Pages still with the helper when an error stopped the chunk are taken back (their bytes dropped), so that
    // its slots are free and in step for the next chunk.
    for (const { slot, compressed } of queue) if (!compressed) helper!.finish(slot);
  }
  if (columnIndex) {
    if (ascending) columnIndex.boundary_order = "ASCENDING";
    else if (descending) columnIndex.boundary_order = "DESCENDING";
  }

  // The same keys as hyparquet-writer's statistics object (nan_count is there, undefined, for non-floats),
  // its bounds the values they came from.
  const statistics = column.stats
    ? ({ min_value: texts[chunkMin!.index], max_value: texts[chunkMax!.index], null_count: 0n, nan_count: undefined } as unknown as ChunkStatistics)
    : undefined;
  return {
    chunk: {
      meta_data: {
        type: "BYTE_ARRAY",
        encodings: ["PLAIN"] as Encoding[],
        path_in_schema: column.schemaPath.slice(1).map((s) => s.name),
        codec: column.codec ?? "UNCOMPRESSED",
        num_values: BigInt(texts.length),
        total_compressed_size: BigInt(writer.offset - offsetStart),
        total_uncompressed_size: BigInt(uncompressedSize),
        data_page_offset: dataPageOffset,
        dictionary_page_offset: undefined,
        statistics,
        encoding_stats: column.stats ? [{ page_type: "DATA_PAGE_V2", encoding: "PLAIN", count: pages.length }] : undefined,
        geospatial_statistics: undefined,
      } as unknown as NonNullable<ColumnChunk["meta_data"]>,
      file_offset: BigInt(offsetStart),
    },
    columnIndex,
    offsetIndex,
    bloomFilter: undefined,
  } as unknown as PageIndexes;
}

/** A page encoded and not yet written: its values (`start` to `end`), levels, PLAIN bytes and bounds. */
interface EncodedPage {
  start: number;
  end: number;
  rows: number;
  levels: ByteWriter;
  repetitionBytes: number;
  definitionBytes: number;
  plain: Uint8Array;
  min: Bound;
  max: Bound;
}

/** A page's smallest or largest value: which one it is, and its encoded bytes. */
interface Bound {
  index: number;
  bytes: Uint8Array;
}

/**
 * Where each page starts (value indexes), by hyparquet-writer's rule: a page takes values until their
 * encoded bytes (`sizes`, without length prefixes) reach `pageSize`, and a new page starts only where a row
 * starts.
 */
function pageBoundaries(sizes: Uint32Array, pageSize: number, repetitionLevels: readonly number[]): number[] {
  const starts = [0];
  if (!pageSize) return starts;
  let start = 0;
  let bytes = 0;
  const repeated = repetitionLevels.length > 0;
  for (let i = 0; i < sizes.length; i++) {
    const size = sizes[i]!;
    bytes += size;
    if (bytes >= pageSize && i > start && (!repeated || repetitionLevels[i] === 0)) {
      starts.push(i);
      start = i;
      bytes = size;
    }
  }
  return starts;
}

/** Bits per level for levels up to `max`. */
function bitWidth(max: number): number {
  return Math.ceil(Math.log2(max + 1));
}

/** `compareBytes` on two ranges of one buffer. */
function compareRanges(bytes: Uint8Array, left: number, leftLength: number, right: number, rightLength: number): number {
  const length = Math.min(leftLength, rightLength);
  for (let i = 0; i < length; i++) if (bytes[left + i] !== bytes[right + i]) return bytes[left + i]! - bytes[right + i]!;
  return leftLength - rightLength;
}

/** Unsigned lexicographic order of byte strings (a prefix first): the order of BYTE_ARRAY bounds. */
function compareBytes(left: Uint8Array, right: Uint8Array): number {
  if (left === right) return 0;
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i++) if (left[i] !== right[i]) return left[i]! - right[i]!;
  return left.length - right.length;
}

/**
 * Whether hyparquet-writer's dictionary sample rules a dictionary out, so the column is written PLAIN: it
 * takes up to 1000 values spread evenly over the chunk, keys each (bytes by their 32-bit FNV-1a hash, so
 * values whose hashes collide count as one; a string by itself), and gives up when the distinct keys' sizes
 * (the value's `length` and a 4-byte prefix each) exceed 90 % of all sampled sizes. Each sample counts the
 * size of the first value seen with its key. When the sample does not rule it out, hyparquet-writer builds
 * the whole dictionary to decide.
 */
export function dictionarySampleRejects(texts: Texts): boolean {
  const count = texts.length;
  const samples = Math.min(count, DICTIONARY_SAMPLE);
  const sizes = new Map<number | string, number>();
  let distinctBytes = 0;
  let totalBytes = 0;
  for (let i = 0; i < samples; i++) {
    const text = texts[samples === 1 ? 0 : Math.floor((i * (count - 1)) / (samples - 1))]!;
    const key = typeof text === "string" ? text : fnv1a(text);
    let size = sizes.get(key);
    if (size === undefined) {
      size = text.length + LENGTH_PREFIX;
      sizes.set(key, size);
      distinctBytes += size;
    }
    totalBytes += size;
  }
  return !totalBytes || distinctBytes / totalBytes > DICTIONARY_REJECT_RATIO;
}

/** 32-bit FNV-1a of a byte string (the hash hyparquet-writer keys byte-array dictionary entries by). */
function fnv1a(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash >>> 0;
}
