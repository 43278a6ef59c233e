/**
 * @module mix/exact-dedup — exact duplicates across sources: two rows are the same when their messages
 * match after trimming, collapsing whitespace and lower-casing (roles included): when their `normalisedTurns`
 * are the same. Two keys of that text: `messagesKey` (SHA-256, for `createExactDedup`, which keeps a
 * fixed-size key per row seen) and the fast `messagesKeyHash` / `byteTurnsKeyHash` (mix/key-hash), which the
 * mixer checks against the rows' text on a match (mix/row-key-table).
 */
import { hash } from "node:crypto";
import type { ByteTurn } from "../io/adapters/messages-bytes.js";
import type { Message } from "../schemas/message.js";
import { HIGH_BITS, int32View, LITTLE_ENDIAN } from "../text/int32-view.js";
import { instantiateWasm, reserveWasmMemory, type WasmMemory } from "../util/wasm-instance.js";
import { hashKeyBytes } from "./key-hash.js";
import { NORMALISE_KEY_WASM } from "./normalise-key-wasm.js";

/**
 * Whitespace that `/\s+/g → " "` would change: a run of two or more, or one that is not a plain space.
 * Replacing only these gives the same text and leaves most single spaces alone (fewer, smaller copies).
 */
const WHITESPACE_TO_COLLAPSE = /\s{2,}|[^\S ]/g;

/** Text as the key sees it: whitespace runs collapsed to one space, trimmed, lower-cased. */
export function normaliseForKey(text: string): string {
  return text.replace(WHITESPACE_TO_COLLAPSE, " ").trim().toLowerCase();
}

/**
 * What two rows must share to be duplicates: per message its role, U+0001, its normalised text, each tool call
 * as U+0003 name U+0003 arguments, then U+0002.
 */
export function normalisedTurns(messages: readonly Message[]): string {
  let text = "";
  for (const message of messages) {
    text += `${message.role}\u0001${normaliseForKey(message.content)}`;
    // Tool calls are part of the turn (a calling turn's text is often empty).
    for (const call of message.tool_calls ?? []) text += `\u0003${call.function.name}\u0003${call.function.arguments}`;
    text += "\u0002";
  }
  return text;
}

/** The normalised-content key of a conversation: SHA-256 of its `normalisedTurns`, 128 bits in base64. */
export function messagesKey(messages: readonly Message[]): string {
  return hash("sha256", normalisedTurns(messages), "base64").slice(0, 22);
}

/**
 * The fast exact-dedup key hash of a conversation (mix/key-hash: 64 bits, not cryptographic) of the UTF-8 of its
 * `normalisedTurns`, written as two numbers at `out[at]` and `out[at + 1]`.
 */
export function messagesKeyHash(messages: readonly Message[], out: Uint32Array, at: number): void {
  const bytes = Buffer.from(normalisedTurns(messages), "utf8");
  hashKeyBytes(bytes, 0, bytes.length, out, at);
}

/**
 * `messagesKeyHash` of turns held as UTF-8 bytes (what the byte reader gives), computed on the bytes: no string
 * is made for the text, the normalised text is written straight into a scratch buffer and hashed. The same hash,
 * character for character: whitespace is what `\s` and `trim` take (ASCII's six and the Unicode spaces and
 * separators), and each character is lower-cased on its own, which is what `toLowerCase` does for every
 * character but the Greek capital sigma (its lower case depends on the letters around it): text with one, or
 * with bytes that are not well-formed UTF-8, gives false and nothing written (use `messagesKeyHash` on strings
 * then).
 */
export function byteTurnsKeyHash(turns: readonly ByteTurn[], out: Uint32Array, at: number): boolean {
  const end = normaliseTurnsWasm(turns);
  if (end > 0) {
    wasmNormaliser!.hashKey(WASM_KEY_START, end - WASM_KEY_START, WASM_HASH_OUT);
    out[at] = wasmHashOut![0]!;
    out[at + 1] = wasmHashOut![1]!;
    return true;
  }
  const length = normaliseTurnsJs(turns);
  if (length < 0) return false;
  hashKeyBytes(scratch, 0, length, out, at);
  return true;
}

/**
 * The UTF-8 of the `normalisedTurns` of turns held as bytes, made from the bytes as `byteTurnsKeyHash` makes them
 * (a copy); undefined where it gives way (use `normalisedTurns` on strings then).
 */
export function byteTurnsNormalised(turns: readonly ByteTurn[]): Uint8Array | undefined {
  const end = normaliseTurnsWasm(turns);
  if (end > 0) return wasmBytes!.slice(WASM_KEY_START, end);
  const length = normaliseTurnsJs(turns);
  return length < 0 ? undefined : scratch.slice(0, length);
}

/**
 * The normaliser in WebAssembly (wasm/normalise-key.ts: sixteen bytes of plain ASCII at a time with SIMD, the
 * rest a character at a time as below), one instance per thread, made on first use; null where it cannot be
 * (no wasm SIMD). Its memory: the character tables, then the hash input, then the turn being normalised.
 */
interface WasmNormaliser {
  memory: WasmMemory;
  normalise(text: number, length: number, out: number): number;
  /** mix/key-hash's hash of `length` bytes at `start`, its two halves written at `out`. */
  hashKey(start: number, length: number, out: number): void;
}
let wasmNormaliser: WasmNormaliser | null | undefined;
let wasmBuffer: ArrayBuffer | undefined;
let wasmBytes: Uint8Array | undefined;
let wasmLower: Uint32Array | undefined;
let wasmHashOut: Uint32Array | undefined;
/** Where the hash input starts in the normaliser's memory: past its kind (64 KiB) and lower-case (256 KiB) tables, and the hash's output. */
const WASM_HASH_OUT = 0x50000;
const WASM_KEY_START = 0x50010;

/** Whether this thread computes byte keys with the wasm normaliser (false where wasm SIMD is missing); loads it. */
export function wasmKeyNormaliserAvailable(): boolean {
  wasmNormaliser ??= loadWasmNormaliser();
  return wasmNormaliser !== null;
}

function loadWasmNormaliser(): WasmNormaliser | null {
  try {
    return instantiateWasm(NORMALISE_KEY_WASM, { env: { classify: classifyForWasm } }) as unknown as WasmNormaliser;
  } catch {
    return null;
  }
}

/** The kind of a code point for the wasm normaliser (a BMP one is written into its tables too). */
function classifyForWasm(codePoint: number): number {
  if (codePoint > 0xffff) {
    const character = String.fromCodePoint(codePoint);
    return character.toLowerCase() === character && !/^\s$/u.test(character) ? UNCHANGED : GIVE_UP;
  }
  let kind = characterKind(codePoint);
  if (kind === LOWERED) {
    const lower = String.fromCharCode(codePoint).toLowerCase();
    if (lower.length === 1) wasmLower![codePoint] = lower.charCodeAt(0);
    else kind = GIVE_UP; // İ: two code points
  } else if (kind === SIGMA) kind = GIVE_UP;
  wasmBytes![codePoint] = kind;
  return kind;
}

/**
 * Writes the turns' normalised bytes (role, 0x01, normalised text, 0x02 per turn) into the wasm normaliser's
 * memory from `WASM_KEY_START`; returns where they end, or 0 where there is no wasm normaliser or it gives way
 * (to the JavaScript one).
 */
function normaliseTurnsWasm(turns: readonly ByteTurn[]): number {
  wasmNormaliser ??= loadWasmNormaliser();
  if (wasmNormaliser === null) return 0;
  let bound = 16;
  let longest = 0;
  for (const { role, content } of turns) {
    bound += role.length + content.length * 3 + 2;
    if (content.length > longest) longest = content.length;
  }
  const textStart = (WASM_KEY_START + bound + 15) & ~15;
  const needed = textStart + longest + 16;
  // The memory grows only here, so the views are renewed only here (reading a typed array's buffer is slow).
  if (wasmBytes === undefined || wasmBytes.length < needed) {
    wasmBuffer = reserveWasmMemory(wasmNormaliser.memory, needed, "the exact-dedup key of a row");
    wasmBytes = new Uint8Array(wasmBuffer);
    wasmLower = new Uint32Array(wasmBuffer, 0x10000, 0x10000);
    wasmHashOut = new Uint32Array(wasmBuffer, WASM_HASH_OUT, 2);
  }
  const memory = wasmBytes;
  let length = WASM_KEY_START;
  for (const { role, content } of turns) {
    for (let i = 0; i < role.length; i++) memory[length++] = role.charCodeAt(i);
    memory[length++] = 0x01;
    memory.set(content, textStart);
    const end = wasmNormaliser.normalise(textStart, content.length, length);
    if (end === 0) return 0;
    length = end;
    memory[length++] = 0x02;
  }
  return length;
}

/**
 * `normaliseTurnsWasm` in JavaScript, four bytes at a time (see normaliseBytesForKey), into the scratch from 0:
 * where they end, or -1 for text it cannot take.
 */
function normaliseTurnsJs(turns: readonly ByteTurn[]): number {
  let bound = 0;
  for (const { content } of turns) bound += content.length * 3 + 16;
  ensureScratch(bound);
  let length = 0;
  for (const { role, content } of turns) {
    for (let i = 0; i < role.length; i++) scratch[length++] = role.charCodeAt(i);
    scratch[length++] = 0x01;
    const end = normaliseBytesForKey(content, length);
    if (end < 0) return -1;
    length = end;
    scratch[length++] = 0x02;
  }
  return length;
}

/** Scratch for `normaliseTurnsJs` (grown as needed; one per thread), and the same memory for 32-bit stores. */
let scratch = new Uint8Array(1 << 16);
let scratchView = new DataView(scratch.buffer);

function ensureScratch(bytes: number): void {
  if (scratch.length >= bytes) return;
  scratch = new Uint8Array(Math.max(bytes, scratch.length * 2));
  scratchView = new DataView(scratch.buffer);
}
/** Shorter text is taken a byte at a time. */
const WORD_SCAN_MIN = 32;

/**
 * `normaliseForKey` on UTF-8 bytes, written into the scratch from `at` (which has room for three bytes per
 * byte of `text`, and four more): where it ends, or -1 for text it cannot take.
 * A whitespace character writes one space unless the text so far is empty or already ends with one; a
 * trailing space is dropped at the end (the same text as collapsing runs, trimming, then lower-casing).
 * An aligned 32-bit word of printable ASCII whose spaces are single and not at the text's start is lowered
 * and stored whole (per byte, a carry-free addition into its top bit says "below 0x20", "a space", "A–Z");
 * any other word is taken a character at a time.
 */
function normaliseBytesForKey(text: Uint8Array, at: number): number {
  // Lower-casing can lengthen a character (İ: 2 bytes to 3), never past 3 bytes per byte.
  const out = scratch;
  const outWords = scratchView;
  let length = at;
  let lastSpace = false; // the text so far ends with a space
  const end = text.length;
  const words = LITTLE_ENDIAN && end >= WORD_SCAN_MIN ? int32View(text) : undefined;
  const offset = text.byteOffset;
  for (let i = 0; i < end; ) {
    if (words !== undefined && ((offset + i) & 3) === 0) {
      let k = (offset + i) >>> 2;
      const stop = (offset + end) >>> 2;
      while (k < stop) {
        const v = words[k]!;
        // Per byte (all < 0x80 once the first test passes): below 0x20, a space, an upper-case letter.
        if ((v & HIGH_BITS) !== 0 || (~((v + 0x60606060) | 0) & HIGH_BITS) !== 0) break;
        const t = v ^ 0x20202020;
        const spaces = ~(((t & 0x7f7f7f7f) + 0x7f7f7f7f) | 0 | t) & HIGH_BITS;
        if ((spaces & (spaces << 8)) !== 0 || ((spaces & 0x80) !== 0 && (lastSpace || length === at))) break;
        const upper = ((v + 0x3f3f3f3f) | 0) & ~((v + 0x25252525) | 0) & HIGH_BITS;
        outWords.setInt32(length, v | (upper >>> 2), true);
        length += 4;
        lastSpace = spaces >>> 31 !== 0;
        k++;
      }
      i = k * 4 - offset;
      if (i >= end) break;
    }
    const b = text[i]!;
    if (b < 0x80) {
      i += 1;
      if (b === 0x20 || (b >= 0x09 && b <= 0x0d)) {
        if (length > at && !lastSpace) {
          out[length++] = 0x20;
          lastSpace = true;
        }
        continue;
      }
      lastSpace = false;
      out[length++] = b >= 0x41 && b <= 0x5a ? b + 0x20 : b;
      continue;
    }
    // A multi-byte character: decode it (well-formed UTF-8 only).
    let codePoint: number;
    let size: number;
    if (b >= 0xc2 && b <= 0xdf) {
      size = 2;
      codePoint = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      size = 3;
      codePoint = b & 0x0f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      size = 4;
      codePoint = b & 0x07;
    } else return -1;
    if (i + size > end) return -1;
    for (let k = 1; k < size; k++) {
      const next = text[i + k]!;
      if ((next & 0xc0) !== 0x80) return -1;
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    if ((size === 3 && (codePoint < 0x800 || (codePoint >= 0xd800 && codePoint <= 0xdfff))) || (size === 4 && (codePoint < 0x10000 || codePoint > 0x10ffff))) {
      return -1;
    }
    const kind = characterKind(codePoint);
    if (kind === WHITESPACE) {
      if (length > at && !lastSpace) {
        out[length++] = 0x20;
        lastSpace = true;
      }
      i += size;
      continue;
    }
    if (kind === SIGMA) return -1;
    lastSpace = false;
    if (kind === UNCHANGED) {
      for (let k = 0; k < size; k++) out[length++] = text[i + k]!;
    } else {
      const lower = lowerBytes(codePoint);
      out.set(lower, length);
      length += lower.length;
    }
    i += size;
  }
  return lastSpace ? length - 1 : length;
}

// The kinds are the wasm normaliser's too (wasm/normalise-key.ts), where GIVE_UP stands for SIGMA and İ.
const UNCHANGED = 1;
const LOWERED = 2;
const WHITESPACE = 3;
const SIGMA = 4;
const GIVE_UP = 4;
/** What lower-casing and `\s` make of each BMP character (0: not looked at yet). */
const kinds = new Uint8Array(0x10000);
const lowered = new Map<number, Uint8Array>();
const utf8 = new TextEncoder();

function characterKind(codePoint: number): number {
  if (codePoint < 0x10000) {
    const known = kinds[codePoint]!;
    if (known !== 0) return known;
    const kind = classify(codePoint);
    kinds[codePoint] = kind;
    return kind;
  }
  return classify(codePoint);
}

function classify(codePoint: number): number {
  if (codePoint === 0x03a3) return SIGMA;
  const character = String.fromCodePoint(codePoint);
  if (/^\s$/.test(character)) return WHITESPACE;
  const lower = character.toLowerCase();
  if (lower === character) return UNCHANGED;
  lowered.set(codePoint, utf8.encode(lower));
  return LOWERED;
}

function lowerBytes(codePoint: number): Uint8Array {
  let bytes = lowered.get(codePoint);
  if (bytes === undefined) {
    bytes = utf8.encode(String.fromCodePoint(codePoint).toLowerCase());
    lowered.set(codePoint, bytes);
  }
  return bytes;
}

/**
 * Remembers keys; `seen(messages)` is true for a row whose key was already added (and adds it otherwise).
 * `seenKey` does the same for a key computed elsewhere (`messagesKey`, e.g. in a reader thread).
 */
export function createExactDedup(): { seen(messages: readonly Message[]): boolean; seenKey(key: string): boolean; readonly size: number } {
  const keys = new Set<string>();
  const seenKey = (key: string): boolean => {
    if (keys.has(key)) return true;
    keys.add(key);
    return false;
  };
  return {
    seen: (messages) => seenKey(messagesKey(messages)),
    seenKey,
    get size() {
      return keys.size;
    },
  };
}
