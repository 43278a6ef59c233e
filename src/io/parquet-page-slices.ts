/**
 * @module io/parquet-page-slices — a data page with many values, decoded a slice of levels at a time.
 *
 * Decoding a page at a time (io/parquet-group-stream) bounds memory by what one page decodes to, which is
 * small for a 1 MB page of text but not for a page of many short values: a dictionary-encoded `role`
 * column can hold every row of a 200k-row group in one 150 KB page (DuckDB, our own writer), and its rows
 * decode to ~120 MB of small arrays; DuckDB also writes ~100 MB pages of plain text. Here the page's levels
 * (and dictionary indices) are read first, which is cheap, and the values are made one slice at a time.
 * Pages cut: v1 or v2, values PLAIN byte arrays or dictionary indices, v1 levels RLE; any other page is
 * decoded whole, as before. A slice may end inside a row: the caller continues the row like one that
 * continues onto the next page.
 */
import type { DecodedArray, PageHeader } from "hyparquet";
import { decompressPage } from "hyparquet/src/datapage.js";
import { readRleBitPackedHybrid } from "hyparquet/src/encoding.js";
import { getMaxDefinitionLevel, getMaxRepetitionLevel } from "hyparquet/src/schema.js";
import type { ColumnDecoder, DataReader } from "hyparquet/src/types.js";
import { ToolkitError } from "../errors.js";

/** One slice's levels and values, as hyparquet's page decoders give a whole page's (values not yet converted). */
export interface PageSlice {
  definitionLevels: number[];
  repetitionLevels: number[];
  /** Byte arrays (PLAIN) or dictionary indices. */
  values: DecodedArray;
}

const isDictionary = (encoding: string | undefined): boolean => encoding === "RLE_DICTIONARY" || encoding === "PLAIN_DICTIONARY";

/** The page's value encoding when this module can cut it, else undefined. */
export function sliceableEncoding(header: PageHeader, decoder: ColumnDecoder): string | undefined {
  const v1 = header.type === "DATA_PAGE" ? header.data_page_header : undefined;
  const v2 = header.type === "DATA_PAGE_V2" ? header.data_page_header_v2 : undefined;
  const encoding = v1?.encoding ?? v2?.encoding;
  if (!isDictionary(encoding) && !(encoding === "PLAIN" && decoder.type === "BYTE_ARRAY")) return undefined;
  if (v1) {
    const rle = (levelEncoding: string, max: number): boolean => max === 0 || levelEncoding === "RLE";
    if (!rle(v1.repetition_level_encoding, getMaxRepetitionLevel(decoder.schemaPath))) return undefined;
    if (!rle(v1.definition_level_encoding, getMaxDefinitionLevel(decoder.schemaPath))) return undefined;
  }
  return encoding;
}

/** Levels (values and nulls) in a data page, v1 or v2. */
export function valueCount(header: PageHeader): number {
  return header.data_page_header?.num_values ?? header.data_page_header_v2?.num_values ?? 0;
}

/**
 * The slices of a page (its bytes as stored: compressed, header excluded), `levels` levels each.
 * Byte-array values are views into the decompressed page.
 */
export function* pageSlices(stored: Uint8Array, header: PageHeader, decoder: ColumnDecoder, levels: number): Generator<PageSlice> {
  const count = valueCount(header);
  const maxRepetition = getMaxRepetitionLevel(decoder.schemaPath);
  const maxDefinition = getMaxDefinitionLevel(decoder.schemaPath);
  const width = (max: number): number => 32 - Math.clz32(max);
  let repetition: number[] = [];
  let definition: number[] = [];
  let values: DataReader;
  const v2 = header.data_page_header_v2;
  if (v2) {
    // v2: levels first, uncompressed, lengths in the header; then the values, compressed unless it says not.
    const levelBytes = v2.repetition_levels_byte_length + v2.definition_levels_byte_length;
    const reader = readerOf(stored);
    if (maxRepetition > 0) repetition = readLevels(reader, width(maxRepetition), count, v2.repetition_levels_byte_length);
    reader.offset = v2.repetition_levels_byte_length;
    if (maxDefinition > 0) definition = readLevels(reader, width(maxDefinition), count, v2.definition_levels_byte_length);
    const rest = stored.subarray(levelBytes);
    const size = Number(header.uncompressed_page_size) - levelBytes;
    values = readerOf(v2.is_compressed === false ? rest : decompressPage(rest, size, decoder.codec, decoder.compressors));
  } else {
    // v1: the whole page is compressed; levels come first, each length-prefixed.
    values = readerOf(decompressPage(stored, Number(header.uncompressed_page_size), decoder.codec, decoder.compressors));
    if (maxRepetition > 0) repetition = readLevels(values, width(maxRepetition), count);
    if (maxDefinition > 0) definition = readLevels(values, width(maxDefinition), count);
  }
  let indices: number[] | undefined;
  if (isDictionary(v2?.encoding ?? header.data_page_header?.encoding)) {
    let present = count;
    if (maxDefinition > 0) for (const level of definition) if (level !== maxDefinition) present--;
    const bits = values.view.getUint8(values.offset++);
    indices = new Array<number>(present).fill(0);
    if (bits > 0) readRleBitPackedHybrid(values, bits, indices, values.view.byteLength - values.offset);
  }
  let nextIndex = 0;
  for (let from = 0; from < count; from += levels) {
    const to = Math.min(count, from + levels);
    const definitionLevels = maxDefinition > 0 ? definition.slice(from, to) : [];
    let present = to - from;
    if (maxDefinition > 0) {
      present = 0;
      for (const level of definitionLevels) if (level === maxDefinition) present++;
    }
    let sliceValues: DecodedArray;
    if (indices) {
      sliceValues = indices.slice(nextIndex, nextIndex + present);
      nextIndex += present;
    } else {
      const bytes = new Array<Uint8Array>(present);
      const { view } = values;
      for (let i = 0; i < present; i++) {
        const length = view.getUint32(values.offset, true);
        values.offset += 4;
        if (values.offset + length > view.byteLength) throw new ToolkitError("a value runs past the end of its page");
        bytes[i] = new Uint8Array(view.buffer, view.byteOffset + values.offset, length);
        values.offset += length;
      }
      sliceValues = bytes;
    }
    yield { definitionLevels, repetitionLevels: maxRepetition > 0 ? repetition.slice(from, to) : [], values: sliceValues };
  }
}

function readerOf(bytes: Uint8Array): DataReader {
  return { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
}

/** `count` levels of `bits` bits: length-prefixed (v1), or `length` bytes (v2). */
function readLevels(reader: DataReader, bits: number, count: number, length?: number): number[] {
  const out = new Array<number>(count);
  readRleBitPackedHybrid(reader, bits, out, length);
  return out;
}
