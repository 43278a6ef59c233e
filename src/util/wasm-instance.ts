/**
 * @module util/wasm-instance — a new instance of one of our embedded WebAssembly modules (base64 in a
 * generated file, see scripts/build-wasm.mjs), each module compiled once per thread.
 */

import { ToolkitError } from "../errors.js";

/** The WebAssembly API parts used here (the project's types leave the global out). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => unknown;
  Instance: new (module: unknown, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory;
}

const wasmApi = (): WasmApi => (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const compiled = new Map<string, unknown>();

/** The exports of a new instance of the module `base64` holds (compiling it on first use); throws if it does not compile. */
export function instantiateWasm(base64: string, imports: object = {}): Record<string, unknown> {
  const wasm = wasmApi();
  let module = compiled.get(base64);
  if (module === undefined) {
    module = new wasm.Module(Buffer.from(base64, "base64"));
    compiled.set(base64, module);
  }
  return new wasm.Instance(module, imports).exports;
}

/** A module's exported memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

const WASM_PAGE = 0x10000;

/**
 * A fixed-size WebAssembly memory of `bytes` (a multiple of 64 KiB), as plain bytes: the engine maps it at a page
 * boundary, which is what makes it useful outside wasm (e.g. O_DIRECT's aligned buffers). Throws when none can be had.
 */
export function newWasmMemoryBytes(bytes: number): Uint8Array {
  const pages = bytes / WASM_PAGE;
  return new Uint8Array(new (wasmApi().Memory)({ initial: pages, maximum: pages }).buffer);
}

/**
 * Grows `memory` to at least `bytes` (in 64 KiB pages) when it is smaller, and returns its buffer: a new one
 * after growing, so views of the old one must be made again. `what` says what the memory was for, in the
 * error when it cannot grow.
 */
export function reserveWasmMemory(memory: WasmMemory, bytes: number, what: string): ArrayBuffer {
  const have = memory.buffer.byteLength;
  if (have < bytes) {
    try {
      memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
    } catch {
      throw new ToolkitError(`${what}: no memory for ${bytes} bytes (wasm memory is at most 4 GiB)`, { code: "out_of_memory" });
    }
  }
  return memory.buffer;
}
