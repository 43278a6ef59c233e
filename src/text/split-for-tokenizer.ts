/**
 * @module text/split-for-tokenizer — cuts long text into pieces a BPE tokenizer can take quickly,
 * at places where GPT-style pre-tokenizers split anyway, so the summed count equals the whole count.
 */

export interface SplitForTokenizerOptions {
  /** Longest piece, in UTF-16 units. @default 20000 */
  maxChars?: number;
  /**
   * Longest stretch without a safe boundary (e.g. Chinese with no punctuation, base64) before a hard
   * cut; BPE cost grows about quadratically with such a stretch. @default 1000
   */
  maxRunChars?: number;
}

const WORDLIKE = /[\p{L}\p{N}\p{M}]/u;
const BREAK = /[^\p{L}\p{N}\p{M}'’]/u;

/**
 * True when a cut before index `i` cannot change a GPT-style pre-tokenization: the previous character
 * ends a letter/number run and the next one (whitespace or punctuation, not an apostrophe) starts a
 * new pre-token anyway.
 */
function isSafeCut(text: string, i: number): boolean {
  if (i <= 0 || i >= text.length) return false;
  const nextCode = text.charCodeAt(i);
  if (nextCode >= 0xdc00 && nextCode <= 0xdfff) return false; // never split a surrogate pair
  const next = String.fromCodePoint(text.codePointAt(i) ?? 0);
  const previousCode = text.charCodeAt(i - 1);
  const previous =
    previousCode >= 0xdc00 && previousCode <= 0xdfff && i >= 2 ? text.slice(i - 2, i) : text.charAt(i - 1);
  return BREAK.test(next) && WORDLIKE.test(previous);
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
