/**
 * @module io/adapters/messages-bytes — the messages adapter's common case read straight from a JSONL line's
 * bytes: `{"messages": [{"role", "content"}...], "id"?, "source"?, "meta"?, ...}` with plain string turns.
 * The turns' text never becomes a JavaScript string: a content without escapes is a view of the line, one
 * with escapes is unescaped into the reader's scratch buffer. Ids, sources and meta are small and go through
 * the adapter's own code (`readSourceAndMeta`), and a missing id is the same content hash `recordId` gives.
 *
 * The reader takes only lines whose result it can vouch for: for those it gives exactly what
 * `JSON.parse` + `messagesAdapter.toCanonical` give. Anything else (invalid JSON, escapes in keys, tool
 * fields, content parts, unknown roles, a turn order the adapter refuses, an empty turn, a lone surrogate,
 * a duplicate key, deep nesting) returns `undefined`, and the caller reads the line the ordinary way,
 * which accepts it or reports it with its usual message.
 */
import { createHash, type Hash } from "node:crypto";
import type { SftRecord } from "../../schemas/sft-record.js";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "../json-depth.js";
import { mayHoldLoneSurrogate } from "../lone-surrogate.js";
import type { AdapterContext, RawRecord } from "./format.js";
import { readSourceAndMeta } from "./turns.js";
import { decodeUtf8, plainBytes } from "../../util/plain-bytes.js";
import { HIGH_BITS, int32View } from "../../text/int32-view.js";
import { unescapeWithWasm } from "./unescape-json.js";

export type ByteRole = "system" | "user" | "assistant";

/** A turn whose content is UTF-8 bytes (a view: valid until the reader's next `reset`). */
export interface ByteTurn {
  role: ByteRole;
  content: Uint8Array;
}

/** What `messagesAdapter.toCanonical` gives for the line, with the turns' content as UTF-8 bytes. */
export interface ByteSftRecord {
  id: string;
  turns: ByteTurn[];
  source?: string;
  meta?: NonNullable<SftRecord["meta"]>;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const utf8 = new TextEncoder();
/** The roles' UTF-8 bytes, one shared array each (for writers that take text as bytes). */
export const ROLE_BYTES: Readonly<Record<ByteRole, Uint8Array>> = {
  system: utf8.encode("system"),
  user: utf8.encode("user"),
  assistant: utf8.encode("assistant"),
};

/**
 * A row of `SFT_COLUMNS` as the byte reader gives it: turns (text as UTF-8 bytes), id, source or null,
 * meta's JSON text or null.
 */
export type ByteSftCells = [turns: ByteTurn[], id: string, source: string | null, meta: string | null];

/** Byte turns as a `messages` cell for the writer (role and content as UTF-8 bytes; see `messagesAsBytes`). */
export function messagesCell(turns: readonly ByteTurn[]): Array<{ role: Uint8Array; content: Uint8Array }> {
  return turns.map(({ role, content }) => ({ role: ROLE_BYTES[role], content }));
}

/** Raw roles the adapter maps without tool fields (`developer` is a system turn). */
const ROLES: ReadonlyMap<string, ByteRole> = new Map([
  ["system", "system"],
  ["developer", "system"],
  ["user", "user"],
  ["assistant", "assistant"],
]);

/** Roles a written row holds (already canonical): taken as they are. */
const CANONICAL_ROLES: ReadonlyMap<string, ByteRole> = new Map([
  ["system", "system"],
  ["user", "user"],
  ["assistant", "assistant"],
]);

/** What the letter of a two-character escape stands for (-1: no such escape). */
const SHORT_ESCAPES_IN = new Int16Array(0x80).fill(-1);
for (const [letter, byte] of [
  ['"', 0x22],
  ["\\", 0x5c],
  ["/", 0x2f],
  ["b", 0x08],
  ["f", 0x0c],
  ["n", 0x0a],
  ["r", 0x0d],
  ["t", 0x09],
] as const) {
  SHORT_ESCAPES_IN[letter.charCodeAt(0)] = byte;
}

/**
 * Names nearly every row spells (keys, roles), by byte length: read as these very strings instead of being
 * decoded each time (they were most of the strings a row made).
 */
const KNOWN_NAMES: Array<Array<{ bytes: Uint8Array; text: string }>> = [];
for (const text of ["id", "role", "content", "messages", "source", "meta", "tools", "name", "user", "assistant", "system", "developer"]) {
  (KNOWN_NAMES[text.length] ??= []).push({ bytes: new TextEncoder().encode(text), text });
}

/** The known name `bytes[from, to)` spells, or undefined. */
function knownName(bytes: Uint8Array, from: number, to: number): string | undefined {
  const candidates = KNOWN_NAMES[to - from];
  if (candidates === undefined) return undefined;
  for (const { bytes: name, text } of candidates) {
    let i = 0;
    while (i < name.length && bytes[from + i] === name[i]) i++;
    if (i === name.length) return text;
  }
  return undefined;
}

/** Thrown inside the reader to give the line up (never escapes `read`). */
const GIVE_UP: unique symbol = Symbol("give up");

/**
 * Reads lines of the messages format from bytes. One reader per thread: `reset` before each batch of lines
 * whose records are used together (a range), since it reuses its scratch buffer.
 */
export class MessagesByteReader {
  private scratch = new Uint8Array(0);
  /** `scratch` as 32-bit words (for `findSpecial`). */
  private scratchWords: Int32Array = new Int32Array(0);
  private used = 0;
  private bytes: Uint8Array = new Uint8Array(0);
  /** What `bytes` was made from (the caller's array, often a Buffer reused for every line of a range). */
  private input: Uint8Array | undefined;
  /** The whole buffer of `bytes` as 32-bit words (for `findSpecial`), and where `bytes` starts in it. */
  private words: Int32Array = new Int32Array(0);
  private wordsBase = 0;
  private position = 0;
  private end = 0;
  /** Whether the last string read is written exactly as `JSON.stringify` would write it. */
  private canonical = true;
  private readonly copyText: boolean;

  /** `copyText`: text without escapes is copied to the scratch buffer too, so no record holds a view of the input. */
  constructor(options: { copyText?: boolean | undefined } = {}) {
    this.copyText = options.copyText ?? false;
  }

  /** Makes room for the unescaped text of `capacity` bytes of lines; records read before are no longer valid. */
  reset(capacity: number): void {
    // A quarter of headroom: batches of about the same size then fit the first scratch buffer, where growing
    // to each slightly larger one wrote fresh memory again (a page fault per 4 KiB, ~3 ms per MB here).
    if (this.scratch.length < capacity) this.setScratch(Math.max(capacity + (capacity >> 2), this.scratch.length + (this.scratch.length >> 1)));
    this.used = 0;
  }

  /**
   * Reads from `bytes` next (its buffer's 32-bit view is kept while the buffer stays the same), as a plain
   * Uint8Array: text views cut from it are then of one kind with the unescaped ones (see util/plain-bytes).
   */
  private use(bytes: Uint8Array): void {
    if (bytes !== this.input) {
      this.input = bytes;
      this.bytes = plainBytes(bytes);
      this.words = int32View(bytes);
      this.wordsBase = bytes.byteOffset;
    }
  }

  private setScratch(bytes: number): void {
    this.scratch = new Uint8Array(bytes);
    this.scratchWords = int32View(this.scratch);
    this.used = 0;
  }

  /**
   * The record of the line `bytes[start, end)`, or undefined when the line is not one this reader vouches
   * for (read it the ordinary way then). Throws nothing.
   */
  read(bytes: Uint8Array, start: number, end: number, context: AdapterContext): ByteSftRecord | undefined {
    return this.attempt(bytes, start, end, () => this.readRecord(context));
  }

  /**
   * The cells of a row of `SFT_COLUMNS` written as a JSON object keyed by column name (a spooled or
   * `JsonRow` row), exactly as `encodeJsonRow` encodes them — turns as `{role, content}` bytes (views, valid
   * until the next `reset`), id, source or null, meta's JSON text or null — or undefined when the row is
   * not one this reader vouches for (encode it the ordinary way then). Keys other than the columns are
   * ignored, as there. Throws nothing.
   */
  readSftRow(bytes: Uint8Array, start: number, end: number): ByteSftCells | undefined {
    return this.attempt(bytes, start, end, () => this.readRow());
  }

  /** Runs `read` over `bytes[start, end)`; on giving up, the scratch space it took is handed back. */
  private attempt<T>(bytes: Uint8Array, start: number, end: number, read: () => T): T | undefined {
    const scratch = this.scratch;
    const mark = this.used;
    this.use(bytes);
    this.position = start;
    this.end = end;
    try {
      return read();
    } catch (error) {
      if (error !== GIVE_UP) throw error;
      if (this.scratch === scratch) this.used = mark;
      return undefined;
    }
  }

  private readRow(): ByteSftCells {
    let turns: ByteTurn[] | undefined;
    let id: string | undefined;
    let source: string | null = null;
    let meta: string | null = null;
    this.readObject((key) => {
      if (key === "__proto__") throw GIVE_UP;
      if (key === "messages") {
        turns = this.readTurns(CANONICAL_ROLES).turns;
      } else if (key === "id") {
        if (this.peek() !== QUOTE) throw GIVE_UP; // the column takes only a string
        id = this.readSmallString();
      } else if (key === "source") {
        const value = this.peek() === QUOTE ? this.readSmallString() : this.readOtherValue();
        if (value !== null && typeof value !== "string") throw GIVE_UP;
        source = value;
      } else if (key === "meta") {
        const value = this.readOtherValue();
        meta = value === null ? null : JSON.stringify(value);
      } else {
        this.readOtherValue(); // ignored, but the row must still be JSON
      }
    });
    this.skipSpace();
    if (this.position !== this.end || turns === undefined || id === undefined) throw GIVE_UP;
    return [turns, id, source, meta];
  }

  private readRecord(context: AdapterContext): ByteSftRecord {
    let turns: ByteTurn[] | undefined;
    /** Where each turn's content is written in the line, and whether as `JSON.stringify` writes it (for the id hash). */
    let contentSpans: Array<[number, number, boolean]> | undefined;
    let id: string | undefined;
    // The other fields, in line order, as JSON.parse would build them (for readSourceAndMeta).
    const raw: RawRecord = {};
    this.readObject((key) => {
      if (key === "messages") {
        const read = this.readTurns();
        turns = read.turns;
        contentSpans = read.spans;
      } else if (key === "id") {
        id = this.readId();
      } else if (key === "tools" || key === "__proto__") {
        throw GIVE_UP;
      } else if (key === "source") {
        raw.source = this.peek() === QUOTE ? this.readSmallString() : this.readOtherValue();
      } else {
        raw[key] = this.readOtherValue();
      }
    });
    this.skipSpace();
    if (this.position !== this.end || turns === undefined) throw GIVE_UP;
    if (!plainTurnOrder(turns)) throw GIVE_UP;
    let envelope: ReturnType<typeof readSourceAndMeta>;
    try {
      envelope = readSourceAndMeta(raw, ["messages", "tools"], context);
    } catch {
      throw GIVE_UP;
    }
    // A missing, null or empty id is the content hash, as the adapter makes it.
    if (id === undefined || id === "") id = this.contentId(turns, contentSpans!);
    return { id, turns, ...envelope };
  }

  /** `[{"role": ..., "content": ...}, ...]`; each turn's content span in the line and whether it is canonical JSON. */
  private readTurns(roles: ReadonlyMap<string, ByteRole> = ROLES): { turns: ByteTurn[]; spans: Array<[number, number, boolean]> } {
    this.expect(OPEN_BRACKET);
    const turns: ByteTurn[] = [];
    const spans: Array<[number, number, boolean]> = [];
    this.skipSpace();
    if (this.peek() === CLOSE_BRACKET) throw GIVE_UP; // no turns: the adapter says so
    while (true) {
      let role: ByteRole | undefined;
      let content: Uint8Array | undefined;
      let span: [number, number, boolean] | undefined;
      this.readObject((key) => {
        if (key === "role") {
          role = roles.get(this.readSmallString());
          if (role === undefined) throw GIVE_UP;
        } else if (key === "content") {
          if (this.peek() !== QUOTE) throw GIVE_UP;
          const from = this.position;
          content = this.readText();
          span = [from, this.position, this.canonical];
        } else {
          throw GIVE_UP; // tool fields, other keys: the adapter's full reader decides
        }
      });
      if (role === undefined || content === undefined) throw GIVE_UP;
      turns.push({ role, content });
      spans.push(span!);
      this.skipSpace();
      const next = this.take();
      if (next === CLOSE_BRACKET) break;
      if (next !== COMMA) throw GIVE_UP;
    }
    return { turns, spans };
  }

  /**
   * Walks the object at the position (after any spaces) and leaves the position after its `}`: for each key,
   * `field(key)` reads the value. Duplicate keys (JSON.parse keeps the last) and empty objects give up.
   */
  private readObject(field: (key: string) => void): void {
    this.skipSpace();
    this.expect(OPEN_BRACE);
    const keys = new Set<string>();
    this.skipSpace();
    if (this.peek() === CLOSE_BRACE) throw GIVE_UP;
    while (true) {
      this.skipSpace();
      const key = this.readKey();
      if (keys.has(key)) throw GIVE_UP;
      keys.add(key);
      this.skipSpace();
      this.expect(COLON);
      this.skipSpace();
      field(key);
      this.skipSpace();
      const next = this.take();
      if (next === CLOSE_BRACE) return;
      if (next !== COMMA) throw GIVE_UP;
    }
  }

  /** A string id as it is, a number id as `String(number)`, null as absent; anything else is the adapter's to refuse. */
  private readId(): string | undefined {
    const first = this.peek();
    if (first === QUOTE) return this.readSmallString();
    const value = this.readOtherValue();
    if (value === null) return undefined;
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
    throw GIVE_UP;
  }

  /** A key: a string without escapes (keys with escapes are rare; the full reader takes them). */
  private readKey(): string {
    this.expect(QUOTE);
    const { bytes, end } = this;
    const from = this.position;
    let i = from;
    while (i < end) {
      const b = bytes[i]!;
      if (b === QUOTE) break;
      if (b === BACKSLASH || b < 0x20 || b >= 0x80) throw GIVE_UP;
      i++;
    }
    if (i >= end) throw GIVE_UP;
    this.position = i + 1;
    return knownName(bytes, from, i) ?? decodeUtf8(bytes, from, i);
  }

  /** A short string value (role, id, source) as a JavaScript string. */
  private readSmallString(): string {
    const i = this.openString();
    const { bytes } = this;
    const from = this.position;
    if (bytes[i] === QUOTE) {
      // No escapes: decoded from the line itself, with no view cut for it.
      this.position = i + 1;
      this.canonical = true;
      return knownName(bytes, from, i) ?? decodeUtf8(bytes, from, i);
    }
    const text = this.unescape(from, i);
    return knownName(text, 0, text.length) ?? decodeUtf8(text, 0, text.length);
  }

  /**
   * Takes a string's opening quote and finds its closing quote or first escape (the position stays at the
   * text's start): most text runs long without escapes, so this is found without copying. A control
   * character or the line's end gives up.
   */
  private openString(): number {
    this.expect(QUOTE);
    const i = findSpecial(this.bytes, this.words, this.wordsBase, this.position, this.end);
    if (i >= this.end || this.bytes[i]! < 0x20) throw GIVE_UP;
    return i;
  }

  /**
   * A JSON string at the position, as UTF-8 bytes: a view of the line when it has no escapes, else unescaped
   * into the scratch buffer. Sets `canonical`.
   */
  private readText(): Uint8Array {
    const i = this.openString();
    const { bytes } = this;
    const from = this.position;
    if (bytes[i] === QUOTE) {
      this.position = i + 1;
      this.canonical = true;
      return this.copyText ? this.copyToScratch(bytes, from, i) : bytes.subarray(from, i);
    }
    return this.unescape(from, i);
  }

  /**
   * `bytes` as this reader's records hold text: with `copyText`, a copy in the scratch buffer (valid until the
   * next `reset`), so nothing refers to the caller's buffer; else `bytes` themselves.
   */
  retain(bytes: Uint8Array): Uint8Array {
    return this.copyText ? this.copyToScratch(bytes, 0, bytes.length) : bytes;
  }

  private copyToScratch(source: Uint8Array, from: number, to: number): Uint8Array {
    if (this.used + (to - from) > this.scratch.length) this.setScratch(Math.max(to - from, this.scratch.length * 2));
    const start = this.used;
    this.scratch.set(source.subarray(from, to), start);
    this.used += to - from;
    return this.scratch.subarray(start, this.used);
  }

  /**
   * The rest of a string with escapes (text from `from`, first escape at `first`), unescaped into the scratch
   * buffer: the rest of the line is copied there in one go, then unescaped in place, moving the runs between
   * escapes down with `copyWithin` (no per-byte stores, no allocations).
   */
  private unescape(from: number, first: number): Uint8Array {
    const viaWasm = unescapeWithWasm(this.bytes, from, first, this.end);
    if (viaWasm !== undefined) {
      if (viaWasm === null) throw GIVE_UP;
      this.position = from + viaWasm.quote + 1;
      this.canonical = viaWasm.canonical;
      return this.copyToScratch(viaWasm.text, 0, viaWasm.text.length);
    }
    return this.unescapeJs(from, first);
  }

  /** `unescape` in JavaScript, where wasm SIMD is missing. */
  private unescapeJs(from: number, first: number): Uint8Array {
    const { bytes } = this;
    const length = this.end - from;
    // Unescaped text is never longer than its JSON. Without room, a new buffer: views of the old stay valid.
    if (this.used + length > this.scratch.length) {
      this.setScratch(Math.max(length, this.scratch.length * 2));
    }
    const out = this.scratch;
    const base = this.used;
    const end = base + length;
    out.set(bytes.subarray(from, this.end), base);
    let r = base + (first - from); // next byte to read
    let w = r; // next byte to write
    let canonical = true;
    while (true) {
      // Here out[r] is a quote, a backslash or a control character.
      const b = out[r]!;
      if (b === QUOTE) break;
      if (b !== BACKSLASH) throw GIVE_UP;
      const e = r + 1 < end ? out[r + 1]! : 0; // (0: the line ends after the backslash)
      let skip = 2;
      if (e === 0x75) {
        // \uXXXX
        let code = hex4(out, r + 2, end);
        // JSON.stringify writes \u00xx (lowercase) for the control characters without a short escape, nothing else.
        if (!(code < 0x20 && code !== 0x08 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d && isLowerHex(out, r + 2))) {
          canonical = false;
        }
        skip = 6;
        if (code >= 0xd800 && code <= 0xdfff) {
          // Only a high half followed by an escaped low half is a character; a lone half is the full reader's to report.
          if (code >= 0xdc00 || out[r + 6] !== BACKSLASH || out[r + 7] !== 0x75) throw GIVE_UP;
          const low = hex4(out, r + 8, end);
          if (low < 0xdc00 || low > 0xdfff) throw GIVE_UP;
          code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
          skip = 12;
        }
        // A character's UTF-8 is never longer than its escape, so `w` stays behind `r`.
        w = writeUtf8(out, w, code);
      } else {
        const byte = e < 0x80 ? SHORT_ESCAPES_IN[e]! : -1;
        if (byte < 0) throw GIVE_UP;
        out[w++] = byte;
        if (e === 0x2f) canonical = false; // `\/` is valid JSON, but JSON.stringify writes a bare "/"
      }
      r += skip;
      // The run up to the next quote, backslash or control character, moved down to `w`.
      const k = findSpecial(out, this.scratchWords, 0, r, end);
      if (k >= end) throw GIVE_UP;
      if (k > r) {
        out.copyWithin(w, r, k);
        w += k - r;
      }
      r = k;
    }
    this.position = from + (r - base) + 1;
    this.used = w;
    this.canonical = canonical;
    return out.subarray(base, w);
  }

  /**
   * Any other JSON value (meta, source that is not a string, unknown fields), parsed by JSON.parse from its
   * span — small values, so the full parser's checks come for free; deep or lone-surrogate values give up.
   */
  private readOtherValue(): unknown {
    const from = this.position;
    this.skipValue();
    const text = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + from, this.position - from).toString("utf8");
    if (mayHoldLoneSurrogate(text)) throw GIVE_UP;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw GIVE_UP;
    }
    if (nestsDeeperThan(value, MAX_JSON_DEPTH - 1)) throw GIVE_UP;
    return value;
  }

  /** Moves past one JSON value (strings, nesting and scalars; JSON.parse checks the value itself). */
  private skipValue(): void {
    const { bytes, end } = this;
    let depth = 0;
    let i = this.position;
    while (i < end) {
      const b = bytes[i]!;
      if (b === QUOTE) {
        i++;
        while (i < end && bytes[i] !== QUOTE) i += bytes[i] === BACKSLASH ? 2 : 1;
        if (i >= end) throw GIVE_UP;
        i++;
        if (depth === 0) break;
        continue;
      }
      if (b === OPEN_BRACE || b === OPEN_BRACKET) {
        depth++;
      } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        if (depth === 0) break; // the end of a scalar
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      } else if (depth === 0 && (b === COMMA || b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d)) {
        break;
      }
      i++;
    }
    if (i === this.position || depth !== 0) throw GIVE_UP;
    this.position = i;
  }

  /** `recordId({messages})` of the turns, hashed from their bytes (the JSON `stableStringify` would build). */
  private contentId(turns: readonly ByteTurn[], spans: ReadonlyArray<[number, number, boolean]>): string {
    // Called while `bytes` is still the line: the spans point into it.
    return byteContentId(turns, (t) => {
      const [from, to, canonical] = spans[t]!;
      return canonical ? this.bytes.subarray(from, to) : undefined;
    });
  }

  private skipSpace(): void {
    const { bytes, end } = this;
    let i = this.position;
    while (i < end) {
      const b = bytes[i]!;
      if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) break;
      i++;
    }
    this.position = i;
  }

  private peek(): number {
    if (this.position >= this.end) throw GIVE_UP;
    return this.bytes[this.position]!;
  }

  private take(): number {
    const b = this.peek();
    this.position++;
    return b;
  }

  private expect(byte: number): void {
    if (this.take() !== byte) throw GIVE_UP;
  }
}

/**
 * The first index in [at, end) holding a quote, a backslash or a control character (< 0x20), or `end`.
 * Looks at four bytes at a time through `words` (the same memory as 32-bit words, `bytes` starting at its
 * byte `base`): a word has such a byte when one of the classic "has a zero byte" tests says so (a false alarm
 * only costs a byte scan).
 */
function findSpecial(bytes: Uint8Array, words: Int32Array, base: number, at: number, end: number): number {
  // `words` views the whole buffer of `bytes`, which starts at byte `base` of it. (Passed in: reading either
  // array's `buffer` is a call into the runtime, which per escape was ~1 % of a mix.)
  let k = at;
  if (end - at >= 8) {
    for (; ((base + k) & 3) !== 0; k++) {
      const b = bytes[k]!;
      if (b === QUOTE || b === BACKSLASH || b < 0x20) return k;
    }
    // Whole words: the arithmetic stays in 32-bit integers (a word's top byte may be ≥ 0x80).
    let w = (base + k) >>> 2;
    const last = (base + end) >>> 2;
    while (w < last) {
      const v = words[w]!;
      const quote = v ^ 0x22222222;
      const backslash = v ^ 0x5c5c5c5c;
      const hit = (((quote - 0x01010101) | 0) & ~quote) | (((backslash - 0x01010101) | 0) & ~backslash) | (((v - 0x20202020) | 0) & ~v);
      if ((hit & HIGH_BITS) !== 0) break;
      w++;
    }
    k = w * 4 - base;
  }
  for (; k < end; k++) {
    const b = bytes[k]!;
    if (b === QUOTE || b === BACKSLASH || b < 0x20) return k;
  }
  return end;
}

/**
 * True when turns without tools surely pass the adapter's turn rules ([system] user, assistant, ... assistant;
 * none empty); false means "maybe not": the full reader decides.
 */
export function plainTurnOrder(turns: readonly ByteTurn[]): boolean {
  if (turns.length === 0) return false;
  let start = 0;
  if (turns[0]!.role === "system") start = 1;
  if (start >= turns.length || (turns.length - start) % 2 !== 0) return false;
  for (let i = start; i < turns.length; i++) {
    const expected: ByteRole = (i - start) % 2 === 0 ? "user" : "assistant";
    if (turns[i]!.role !== expected || !surelyNotBlank(turns[i]!.content)) return false;
  }
  return true;
}

/** The role a turn's role text maps to without tools (`developer` is a system turn), or undefined. */
export function byteRole(text: Uint8Array): ByteRole | undefined {
  const name = knownName(text, 0, text.length);
  return name === undefined ? undefined : ROLES.get(name);
}

/**
 * The id `recordId` gives turns without tools and without an id of their own: the hash of
 * `{"messages":[{"content":…,"role":…},…]}`. `jsonOf(t)` may give turn t's content already written as JSON
 * (the line's own bytes, when they are what JSON.stringify writes); otherwise it is written here.
 */
export function byteContentId(turns: readonly ByteTurn[], jsonOf?: (turn: number) => Uint8Array | undefined): string {
  const hash = createHash("sha256");
  hash.update('{"messages":[');
  for (let t = 0; t < turns.length; t++) {
    hash.update(t === 0 ? '{"content":' : ',{"content":');
    const json = jsonOf?.(t);
    if (json !== undefined) hash.update(json);
    else updateJsonString(hash, turns[t]!.content);
    hash.update(`,"role":"${turns[t]!.role}"}`);
  }
  hash.update("]}");
  return hash.digest("hex").slice(0, 16);
}

/**
 * True when the text has a character `String.prototype.trim` keeps: a visible ASCII character, or a
 * multi-byte character whose lead byte no Unicode space starts with (spaces lead with C2, E1, E2, E3, EF).
 * False means "maybe blank": the full reader decides.
 */
function surelyNotBlank(text: Uint8Array): boolean {
  for (let i = 0; i < text.length; i++) {
    const b = text[i]!;
    if (b > 0x20 && b < 0x7f) return true;
    if (b >= 0xc3 && b !== 0xe1 && b !== 0xe2 && b !== 0xe3 && b !== 0xef) return true;
  }
  return false;
}

/** Four hex digits at `at` as a number (gives up on anything else). */
function hex4(bytes: Uint8Array, at: number, end: number): number {
  if (at + 4 > end) throw GIVE_UP;
  let code = 0;
  for (let k = at; k < at + 4; k++) {
    const c = bytes[k]!;
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (digit < 0) throw GIVE_UP;
    code = (code << 4) | digit;
  }
  return code;
}

function isLowerHex(bytes: Uint8Array, at: number): boolean {
  for (let k = at; k < at + 4; k++) if (bytes[k]! >= 0x41 && bytes[k]! <= 0x46) return false;
  return true;
}

/** Writes code point `code` as UTF-8 at `o`; returns the next offset. */
function writeUtf8(out: Uint8Array, o: number, code: number): number {
  if (code < 0x80) {
    out[o] = code;
    return o + 1;
  }
  if (code < 0x800) {
    out[o] = 0xc0 | (code >> 6);
    out[o + 1] = 0x80 | (code & 0x3f);
    return o + 2;
  }
  if (code < 0x10000) {
    out[o] = 0xe0 | (code >> 12);
    out[o + 1] = 0x80 | ((code >> 6) & 0x3f);
    out[o + 2] = 0x80 | (code & 0x3f);
    return o + 3;
  }
  out[o] = 0xf0 | (code >> 18);
  out[o + 1] = 0x80 | ((code >> 12) & 0x3f);
  out[o + 2] = 0x80 | ((code >> 6) & 0x3f);
  out[o + 3] = 0x80 | (code & 0x3f);
  return o + 4;
}

const SHORT_ESCAPES: Readonly<Record<number, string>> = { 8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r", 34: '\\"', 92: "\\\\" };

/** Feeds `hash` the UTF-8 of `JSON.stringify(text)` for the UTF-8 `text` (no lone surrogates in it). */
function updateJsonString(hash: Hash, text: Uint8Array): void {
  hash.update('"');
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const b = text[i]!;
    if (b >= 0x20 && b !== 0x22 && b !== 0x5c) continue;
    if (i > from) hash.update(text.subarray(from, i));
    hash.update(SHORT_ESCAPES[b] ?? `\\u00${b.toString(16).padStart(2, "0")}`);
    from = i + 1;
  }
  if (text.length > from) hash.update(text.subarray(from));
  hash.update('"');
}
