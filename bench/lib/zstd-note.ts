/**
 * @module bench/lib/zstd-note — one sentence for a bench section: which ZSTD our jobs ran (they inherit this
 * process's environment, so LONGWRITER_ZSTD applies to both).
 */
import { loadZstdCodec } from "../../src/io/zstd-codec.js";

export async function zstdNote(): Promise<string> {
  const { implementation } = await loadZstdCodec();
  return implementation === "native"
    ? "Our ZSTD ran through the native zstd (zstd-napi, the optional dependency; the wasm fallback writes the same bytes at half the speed)."
    : "Our ZSTD ran through the wasm zstd (zstd-napi, the optional native one, is not installed here or LONGWRITER_ZSTD=wasm; it writes the same bytes at twice the speed).";
}
