import { describe, expect, it } from "vitest";
import { seededRandom } from "../../test/helpers/openai-server.js";
import { instantiateWasm, reserveWasmMemory, type WasmMemory } from "../util/wasm-instance.js";
import { hashKeyBytes } from "./key-hash.js";
import { NORMALISE_KEY_WASM } from "./normalise-key-wasm.js";

/** The wasm module's `hashKey`, on bytes copied into its memory at `offset`. */
function wasmHash(): (bytes: Uint8Array, offset: number) => [number, number] {
  const instance = instantiateWasm(NORMALISE_KEY_WASM, { env: { classify: () => 1 } }) as unknown as {
    memory: WasmMemory;
    hashKey(start: number, length: number, out: number): void;
  };
  return (bytes, offset) => {
    const buffer = reserveWasmMemory(instance.memory, offset + bytes.length + 64, "test");
    new Uint8Array(buffer).set(bytes, offset);
    instance.hashKey(offset, bytes.length, 16);
    const out = new Uint32Array(buffer, 16, 2);
    return [out[0]!, out[1]!];
  };
}

describe("exact-dedup key hash", () => {
  it("is the same in JavaScript and WebAssembly, at every length around its stripes and at any alignment", () => {
    const random = seededRandom(7);
    const wasm = wasmHash();
    const out = new Uint32Array(4);
    const lengths = [...Array.from({ length: 140 }, (_, i) => i), 1000, 4093, 65_537];
    for (const length of lengths) {
      for (let round = 0; round < 4; round++) {
        const bytes = new Uint8Array(length + 8);
        for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
        const start = round; // the JavaScript side reads a view at any offset too
        const view = bytes.subarray(start, start + length);
        hashKeyBytes(bytes, start, start + length, out, 2);
        expect(wasm(view, 1024 + ((round * 5) % 16)), `length ${length}`).toEqual([out[2], out[3]]);
      }
    }
  });

  it("tells apart inputs that differ in one bit, one byte of length or the order of two stripes", () => {
    const seen = new Set<string>();
    const out = new Uint32Array(2);
    const key = (bytes: Uint8Array): string => {
      hashKeyBytes(bytes, 0, bytes.length, out, 0);
      return `${out[0]}:${out[1]}`;
    };
    const base = new Uint8Array(96).map((_, i) => (i * 37) & 0xff);
    seen.add(key(base));
    let inputs = 1;
    for (let bit = 0; bit < base.length * 8; bit++) {
      const flipped = base.slice();
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      seen.add(key(flipped));
      inputs++;
    }
    for (let length = 0; length < base.length; length++) {
      seen.add(key(new Uint8Array(length)));
      inputs++;
    }
    const swapped = new Uint8Array(96);
    swapped.set(base.subarray(32, 64), 0);
    swapped.set(base.subarray(0, 32), 32);
    swapped.set(base.subarray(64), 64);
    seen.add(key(swapped));
    inputs++;
    expect(seen.size).toBe(inputs);
  });
});
