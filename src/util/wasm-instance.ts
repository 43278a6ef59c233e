/**
 * @module util/wasm-instance — a new instance of one of our embedded WebAssembly modules (base64 in a
 * generated file, see scripts/build-wasm.mjs), each module compiled once per thread.
 */

/** The WebAssembly API parts used here (the project's types leave the global out). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => unknown;
  Instance: new (module: unknown, imports: object) => { exports: Record<string, unknown> };
}

const compiled = new Map<string, unknown>();

/** The exports of a new instance of the module `base64` holds (compiling it on first use); throws if it does not compile. */
export function instantiateWasm(base64: string, imports: object = {}): Record<string, unknown> {
  const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  let module = compiled.get(base64);
  if (module === undefined) {
    module = new wasm.Module(Buffer.from(base64, "base64"));
    compiled.set(base64, module);
  }
  return new wasm.Instance(module, imports).exports;
}
