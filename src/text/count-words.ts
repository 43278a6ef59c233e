/**
 * @module text/count-words — LongBench-Write's output length, exactly as its Python scorer counts it:
 * every character in U+4E00–U+9FFF, plus every run of ASCII letters that Python's Unicode-aware
 * `\b[a-zA-Z]+\b` matches (so "café" → 0, "don't" → 2, "中文abc" → 2).
 */

// Python's `\b` sits between a \w and a non-\w character, where \w is Unicode letters, digits and "_".
// [\p{L}\p{N}_] reproduces that class; JS's own \b is ASCII-only and gets "café" wrong.
const NON_ASCII_WORD_CHAR = /^[\p{L}\p{N}_]$/u;

// ASCII classes: 1 = letter, 2 = digit or "_" (a word character that is not a letter), 0 = anything else.
const LETTER = 1;
const OTHER_WORD = 2;
const ASCII_CLASS = new Uint8Array(128);
for (let c = 0x41; c <= 0x5a; c++) ASCII_CLASS[c] = LETTER;
for (let c = 0x61; c <= 0x7a; c++) ASCII_CLASS[c] = LETTER;
for (let c = 0x30; c <= 0x39; c++) ASCII_CLASS[c] = OTHER_WORD;
ASCII_CLASS[0x5f] = OTHER_WORD;

// Whether a BMP code point is a Unicode word character, filled in on first sight (0 unknown, 1 yes, 2 no):
// the regex runs once per distinct character next to an English word, not once per word.
const BMP_WORD = new Uint8Array(0x10000);

function isWordCodePoint(code: number): boolean {
  if (code < 0x80) return ASCII_CLASS[code] !== 0;
  if (code <= 0xffff) {
    let known = BMP_WORD[code]!;
    if (known === 0) {
      known = NON_ASCII_WORD_CHAR.test(String.fromCharCode(code)) ? 1 : 2;
      BMP_WORD[code] = known;
    }
    return known === 1;
  }
  return NON_ASCII_WORD_CHAR.test(String.fromCodePoint(code));
}

/** Code point that ends just before `index` (joining a surrogate pair); `index` ≥ 1. */
function codePointBefore(text: string, index: number): number {
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
 * Python's `\b[a-zA-Z]+\b` can match it (a shorter match would end or start next to a letter). One pass
 * over the string with a table lookup per ASCII character; the Unicode class of a neighbour is looked up
 * only at the two ends of an English run, and cached per character.
 *
 * @example countWords("Hello world, 你好") // 4
 */
export function countWords(text: string): number {
  let count = 0;
  const length = text.length;
  let i = 0;
  while (i < length) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) {
      if (code >= 0x4e00 && code <= 0x9fff) count++;
      i++;
      continue;
    }
    if (ASCII_CLASS[code] !== LETTER) {
      i++;
      continue;
    }
    // A maximal run of ASCII letters [start, i).
    const start = i;
    i++;
    let next = -1;
    while (i < length) {
      next = text.charCodeAt(i);
      if (next >= 0x80 || ASCII_CLASS[next] !== LETTER) break;
      i++;
    }
    if (start > 0) {
      const before = text.charCodeAt(start - 1);
      // An ASCII neighbour before a maximal run is never a letter; digits and "_" are word characters.
      if (before < 0x80 ? ASCII_CLASS[before] === OTHER_WORD : isWordCodePoint(codePointBefore(text, start))) continue;
    }
    if (i < length) {
      if (next < 0x80) {
        if (ASCII_CLASS[next] === OTHER_WORD) continue;
      } else if (isWordCodePoint(text.codePointAt(i)!)) continue;
    }
    count++;
  }
  return count;
}
