/**
 * @module mix/text-shingles — the word tokens and n-gram hashes that near-dedup and decontamination
 * compare: lower-cased letter/digit runs, with every CJK/kana character a token of its own (as
 * LongBench-Write counts Chinese), so "write 2000 words" and "写一篇2000字" both give useful n-grams.
 */

const TOKEN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])[\p{L}\p{N}\p{M}])+/gu;

/** The comparison tokens of `text`. */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}

/** FNV-1a over UTF-16 code units, finished with murmur3's fmix32: a fast, well-spread 32-bit hash. */
export function hash32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** murmur3's 32-bit finaliser. */
export function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Distinct 32-bit hashes of the `n`-token shingles of `tokens`. A text shorter than `n` tokens gives one
 * shingle of all its tokens (when it has any).
 */
export function shingleHashes(tokens: readonly string[], n: number): Uint32Array {
  if (tokens.length === 0) return new Uint32Array(0);
  const width = Math.min(n, tokens.length);
  const seen = new Set<number>();
  for (let i = 0; i + width <= tokens.length; i++) {
    seen.add(hash32(tokens.slice(i, i + width).join(" ")));
  }
  return Uint32Array.from(seen);
}
