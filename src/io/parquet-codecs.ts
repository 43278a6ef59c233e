/**
 * @module io/parquet-codecs — the compression codecs our Parquet files use: SNAPPY (hysnappy, wasm; the
 * default, as `datasets` writes), ZSTD (@bokuweb/zstd-wasm: wasm, no native build or binary download),
 * GZIP (node:zlib) and UNCOMPRESSED, for writing and for reading.
 */
import { gunzipSync, gzipSync } from "node:zlib";
import { compress as zstdCompress, decompress as zstdDecompress, init as zstdInit } from "@bokuweb/zstd-wasm";
import { snappyCompressor } from "hysnappy";
import { compressors as baseDecompressors } from "hyparquet-compressors";
import type { Compressors as WriteCompressors } from "hyparquet-writer/src/types.js";
import type { Compressors as ReadCompressors } from "hyparquet";
import { ConfigError } from "../errors.js";

/** Codecs a caller may choose for writing. */
export const PARQUET_CODECS = ["SNAPPY", "ZSTD", "GZIP", "UNCOMPRESSED"] as const;
export type ParquetCodec = (typeof PARQUET_CODECS)[number];

/** Default ZSTD level (zstd's own default). */
export const DEFAULT_ZSTD_LEVEL = 3;

export interface CodecOptions {
  /** ZSTD level, 1–22. @default 3 */
  zstdLevel?: number | undefined;
  /** GZIP level, 1–9. @default 6 */
  gzipLevel?: number | undefined;
}

let zstdReady: Promise<void> | undefined;

/** Loads the ZSTD wasm module once per process. */
export function loadZstd(): Promise<void> {
  zstdReady ??= zstdInit();
  return zstdReady;
}

/** Parses a codec name case-insensitively ("zstd" → "ZSTD"); throws listing the choices otherwise. */
export function parseParquetCodec(name: string): ParquetCodec {
  const upper = name.toUpperCase();
  if ((PARQUET_CODECS as readonly string[]).includes(upper)) return upper as ParquetCodec;
  throw new ConfigError(`unknown Parquet codec "${name}" (choose one of ${PARQUET_CODECS.join(", ").toLowerCase()})`, { field: "compression" });
}

/** Compressors for hyparquet-writer, for every codec in PARQUET_CODECS. */
export async function writeCompressors({ zstdLevel = DEFAULT_ZSTD_LEVEL, gzipLevel = 6 }: CodecOptions = {}): Promise<WriteCompressors> {
  if (!Number.isInteger(zstdLevel) || zstdLevel < 1 || zstdLevel > 22)
    throw new ConfigError(`ZSTD level must be 1–22, got ${zstdLevel}`, { field: "zstdLevel" });
  if (!Number.isInteger(gzipLevel) || gzipLevel < 1 || gzipLevel > 9) throw new ConfigError(`GZIP level must be 1–9, got ${gzipLevel}`, { field: "gzipLevel" });
  await loadZstd();
  return {
    SNAPPY: snappyCompressor(),
    ZSTD: (input) => zstdCompress(input, zstdLevel),
    GZIP: (input) => new Uint8Array(gzipSync(input, { level: gzipLevel })),
  };
}

/**
 * Decompressors for hyparquet: hyparquet-compressors for everything, with ZSTD through the same wasm
 * zstd (faster than hyparquet-compressors' pure-JS fzstd) and GZIP through node:zlib.
 */
export async function readDecompressors(): Promise<ReadCompressors> {
  await loadZstd();
  return {
    ...baseDecompressors,
    ZSTD: (input, outputLength) => zstdDecompress(input, { defaultHeapSize: Math.max(outputLength, 1) }),
    GZIP: (input) => new Uint8Array(gunzipSync(input)),
  };
}
