/**
 * @module text/split-for-tokenizer — cuts long text into pieces a BPE tokenizer can take quickly,
 * at places where GPT-style pre-tokenizers split anyway, so the summed count equals the whole count.
 */

export interface SplitForTokenizerOptions {
  /** Longest piece, in UTF-16 units. @default 20000 */
  maxChars?: number | undefined;
  /**
   * Longest stretch without a safe boundary (e.g. Chinese with no punctuation, base64) before a hard
   * cut; BPE cost grows about quadratically with such a stretch. @default 1000
   */
  maxRunChars?: number | undefined;
}

const WORDLIKE = /^[\p{L}\p{N}\p{M}]$/u;

/** True for letters, numbers and marks (ASCII answered without a regex: this runs once per character). */
function isWordlike(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  if (code < 0x80) return (code >= 0x30 && code <= 0x39) || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a);
  if (code >= 0x4e00 && code <= 0x9fff) return true; // CJK unified ideographs
  if ((code >= 0x3000 && code <= 0x3004) || (code >= 0x3008 && code <= 0x3020)) return false; // CJK punctuation
  if ((code >= 0xff01 && code <= 0xff0f) || (code >= 0xff1a && code <= 0xff20)) return false; // full-width punctuation
  if (code >= 0xdc00 && code <= 0xdfff) return i > 0 && WORDLIKE.test(text.slice(i - 1, i + 1)); // low surrogate
  if (code >= 0xd800 && code <= 0xdbff) return WORDLIKE.test(text.slice(i, i + 2));
  return WORDLIKE.test(text.charAt(i));
}

/**
 * True when a cut before index `i` cannot change a GPT-style pre-tokenization: the previous character
 * ends a letter/number run and the next one (whitespace or punctuation, not an apostrophe) starts a
 * new pre-token anyway.
 */
function isSafeCut(text: string, i: number): boolean {
  if (i <= 0 || i >= text.length) return false;
  const next = text.charCodeAt(i);
  if (next >= 0xdc00 && next <= 0xdfff) return false; // never split a surrogate pair
  if (next === 0x27 || next === 0x2019) return false; // keep "'s", "’t" with their word
  return !isWordlike(text, i) && isWordlike(text, i - 1);
}

/** Yields pieces of `text` (all of it, in order) no longer than `maxChars`. */
export function* splitForTokenizer(text: string, options: SplitForTokenizerOptions = {}): Generator<string> {
  const maxChars = options.maxChars ?? 20_000;
  const maxRunChars = Math.min(options.maxRunChars ?? 1000, maxChars);
  if (text.length <= maxChars && text.length <= maxRunChars) {
    yield text;
    return;
  }
  let start = 0;
  let lastSafe = -1;
  let runStart = 0;
  for (let i = 1; i < text.length; i++) {
    if (isSafeCut(text, i)) {
      lastSafe = i;
      runStart = i;
    }
    const tooLong = i - start >= maxChars;
    const runTooLong = i - runStart >= maxRunChars;
    if (!tooLong && !runTooLong) continue;
    let cut = tooLong && lastSafe > start ? lastSafe : i;
    const code = text.charCodeAt(cut);
    if (code >= 0xdc00 && code <= 0xdfff) cut -= 1; // keep surrogate pairs whole
    if (cut <= start) continue;
    yield text.slice(start, cut);
    start = cut;
    runStart = cut;
    lastSafe = -1;
  }
  if (start < text.length) yield text.slice(start);
}
