/**
 * @module io/parquet-codecs — the compression codecs our Parquet files use: SNAPPY (our own wasm compressor,
 * io/snappy-compressor; the default, as `datasets` writes), ZSTD (the native zstd when the optional zstd-napi is
 * installed, else @bokuweb/zstd-wasm: io/zstd-codec), GZIP (node:zlib) and UNCOMPRESSED, for writing and for
 * reading. Each codec's package is loaded when compressors for it are asked for, so a SNAPPY writer (and every
 * row-group worker) loads no zstd and no read-side decompressors.
 */
import { gunzipSync, gzipSync } from "node:zlib";
import type { Compressors as WriteCompressors } from "hyparquet-writer/src/types.js";
import type { Compressors as ReadCompressors } from "hyparquet";
import { ConfigError } from "../errors.js";
import { createSnappyCompressor } from "./snappy-compressor.js";
import { loadZstdCodec } from "./zstd-codec.js";

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

/** Parses a codec name case-insensitively ("zstd" → "ZSTD"); throws listing the choices otherwise. */
export function parseParquetCodec(name: string): ParquetCodec {
  const upper = name.toUpperCase();
  if ((PARQUET_CODECS as readonly string[]).includes(upper)) return upper as ParquetCodec;
  throw new ConfigError(`unknown Parquet codec "${name}" (choose one of ${PARQUET_CODECS.join(", ").toLowerCase()})`, { field: "compression" });
}

/**
 * Compressors for hyparquet-writer: for `codecs` (default: every codec in PARQUET_CODECS). Give the one
 * codec a writer uses to load only its package.
 */
export async function writeCompressors(
  { zstdLevel = DEFAULT_ZSTD_LEVEL, gzipLevel = 6 }: CodecOptions = {},
  codecs: readonly ParquetCodec[] = PARQUET_CODECS,
): Promise<WriteCompressors> {
  if (!Number.isInteger(zstdLevel) || zstdLevel < 1 || zstdLevel > 22)
    throw new ConfigError(`ZSTD level must be 1–22, got ${zstdLevel}`, { field: "zstdLevel" });
  if (!Number.isInteger(gzipLevel) || gzipLevel < 1 || gzipLevel > 9) throw new ConfigError(`GZIP level must be 1–9, got ${gzipLevel}`, { field: "gzipLevel" });
  const zstd = codecs.includes("ZSTD") ? await loadZstdCodec() : undefined;
  return {
    ...(codecs.includes("SNAPPY") ? { SNAPPY: createSnappyCompressor() } : {}),
    ...(zstd ? { ZSTD: zstd.compressor(zstdLevel) } : {}),
    ...(codecs.includes("GZIP") ? { GZIP: (input: Uint8Array) => new Uint8Array(gzipSync(input, { level: gzipLevel })) } : {}),
  };
}

/**
 * Decompressors for hyparquet: hyparquet-compressors for everything, with ZSTD through the same zstd as
 * writing (faster than hyparquet-compressors' pure-JS fzstd) and GZIP through node:zlib.
 */
export async function readDecompressors(): Promise<ReadCompressors> {
  const [{ compressors: baseDecompressors }, zstd] = await Promise.all([import("hyparquet-compressors"), loadZstdCodec()]);
  return {
    ...baseDecompressors,
    ZSTD: (input, outputLength) => zstd.decompress(input, outputLength),
    GZIP: (input) => new Uint8Array(gunzipSync(input)),
  };
}
