/**
 * @module io/zstd-codec — which ZSTD our Parquet pages go through: the native zstd library through
 * `zstd-napi` (an optional dependency: built from source, or a prebuilt binary, when `npm install` can) or,
 * where that is not installed, `@bokuweb/zstd-wasm`. Both wrap zstd 1.5 and write the same bytes for a
 * page at the same level (checked in the tests), so a file does not depend on which one ran; the native one
 * is about twice as fast (level 3 on the bench text: ~210 against ~100 MB/s per core).
 *
 * `LONGWRITER_ZSTD` chooses: `auto` (default: native when it loads), `native` (an error when it does not) or
 * `wasm`. Read when the codec is first asked for, once per thread.
 */
import { createRequire } from "node:module";
import { ConfigError } from "../errors.js";

export type ZstdImplementation = "native" | "wasm";
export const ZSTD_IMPLEMENTATION_CHOICES = ["auto", "native", "wasm"] as const;

export interface ZstdCodec {
  readonly implementation: ZstdImplementation;
  /** A page compressor at `level` (one per writer: the native one keeps its context between pages). */
  compressor(level: number): (input: Uint8Array) => Uint8Array;
  /** Decompresses one page whose decompressed size the page header gives. */
  decompress(input: Uint8Array, outputLength: number): Uint8Array;
}

/** The part of zstd-napi we call (typed here: it is optional, so its types may be absent). */
interface ZstdNapi {
  Compressor: new () => { setParameters(parameters: { compressionLevel: number }): void; compress(input: Uint8Array): Uint8Array };
  Decompressor: new () => { decompress(input: Uint8Array): Uint8Array };
}

const loaded = new Map<string, Promise<ZstdCodec>>();

/**
 * The ZSTD codec `LONGWRITER_ZSTD` (in `env`) asks for, loaded once per choice and thread.
 * @throws ConfigError for an unknown choice, or `native` when zstd-napi does not load
 */
export function loadZstdCodec(env: Record<string, string | undefined> = process.env): Promise<ZstdCodec> {
  const choice = (env.LONGWRITER_ZSTD || "auto").toLowerCase();
  let codec = loaded.get(choice);
  if (!codec) {
    codec = chooseZstdCodec(choice);
    loaded.set(choice, codec);
  }
  return codec;
}

/** The codec for `choice` (a LONGWRITER_ZSTD value), the native one loaded by `loadNative`; not cached. */
export async function chooseZstdCodec(choice: string, loadNative: () => unknown = requireZstdNapi): Promise<ZstdCodec> {
  if (!(ZSTD_IMPLEMENTATION_CHOICES as readonly string[]).includes(choice)) {
    throw new ConfigError(`the environment variable LONGWRITER_ZSTD must be one of ${ZSTD_IMPLEMENTATION_CHOICES.join(", ")}, got "${choice}"`);
  }
  if (choice !== "wasm") {
    let native: ZstdNapi | Error;
    try {
      native = loadNative() as ZstdNapi;
    } catch (error) {
      native = error instanceof Error ? error : new ConfigError(String(error));
    }
    if (!(native instanceof Error)) return nativeCodec(native);
    if (choice === "native") {
      throw new ConfigError(
        `LONGWRITER_ZSTD=native, but the native zstd (the optional dependency zstd-napi) does not load: ${native.message.split("\n")[0]}. ` +
          "Reinstall with a C compiler available (npm rebuild zstd-napi), or unset LONGWRITER_ZSTD to use the wasm zstd.",
        { cause: native },
      );
    }
  }
  return wasmCodec();
}

function requireZstdNapi(): unknown {
  return createRequire(import.meta.url)("zstd-napi");
}

function nativeCodec(zstd: ZstdNapi): ZstdCodec {
  let decompressor: InstanceType<ZstdNapi["Decompressor"]> | undefined;
  return {
    implementation: "native",
    compressor(level) {
      const compressor = new zstd.Compressor();
      compressor.setParameters({ compressionLevel: level });
      return (input) => plainBytes(compressor.compress(input));
    },
    decompress(input) {
      decompressor ??= new zstd.Decompressor();
      return plainBytes(decompressor.decompress(input));
    },
  };
}

/** The same memory as a plain Uint8Array (zstd-napi returns Buffers; the wasm codec, like hyparquet, plain arrays). */
function plainBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

async function wasmCodec(): Promise<ZstdCodec> {
  const zstd = await import("@bokuweb/zstd-wasm");
  await zstd.init();
  return {
    implementation: "wasm",
    compressor: (level) => (input) => zstd.compress(input, level),
    decompress: (input, outputLength) => zstd.decompress(input, { defaultHeapSize: Math.max(outputLength, 1) }),
  };
}
