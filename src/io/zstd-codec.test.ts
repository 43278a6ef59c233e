import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { chooseZstdCodec, loadZstdCodec, type ZstdCodec } from "./zstd-codec.js";

const nativeInstalled = (() => {
  try {
    createRequire(import.meta.url)("zstd-napi");
    return true;
  } catch {
    return false;
  }
})();

// Real text (English and Chinese JSON from the shared demo data) as Parquet pages of several sizes, and bytes
// that are not text.
const english = readFileSync(join(process.cwd(), "../shared/data/general-sft/alpaca_en_demo.json"));
const chinese = readFileSync(join(process.cwd(), "../shared/data/general-sft/alpaca_zh_demo.json"));
const pages: [string, Uint8Array][] = [
  ["empty", new Uint8Array(0)],
  ["one byte", new Uint8Array([7])],
  ["English, 300 KB", english.subarray(0, 300_000)],
  ["Chinese, 1 MiB", Buffer.concat([chinese, chinese, chinese]).subarray(0, 1 << 20)],
  ["Chinese, 5,000 bytes", chinese.subarray(1000, 6000)],
  ["random, 64 KiB", randomBytes(65_536)],
  ["zeros, 2 MiB", new Uint8Array(2 << 20)],
  ["English and Chinese, 4 MiB (the ZSTD page size)", Buffer.concat([english, chinese, english, chinese, english, chinese]).subarray(0, 4 << 20)],
];

describe("ZSTD codec choice", () => {
  it("uses the native zstd when zstd-napi is installed, and the wasm one when LONGWRITER_ZSTD=wasm", async () => {
    expect((await loadZstdCodec({})).implementation).toBe(nativeInstalled ? "native" : "wasm");
    expect((await loadZstdCodec({ LONGWRITER_ZSTD: "wasm" })).implementation).toBe("wasm");
    expect((await loadZstdCodec({ LONGWRITER_ZSTD: "WASM" })).implementation).toBe("wasm");
  });

  it("falls back to wasm when the native one does not load, unless native was asked for", async () => {
    const missing = (): never => {
      throw new Error("Cannot find module 'zstd-napi'");
    };
    expect((await chooseZstdCodec("auto", missing)).implementation).toBe("wasm");
    await expect(chooseZstdCodec("native", missing)).rejects.toThrow(
      /^LONGWRITER_ZSTD=native, but the native zstd .* does not load: Cannot find module 'zstd-napi'\. Reinstall/,
    );
  });

  it("rejects an unknown choice, naming the variable and the choices", async () => {
    await expect(loadZstdCodec({ LONGWRITER_ZSTD: "fast" })).rejects.toThrow(
      'the environment variable LONGWRITER_ZSTD must be one of auto, native, wasm, got "fast"',
    );
  });
});

describe.skipIf(!nativeInstalled)("native and wasm zstd", () => {
  // Loaded in beforeAll: a skipped describe's body still runs (to collect its tests).
  let native: ZstdCodec;
  let wasm: ZstdCodec;
  beforeAll(async () => {
    native = await chooseZstdCodec("native");
    wasm = await chooseZstdCodec("wasm");
  });

  it("write the same bytes for every page and level, so a file does not depend on which one ran", () => {
    for (const level of [1, 3, 9]) {
      const fromNative = native.compressor(level);
      const fromWasm = wasm.compressor(level);
      for (const [name, page] of pages) {
        const a = fromNative(page);
        const b = fromWasm(page);
        expect(Buffer.from(a).equals(Buffer.from(b)), `${name}, level ${level}`).toBe(true);
      }
    }
  });

  it("read each other's pages back", () => {
    const fromNative = native.compressor(3);
    const fromWasm = wasm.compressor(3);
    for (const [name, page] of pages) {
      expect(Buffer.from(wasm.decompress(fromNative(page), page.length)).equals(Buffer.from(page)), name).toBe(true);
      expect(Buffer.from(native.decompress(fromWasm(page), page.length)).equals(Buffer.from(page)), name).toBe(true);
    }
  });

  it("keep levels apart: a higher level packs text smaller", () => {
    const text = pages[3]![1];
    expect(native.compressor(9)(text).length).toBeLessThan(native.compressor(1)(text).length);
  });
});
