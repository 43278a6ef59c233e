/**
 * @module judge/judge-cache — judgements cached by (prompt, response, judge model, template hash) in an
 * append-only JSONL file, so a rerun re-judges nothing and a killed run loses at most the call in flight.
 * Each line is written with one append; a torn last line (SIGKILL mid-write) is ignored on the next open.
 */
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { judgementSchema, type Judgement } from "../schemas/judgement.js";
import { stableHash } from "../text/record-id.js";

/** What a cached judgement is keyed by. */
export interface JudgeCacheKey {
  prompt: string;
  response: string;
  judgeModel: string;
  /** sha256 of the judge template. */
  promptHash: string;
  /** Which independent pass this is (0 normally; 1 for `--twice`'s second opinion). */
  pass?: number;
}

export interface JudgeCache {
  readonly path: string | undefined;
  readonly size: number;
  get(key: JudgeCacheKey): Judgement | undefined;
  /** Records a judgement (replacing an earlier one for the same key, e.g. when re-judging failures). */
  set(key: JudgeCacheKey, judgement: Judgement): void;
  close(): void;
}

/** The cache key as a sha256 hex string. */
export function judgeCacheKey(key: JudgeCacheKey): string {
  return stableHash({ prompt: key.prompt, response: key.response, judgeModel: key.judgeModel, promptHash: key.promptHash, pass: key.pass ?? 0 });
}

/**
 * Opens the cache file at `path` (created on first write), or an in-memory cache when `path` is undefined.
 * Later lines win, so a re-judged failure replaces the cached null.
 */
export function openJudgeCache({ path }: { path?: string } = {}): JudgeCache {
  const entries = new Map<string, Judgement>();
  let fd: number | undefined;
  if (path) {
    let text = "";
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    const lines = text.split("\n");
    for (const line of lines) {
      if (line.trim() === "") continue;
      try {
        const value = JSON.parse(line) as { key?: unknown; judgement?: unknown };
        const parsed = judgementSchema.safeParse(value.judgement);
        if (typeof value.key === "string" && parsed.success) entries.set(value.key, parsed.data);
      } catch {
        // a torn or foreign line: ignored
      }
    }
    mkdirSync(dirname(path), { recursive: true });
    // Start appends on a fresh line when the file ends in a torn line.
    if (text.length > 0 && !text.endsWith("\n")) appendFileSync(path, "\n");
    fd = openSync(path, "a");
  }
  let closed = false;
  return {
    path,
    get size() {
      return entries.size;
    },
    get: (key) => entries.get(judgeCacheKey(key)),
    set(key, judgement) {
      const hash = judgeCacheKey(key);
      entries.set(hash, judgement);
      if (fd !== undefined && !closed) {
        const line = Buffer.from(`${JSON.stringify({ key: hash, judgement })}\n`, "utf8");
        let written = 0;
        while (written < line.length) written += writeSync(fd, line, written, line.length - written);
      }
    },
    close() {
      if (closed) return;
      closed = true;
      if (fd !== undefined) closeSync(fd);
    },
  };
}
