/**
 * @module llm/journal — an append-only JSONL file of finished LLM calls, keyed by request hash, so a
 * re-run replays what it already paid for. One line per call, written with a single append: a SIGKILL
 * can at worst leave a torn last line, which `openJournal` cuts off before appending again.
 * Only an index (key → byte range) stays in memory; texts are read back from disk on replay (and a line
 * whose key does not match is treated as a miss, so a second writer can never cause a wrong replay).
 */
import { closeSync, ftruncateSync, openSync, readSync, fstatSync, writeSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { ToolkitError } from "../errors.js";

/** What the journal keeps about a finished call. */
export interface JournalEntry {
  key: string;
  text: string;
  finishReason: string;
  model: string;
  usage: { promptTokens: number; completionTokens: number; cachedTokens?: number };
  /** True when the call went through the Batch API (priced at batch rates). */
  batch?: boolean;
  /** Free-form label for humans reading the journal (e.g. "plan abc123"). */
  tag?: string;
}

export interface Journal {
  readonly path: string;
  /** Number of distinct finished calls known. */
  readonly size: number;
  /** Lines dropped when opening (a torn last line, or lines that did not parse). */
  readonly dropped: number;
  has(key: string): boolean;
  get(key: string): JournalEntry | undefined;
  /** Appends one finished call (ignored when the key is already present). */
  append(entry: JournalEntry): void;
  close(): void;
}

const LF = 0x0a;
const CHUNK = 1 << 20;

/**
 * Opens (creating if needed) the journal at `path` and indexes its entries.
 * @example const journal = await openJournal({ path: "out.jsonl.journal.jsonl" });
 */
export async function openJournal({ path }: { path: string }): Promise<Journal> {
  await mkdir(dirname(path), { recursive: true });
  let fd: number;
  try {
    fd = openSync(path, "a+");
  } catch (cause) {
    throw new ToolkitError(`cannot open journal ${path}: ${(cause as Error).message}`, { cause });
  }
  const index = new Map<string, { offset: number; length: number }>();
  let dropped = 0;
  let end = fstatSync(fd).size;

  // Scan line by line, remembering where each complete line starts.
  let lineStart = 0;
  let pending: Buffer[] = [];
  let position = 0;
  const buffer = Buffer.allocUnsafe(CHUNK);
  const addLine = (bytes: Buffer, offset: number): void => {
    if (bytes.length === 0) return;
    try {
      const value = JSON.parse(bytes.toString("utf8")) as Partial<JournalEntry>;
      if (typeof value.key === "string" && typeof value.text === "string") {
        if (!index.has(value.key)) index.set(value.key, { offset, length: bytes.length });
        return;
      }
    } catch {
      // fall through: an unparsable line is counted and ignored
    }
    dropped += 1;
  };
  while (position < end) {
    const read = readSync(fd, buffer, 0, Math.min(CHUNK, end - position), position);
    if (read === 0) break;
    let start = 0;
    for (let at = buffer.indexOf(LF, start); at !== -1 && at < read; at = buffer.indexOf(LF, start)) {
      const piece = buffer.subarray(start, at);
      const bytes = pending.length ? Buffer.concat([...pending, piece]) : piece;
      pending = [];
      addLine(bytes, lineStart);
      lineStart = position + at + 1;
      start = at + 1;
    }
    if (start < read) pending.push(Buffer.from(buffer.subarray(start, read)));
    position += read;
  }
  if (lineStart < end) {
    // A torn last line (killed mid-append): drop it so the next append starts on a fresh line.
    dropped += 1;
    ftruncateSync(fd, lineStart);
    end = lineStart;
  }
  let closed = false;

  return {
    path,
    get size() {
      return index.size;
    },
    dropped,
    has: (key) => index.has(key),
    get(key) {
      const where = index.get(key);
      if (!where) return undefined;
      const bytes = Buffer.allocUnsafe(where.length);
      readSync(fd, bytes, 0, where.length, where.offset);
      try {
        const entry = JSON.parse(bytes.toString("utf8")) as JournalEntry;
        // Another process appending to the same journal could shift our offsets: never replay a wrong line.
        if (entry.key === key) return entry;
      } catch {
        // fall through to a miss
      }
      index.delete(key);
      return undefined;
    },
    append(entry) {
      if (closed) throw new ToolkitError(`journal ${path} is closed`);
      if (index.has(entry.key)) return;
      const line = Buffer.from(`${JSON.stringify(entry)}\n`, "utf8");
      let written = 0;
      while (written < line.length) written += writeSync(fd, line, written, line.length - written);
      // O_APPEND put the line at the end of the file, wherever that was (another writer may have appended).
      end = fstatSync(fd).size;
      index.set(entry.key, { offset: end - line.length, length: line.length - 1 });
    },
    close() {
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
  };
}
