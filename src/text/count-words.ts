/**
 * @module text/count-words — LongBench-Write's output length, exactly as its Python scorer counts it:
 * every character in U+4E00–U+9FFF, plus every run of ASCII letters that Python's Unicode-aware
 * `\b[a-zA-Z]+\b` matches (so "café" → 0, "don't" → 2, "中文abc" → 2).
 */

// Python's `\b` sits between a \w and a non-\w character, where \w is Unicode letters, digits and "_".
// [\p{L}\p{N}_] reproduces that class; JS's own \b is ASCII-only and gets "café" wrong.
const NON_ASCII_WORD_CHAR = /^[\p{L}\p{N}_]$/u;

function isAsciiLetter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
}

function isWordCodePoint(code: number): boolean {
  if (code < 0x80) return isAsciiLetter(code) || (code >= 0x30 && code <= 0x39) || code === 0x5f;
  return NON_ASCII_WORD_CHAR.test(String.fromCodePoint(code));
}

/** Code point that ends just before `index` (joining a surrogate pair), or -1 at the start. */
function codePointBefore(text: string, index: number): number {
  if (index <= 0) return -1;
  const low = text.charCodeAt(index - 1);
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) {
    const high = text.charCodeAt(index - 2);
    if (high >= 0xd800 && high <= 0xdbff) return (high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
  }
  return low;
}

/**
 * Counts words the way LongBench-Write does: Chinese by character, English by word.
 *
 * A run of ASCII letters is a word when neither neighbour is a Unicode word character — the only way
 * Python's `\b[a-zA-Z]+\b` can match it (a shorter match would end or start next to a letter). A single
 * pass over the string, no regex per word: several times faster than the regex form on English text.
 *
 * @example countWords("Hello world, 你好") // 4
 */
export function countWords(text: string): number {
  let count = 0;
  const length = text.length;
  let i = 0;
  while (i < length) {
    const code = text.charCodeAt(i);
    if (code >= 0x4e00 && code <= 0x9fff) {
      count++;
      i++;
    } else if (isAsciiLetter(code)) {
      const start = i;
      i++;
      while (i < length && isAsciiLetter(text.charCodeAt(i))) i++;
      const before = codePointBefore(text, start);
      if (before !== -1 && isWordCodePoint(before)) continue;
      const after = text.codePointAt(i);
      if (after !== undefined && isWordCodePoint(after)) continue;
      count++;
    } else {
      i++;
    }
  }
  return count;
}
