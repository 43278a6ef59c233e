/**
 * @module text/count-words — LongBench-Write's output length, exactly as its Python scorer counts it:
 * every character in U+4E00–U+9FFF, plus every run of ASCII letters that Python's Unicode-aware
 * `\b[a-zA-Z]+\b` matches (so "café" → 0, "don't" → 2, "中文abc" → 2).
 */

import { instantiateWasm, reserveWasmMemory, type WasmMemory } from "../util/wasm-instance.js";
import { COUNT_WORDS_WASM } from "./count-words-wasm.js";
import { HIGH_BITS, int32View, LITTLE_ENDIAN } from "./int32-view.js";

// Python's `\b` sits between a \w and a non-\w character, where \w is Unicode letters, digits and "_".
// [\p{L}\p{N}_] reproduces that class; JS's own \b is ASCII-only and gets "café" wrong.
const WORD_CHAR = /^[\p{L}\p{N}_]$/u;

// One class byte per UTF-16 code unit: bit 0 ASCII letter, bit 1 word character (\w), bit 2 counted
// CJK character, bit 7 "known". ASCII and U+4E00–U+9FFF are filled in here; any other BMP character the
// first time it is seen (the regex runs once per distinct character). Surrogates are never "known": a
// pair is classed as one code point each time.
const LETTER = 1;
const WORD = 2;
const CJK = 4;
const KNOWN = 0x80;
const CLASS = new Uint8Array(0x10000);
for (let code = 0; code < 0x80; code++) {
  const letter = ((code | 0x20) - 0x61) >>> 0 < 26;
  const word = letter || (code - 0x30) >>> 0 < 10 || code === 0x5f;
  CLASS[code] = KNOWN | (letter ? LETTER : 0) | (word ? WORD : 0);
}
CLASS.fill(KNOWN | WORD | CJK, 0x4e00, 0xa000); // all letters (Lo) in every Unicode version since 14

/**
 * Counts words the way LongBench-Write does: Chinese by character, English by word.
 *
 * `\b[a-zA-Z]+\b` matches exactly the maximal runs of word characters that consist of ASCII letters
 * only (a shorter match would start or end next to a word character). So one pass keeps two bits — "the
 * previous character is a word character" and "the current run is ASCII letters so far" — and counts a
 * run when it ends. The loop body has no data-dependent branch (a class-table load and bit arithmetic),
 * which is what makes it fast on text that switches between letters and spaces every few characters.
 *
 * @example countWords("Hello world, 你好") // 4
 */
export function countWords(text: string): number {
  const length = text.length;
  let count = 0;
  let inRun = 0; // 1 when the previous character is a word character
  let lettersOnly = 0; // 1 when the current run of word characters is all ASCII letters so far
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    let cls = CLASS[code]!;
    if (cls < KNOWN) {
      if ((code & 0xf800) === 0xd800) {
        // A surrogate pair is one code point (letters beyond the BMP are \w); a lone surrogate is not \w.
        const point = text.codePointAt(i)!;
        if (point > 0xffff) {
          cls = WORD_CHAR.test(String.fromCodePoint(point)) ? WORD : 0;
          i++;
        } else cls = 0;
      } else {
        cls = KNOWN | (WORD_CHAR.test(String.fromCharCode(code)) ? WORD : 0);
        CLASS[code] = cls;
      }
    }
    const word = (cls >> 1) & 1;
    count += ((cls >> 2) & 1) + (inRun & lettersOnly & (word ^ 1));
    lettersOnly = cls & LETTER & (lettersOnly | (inRun ^ 1));
    inRun = word;
  }
  return count + (inRun & lettersOnly);
}

/** The class byte of a code point CLASS does not know yet (a BMP one is remembered; surrogates are not \w). */
function classify(codePoint: number): number {
  if (codePoint > 0xffff) return WORD_CHAR.test(String.fromCodePoint(codePoint)) ? WORD : 0;
  if ((codePoint & 0xf800) === 0xd800) return KNOWN;
  const cls = KNOWN | (WORD_CHAR.test(String.fromCharCode(codePoint)) ? WORD : 0);
  CLASS[codePoint] = cls;
  return cls;
}

/**
 * The wasm counter (wasm/count-words.ts: sixteen ASCII bytes at a time with SIMD, about twice this file's
 * four-byte scan on the bench mix's text), one instance per thread, made on first use; null where it cannot
 * be (no wasm SIMD). Texts from WASM_MIN_BYTES to WASM_MAX_BYTES go through it (copied into its memory).
 */
interface WasmCounter {
  memory: WasmMemory;
  count(start: number, length: number): number;
}
let wasmCounter: WasmCounter | null | undefined;
let wasmBytes: Uint8Array | undefined;
const WASM_MIN_BYTES = 16;
const WASM_MAX_BYTES = 4 << 20;
/** Where the text goes in the counter's memory: past its class table. */
const WASM_TEXT_START = 0x10000;

function loadWasmCounter(): WasmCounter | null {
  try {
    const counter = instantiateWasm(COUNT_WORDS_WASM, { env: { classify } }) as unknown as WasmCounter;
    new Uint8Array(counter.memory.buffer, 0, 0x10000).set(CLASS);
    return counter;
  } catch {
    return null;
  }
}

/** Whether this thread counts long UTF-8 text with the wasm counter (false where wasm SIMD is missing); loads it. */
export function wasmWordCounterAvailable(): boolean {
  wasmCounter ??= loadWasmCounter();
  return wasmCounter !== null;
}

function countWithWasm(bytes: Uint8Array, start: number, end: number): number | undefined {
  wasmCounter ??= loadWasmCounter();
  if (wasmCounter === null) return undefined;
  const length = end - start;
  const needed = WASM_TEXT_START + length + 16;
  // The memory grows only here, so the view is renewed only here (reading a typed array's buffer is slow).
  if (wasmBytes === undefined || wasmBytes.length < needed) {
    wasmBytes = new Uint8Array(reserveWasmMemory(wasmCounter.memory, needed, `counting the words of ${length} bytes`));
  }
  // A plain view, not bytes.subarray: on a Buffer that goes through its species constructor, which costs
  // more than counting a short line.
  wasmBytes.set(start === 0 && end === bytes.length ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset + start, length), WASM_TEXT_START);
  return wasmCounter.count(WASM_TEXT_START, length);
}

/** Shorter text is scanned a byte at a time (a word view is not worth looking up). */
const WORD_SCAN_MIN = 32;
/** After a word with a non-ASCII byte, this many bytes are scanned one at a time before words are tried again. */
const NON_ASCII_BACKOFF = 16;

/**
 * `countWords` of the UTF-8 text `bytes[start, end)`, counted on the bytes (the same count, without
 * decoding the text into a string first). The bytes must be valid UTF-8.
 *
 * It counts the same thing another way, so that ASCII text can be taken four bytes at a time: the runs of
 * word characters (a run starts at a word character after a non-word one), minus the runs that hold a word
 * character other than an ASCII letter (a digit, "_", any non-ASCII word character), plus the CJK characters.
 * An aligned 32-bit word of ASCII letters and punctuation (no digit, "_" or byte ≥ 0x80) has its run starts
 * found with bit arithmetic on all four bytes at once (each byte's test is a carry-free addition into its top
 * bit); any other word is taken a character at a time.
 *
 * @example countWordsUtf8(new TextEncoder().encode("Hello world, 你好")) // 4
 */
export function countWordsUtf8(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (end - start >= WASM_MIN_BYTES && end - start <= WASM_MAX_BYTES) {
    const counted = countWithWasm(bytes, start, end);
    if (counted !== undefined) return counted;
  }
  return countWordsUtf8Js(bytes, start, end);
}

/** `countWordsUtf8` in JavaScript: four bytes at a time (see countWordsUtf8). */
function countWordsUtf8Js(bytes: Uint8Array, start: number, end: number): number {
  let runs = 0; // runs of word characters started so far
  let tainted = 0; // of them, runs holding a word character that is not an ASCII letter
  let taintedRun = 0; // the run last counted as tainted (runs are numbered from 1)
  let cjk = 0;
  let previousWord = 0; // 1 when the previous character is a word character
  const words = LITTLE_ENDIAN && end - start >= WORD_SCAN_MIN ? int32View(bytes) : undefined;
  const offset = bytes.byteOffset;
  let wordsFrom = start; // no word scan before this index (after non-ASCII text)
  let i = start;
  while (i < end) {
    if (words !== undefined && ((offset + i) & 3) === 0 && i >= wordsFrom) {
      let k = (offset + i) >>> 2;
      const stop = (offset + end) >>> 2; // words wholly inside the text
      while (k < stop) {
        const v = words[k]!;
        if ((v & HIGH_BITS) !== 0) {
          wordsFrom = k * 4 - offset + NON_ASCII_BACKOFF;
          break;
        }
        const lower = v | 0x20202020;
        // Per byte (all < 0x80): a digit (lowered: 0x30–0x39, which also catches 0x10–0x19) or "_" (lowered: 0x7f, as is DEL).
        const rare = (((lower + 0x50505050) | 0) & ~((lower + 0x46464646) | 0)) | ((lower + 0x01010101) | 0);
        if ((rare & HIGH_BITS) !== 0) break;
        // Per byte: an ASCII letter (lowered: 0x61–0x7a); here the only word characters there are.
        const letters = ((lower + 0x1f1f1f1f) | 0) & ~((lower + 0x05050505) | 0) & HIGH_BITS;
        const starts = letters & ~((letters << 8) | (previousWord << 7));
        runs += Math.imul((starts >>> 7) & 0x01010101, 0x01010101) >>> 24;
        previousWord = letters >>> 31;
        k++;
      }
      i = k * 4 - offset;
      if (i >= end) break;
    }
    // One character, whatever it is.
    const lead = bytes[i]!;
    let cls: number;
    if (lead < 0x80) {
      cls = CLASS[lead]!;
      i += 1;
    } else if (lead < 0xf0) {
      const code = lead < 0xe0 ? ((lead & 0x1f) << 6) | (bytes[i + 1]! & 0x3f) : ((lead & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f);
      i += lead < 0xe0 ? 2 : 3;
      cls = CLASS[code]!;
      if (cls < KNOWN) {
        // Valid UTF-8 holds no surrogates: every BMP code point here is classed once and remembered.
        cls = KNOWN | (WORD_CHAR.test(String.fromCharCode(code)) ? WORD : 0);
        CLASS[code] = cls;
      }
    } else {
      const point = ((lead & 0x07) << 18) | ((bytes[i + 1]! & 0x3f) << 12) | ((bytes[i + 2]! & 0x3f) << 6) | (bytes[i + 3]! & 0x3f);
      i += 4;
      cls = WORD_CHAR.test(String.fromCodePoint(point)) ? WORD : 0;
    }
    const word = (cls >> 1) & 1;
    runs += word & (previousWord ^ 1);
    cjk += (cls >> 2) & 1;
    if (word !== 0 && (cls & LETTER) === 0 && taintedRun !== runs) {
      tainted += 1;
      taintedRun = runs;
    }
    previousWord = word;
  }
  return cjk + runs - tainted;
}
