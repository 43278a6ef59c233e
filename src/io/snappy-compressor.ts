/**
 * @module io/snappy-compressor — hysnappy's wasm SNAPPY compressor, made to give the same bytes for the same
 * input whatever it compressed before. The wasm keeps snappy's hash table (the last position of each hashed
 * 4-byte sequence) in linear memory from one call to the next and never clears it, so a call can find a match
 * through a position an earlier input left there: still valid snappy, but the output then depends on what
 * the instance compressed before, and a row group encoded on one thread differed from the same row group
 * encoded on another. Clearing the table before each call gives every call a fresh instance's state.
 */
import type { snappyCompressor as SnappyCompressorFactory } from "hysnappy";
import { ToolkitError } from "../errors.js";

/**
 * Where the table lives in hysnappy 1.1.1's wasm memory: `1024 + (hash & 0xfffc)`, 4-byte entries, so
 * 64 KiB from byte 1024 (the wrapper puts its input at 68,000, past it).
 */
const TABLE_START = 1024;
const TABLE_BYTES = 0x10000;

/** The part of the WebAssembly global used here (the project's types leave it out). */
interface WasmInstance {
  exports: Record<string, unknown>;
}
type WasmInstanceClass = new (module: unknown, imports?: unknown) => WasmInstance;

/** A SNAPPY compressor (one wasm instance) whose output depends only on its input. */
export function deterministicSnappyCompressor(factory: typeof SnappyCompressorFactory): (input: Uint8Array) => Uint8Array {
  // hysnappy does not hand out its instance: catch it as the factory makes it (synchronously, here).
  const wasm = (globalThis as unknown as { WebAssembly: { Instance: WasmInstanceClass } }).WebAssembly;
  const Original = wasm.Instance;
  let instance: WasmInstance | undefined;
  wasm.Instance = new Proxy(Original, {
    construct(target, args: [unknown, unknown?]) {
      instance = new target(...args);
      return instance;
    },
  });
  let compress: (input: Uint8Array) => Uint8Array;
  try {
    compress = factory();
  } finally {
    wasm.Instance = Original;
  }
  const memory = instance?.exports.memory as { buffer: ArrayBuffer } | undefined;
  if (!(memory?.buffer instanceof ArrayBuffer))
    throw new ToolkitError("hysnappy: found no wasm memory to clear (has its build changed?)", { code: "invalid_state" });
  return (input) => {
    new Uint8Array(memory.buffer, TABLE_START, TABLE_BYTES).fill(0);
    return compress(input);
  };
}
