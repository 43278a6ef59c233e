/**
 * @module mix/exact-dedup — exact duplicates across sources: two rows are the same when their messages
 * match after trimming, collapsing whitespace and lower-casing (roles included). Keeps a fixed-size key
 * per row seen, so memory grows with the number of rows, not their length.
 */
import { createHash } from "node:crypto";
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
