/**
 * @module mix/exact-dedup — exact duplicates across sources: two rows are the same when their messages
 * match after trimming, collapsing whitespace and lower-casing (roles included). Keeps a fixed-size key
 * per row seen, so memory grows with the number of rows, not their length.
 */
import { createHash } from "node:crypto";
import type { ByteTurn } from "../io/adapters/messages-bytes.js";
import type { Message } from "../schemas/message.js";

/**
 * Whitespace that `/\s+/g → " "` would change: a run of two or more, or one that is not a plain space.
 * Replacing only these gives the same text and leaves most single spaces alone (fewer, smaller copies).
 */
const WHITESPACE_TO_COLLAPSE = /\s{2,}|[^\S ]/g;

/** Text as the key sees it: whitespace runs collapsed to one space, trimmed, lower-cased. */
export function normaliseForKey(text: string): string {
  return text.replace(WHITESPACE_TO_COLLAPSE, " ").trim().toLowerCase();
}

/** The normalised-content key of a conversation (a 128-bit hash, base64). */
export function messagesKey(messages: readonly Message[]): string {
  const hash = createHash("sha256");
  for (const message of messages) {
    hash.update(message.role);
    hash.update("\u0001");
    hash.update(normaliseForKey(message.content));
    // Tool calls are part of the turn (a calling turn's text is often empty); plain turns hash as before.
    for (const call of message.tool_calls ?? []) hash.update(`\u0003${call.function.name}\u0003${call.function.arguments}`);
    hash.update("\u0002");
  }
  return hash.digest("base64").slice(0, 22);
}

/**
 * `messagesKey` of turns held as UTF-8 bytes (what the byte reader gives), computed on the bytes: no string is
 * made for the text, the normalised text is written straight into a scratch buffer and hashed. The same key,
 * character for character: whitespace is what `\s` and `trim` take (ASCII's six and the Unicode spaces and
 * separators), and each character is lower-cased on its own, which is what `toLowerCase` does for every
 * character but the Greek capital sigma (its lower case depends on the letters around it): text with one, or
 * with bytes that are not well-formed UTF-8, gives undefined (use `messagesKey` on strings then).
 */
export function byteTurnsKey(turns: readonly ByteTurn[]): string | undefined {
  const hash = createHash("sha256");
  for (const { role, content } of turns) {
    const normalised = normaliseBytesForKey(content);
    if (normalised === undefined) return undefined;
    hash.update(role);
    hash.update("\u0001");
    hash.update(normalised);
    hash.update("\u0002");
  }
  return hash.digest("base64").slice(0, 22);
}

/** Scratch for `normaliseBytesForKey` (grown as needed; one per thread). */
let scratch = new Uint8Array(1 << 16);

/** `normaliseForKey` on UTF-8 bytes: a view of the scratch buffer (valid until the next call), or undefined. */
function normaliseBytesForKey(text: Uint8Array): Uint8Array | undefined {
  // Lower-casing can lengthen a character (İ: 2 bytes to 3), never past 3 bytes per byte.
  if (scratch.length < text.length * 3) scratch = new Uint8Array(text.length * 3);
  const out = scratch;
  let length = 0;
  let space = false;
  const end = text.length;
  for (let i = 0; i < end; ) {
    const b = text[i]!;
    if (b < 0x80) {
      i += 1;
      if (b === 0x20 || (b >= 0x09 && b <= 0x0d)) {
        space = true;
        continue;
      }
      if (space && length > 0) out[length++] = 0x20;
      space = false;
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
    } else return undefined;
    if (i + size > end) return undefined;
    for (let k = 1; k < size; k++) {
      const next = text[i + k]!;
      if ((next & 0xc0) !== 0x80) return undefined;
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    if ((size === 3 && (codePoint < 0x800 || (codePoint >= 0xd800 && codePoint <= 0xdfff))) || (size === 4 && (codePoint < 0x10000 || codePoint > 0x10ffff))) {
      return undefined;
    }
    const kind = characterKind(codePoint);
    if (kind === WHITESPACE) {
      space = true;
      i += size;
      continue;
    }
    if (kind === SIGMA) return undefined;
    if (space && length > 0) out[length++] = 0x20;
    space = false;
    if (kind === UNCHANGED) {
      for (let k = 0; k < size; k++) out[length++] = text[i + k]!;
    } else {
      const lower = lowerBytes(codePoint);
      out.set(lower, length);
      length += lower.length;
    }
    i += size;
  }
  return out.subarray(0, length);
}

const UNCHANGED = 1;
const LOWERED = 2;
const WHITESPACE = 3;
const SIGMA = 4;
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
