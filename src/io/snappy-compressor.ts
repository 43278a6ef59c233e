/**
 * @module io/snappy-compressor — the SNAPPY compressor our Parquet pages go through: our own, compiled from
 * AssemblyScript (wasm/snappy-compress.ts, embedded by scripts/build-wasm.mjs). Each 64 KiB block is
 * compressed with a fresh hash table, so the same input gives the same bytes whatever was compressed
 * before, on any thread.
 *
 * Why not hysnappy (what DESIGN.md names): on 1 MiB pages of the bench's mix text it compressed 222–230 MB/s
 * against 292–328 MB/s for this one (same process, same pages), and it crossed data that does not compress
 * at 290–350 MB/s against 1.3–1.7 GB/s here (it looks up every position; this one, like Google's snappy,
 * looks at fewer and fewer after a run of misses). Its output is 2 % smaller on that text (ratio 0.600 vs
 * 0.614). SNAPPY was about a sixth of a mix's CPU and more of a convert's. hysnappy also kept its table from
 * call to call, which made its bytes depend on what the instance had compressed before.
 */
import { ToolkitError } from "../errors.js";
import { instantiateWasm, reserveWasmMemory, type WasmMemory } from "../util/wasm-instance.js";
import { SNAPPY_COMPRESS_WASM } from "./snappy-compress-wasm.js";

/** Where the input goes in the module's memory: past the hash table (64 KiB, 32,768 entries) it keeps at byte 0. */
const INPUT_START = 64 * 1024;
/** Bytes the module may read past the input and write past the output's bound (it moves 16 at a time). */
const SLACK = 64;
interface SnappyExports {
  memory: WasmMemory;
  compress(input: number, length: number, output: number): number;
}

/** Most bytes a SNAPPY encoding of `length` bytes takes (the format's bound). */
export function snappyMaxCompressedLength(length: number): number {
  return 32 + length + Math.floor(length / 6);
}

/**
 * A compressor a page can be written straight into: `input(length)` is where to put the page's `length`
 * bytes (a view of the compressor's own memory) and `compress(length)` compresses them there and returns a
 * view of the output, also in its memory. Both views are valid until the next call. A writer that builds
 * its pages in place saves copying each page in and each output out.
 */
export interface InPlaceCompressor {
  input(length: number): Uint8Array;
  compress(length: number): Uint8Array;
}

/** The in-place side of each compressor `createSnappyCompressor` made (same instance, same bytes). */
const inPlaceCompressors = new WeakMap<object, InPlaceCompressor>();

/** The in-place side of `compress` when it is one of our SNAPPY compressors, else undefined. */
export function inPlaceCompressorOf(compress: unknown): InPlaceCompressor | undefined {
  return typeof compress === "function" ? inPlaceCompressors.get(compress) : undefined;
}

/** A new SNAPPY compressor: one wasm instance (its own memory), for one thread. */
export function createSnappyCompressor(): (input: Uint8Array) => Uint8Array {
  const exports = instantiateWasm(SNAPPY_COMPRESS_WASM) as unknown as SnappyExports;
  if (typeof exports.compress !== "function" || !(exports.memory?.buffer instanceof ArrayBuffer)) {
    throw new ToolkitError("the SNAPPY wasm module lacks compress or memory (rebuild it: npm run build:wasm)", { code: "invalid_state" });
  }
  const { memory } = exports;
  const outputStartFor = (length: number): number => INPUT_START + ((length + SLACK + 7) & ~7);
  // Room for a page of `length` bytes and its output (growing keeps what the memory holds).
  const reserve = (length: number): void => {
    const needed = outputStartFor(length) + snappyMaxCompressedLength(length) + SLACK;
    if (memory.buffer.byteLength < needed) reserveWasmMemory(memory, needed, `SNAPPY, compressing a page of ${length} bytes`);
  };
  const inPlace: InPlaceCompressor = {
    input(length) {
      reserve(length);
      return new Uint8Array(memory.buffer, INPUT_START, length);
    },
    compress(length) {
      reserve(length);
      const outputStart = outputStartFor(length);
      const written = exports.compress(INPUT_START, length, outputStart);
      return new Uint8Array(memory.buffer, outputStart, written);
    },
  };
  const compress = (input: Uint8Array): Uint8Array => {
    inPlace.input(input.length).set(input);
    return inPlace.compress(input.length).slice();
  };
  inPlaceCompressors.set(compress, inPlace);
  return compress;
}
