/**
 * @module text/count-words — LongBench-Write's output length, exactly as its Python scorer counts it:
 * every character in U+4E00–U+9FFF, plus every run of ASCII letters that Python's Unicode-aware
 * `\b[a-zA-Z]+\b` matches (so "café" → 0, "don't" → 2, "中文abc" → 2).
 */

// Python's `\b` sits between a \w and a non-\w character, where \w is Unicode letters, digits and "_".
// A JS lookaround over [\p{L}\p{N}_] reproduces it; JS's own \b is ASCII-only and gets "café" wrong.
const ENGLISH_WORD = /(?<![\p{L}\p{N}_])[A-Za-z]+(?![\p{L}\p{N}_])/gu;

/**
 * Counts words the way LongBench-Write does: Chinese by character, English by word.
 *
 * @example countWords("Hello world, 你好") // 4
 */
export function countWords(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x4e00 && code <= 0x9fff) count++;
  }
  ENGLISH_WORD.lastIndex = 0;
  while (ENGLISH_WORD.exec(text) !== null) count++;
  return count;
}
