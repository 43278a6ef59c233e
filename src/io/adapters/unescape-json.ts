/**
 * @module io/adapters/unescape-json — the byte reader's JSON string unescaper in WebAssembly
 * (wasm/unescape-json.ts: the runs between escapes found and moved sixteen bytes at a time with SIMD), one
 * instance per thread, made on first use. It gives what the reader's JavaScript unescaper gives — the same
 * bytes, closing quote, canonical flag, and "give up" — and the reader uses that one where wasm SIMD is missing.
 */
import { instantiateWasm, reserveWasmMemory, type WasmMemory } from "../../util/wasm-instance.js";
import { UNESCAPE_JSON_WASM } from "./unescape-json-wasm.js";

interface UnescapeExports {
  memory: WasmMemory;
  unescape(input: number, length: number, first: number, out: number): number;
}

/** What one string unescaped to: its text (a view of the unescaper's memory, valid until its next call). */
export interface Unescaped {
  text: Uint8Array;
  /** Offset of the closing quote from the start of the input. */
  quote: number;
  /** Written exactly as JSON.stringify writes it. */
  canonical: boolean;
}

/** Where the input goes: past the 8 bytes of results. */
const INPUT_START = 16;

let instance: UnescapeExports | null | undefined;
let bytes: Uint8Array | undefined;
let results: Uint32Array | undefined;

function load(): UnescapeExports | null {
  try {
    return instantiateWasm(UNESCAPE_JSON_WASM) as unknown as UnescapeExports;
  } catch {
    return null;
  }
}

/** Whether this thread has the wasm unescaper (false where wasm SIMD is missing); loads it. */
export function wasmUnescaperAvailable(): boolean {
  instance ??= load();
  return instance !== null;
}

/**
 * Unescapes the JSON string whose text starts at `from` in `line` (up to `end`, the rest of the line); `first`
 * is its first quote, backslash or control character (not a quote). Undefined when wasm is missing (use the
 * JavaScript unescaper); null to give up (the full reader decides).
 */
export function unescapeWithWasm(line: Uint8Array, from: number, first: number, end: number): Unescaped | null | undefined {
  instance ??= load();
  if (instance === null) return undefined;
  const length = end - from;
  const outputStart = (INPUT_START + length + 16 + 15) & ~15;
  const needed = outputStart + length + 32;
  // The memory grows only here, so the views are renewed only here (reading a typed array's buffer is slow).
  if (bytes === undefined || bytes.length < needed) {
    const buffer = reserveWasmMemory(instance.memory, needed, `unescaping a JSON string in ${length} bytes of a line`);
    bytes = new Uint8Array(buffer);
    results = new Uint32Array(buffer, 0, 2);
  }
  bytes.set(line.subarray(from, end), INPUT_START);
  const written = instance.unescape(INPUT_START, length, first - from, outputStart);
  if (written < 0) return null;
  return { text: bytes.subarray(outputStart, outputStart + written), quote: results![0]!, canonical: results![1] === 1 };
}
