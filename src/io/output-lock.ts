/**
 * @module io/output-lock — one run per output. LLM commands pay for every call they make; two processes
 * started on the same `--out` would each pay for every call (their journals cannot see each other's
 * in-flight requests). The first run takes `<out>.lock` (created exclusively, holding its pid and host);
 * a second run on the same output stops before its first call with an error naming the holder. A lock
 * left by a process that no longer runs (kill -9, power loss) is taken over.
 */
import { mkdir, readFile, stat, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { ToolkitError } from "../errors.js";
import { processAlive } from "../util/process-alive.js";

/** An unreadable lock younger than this may be one another run is writing right now. */
const FRESH_LOCK_MS = 10_000;

/** What the lock file holds. */
interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

/** A held lock; `release()` removes the lock file (only if it is still this process's). */
export interface OutputLock {
  readonly path: string;
  release(): Promise<void>;
}

/** Raised when another live process holds the output's lock. Exit code 1, code `output_locked`. */
export class OutputLockedError extends ToolkitError {
  /** `owner` is null when the lock was being created at that very moment (its content not written yet). */
  constructor(target: string, lockPath: string, owner: LockOwner | null) {
    const who = owner ? `pid ${owner.pid} on ${owner.host}, started ${owner.startedAt}` : "its lock was created a moment ago";
    super(
      `${target} is being written by another run (${who}): two runs on one output would pay for every call twice. ` +
        `Wait for it or stop it; if no such process runs, delete ${lockPath}`,
      { code: "output_locked" },
    );
    this.name = "OutputLockedError";
  }
}

async function readOwner(lockPath: string): Promise<LockOwner | null> {
  try {
    const parsed = JSON.parse(await readFile(lockPath, "utf8")) as Partial<LockOwner>;
    if (typeof parsed.pid !== "number" || typeof parsed.host !== "string") return null;
    return { pid: parsed.pid, host: parsed.host, startedAt: String(parsed.startedAt ?? "?") };
  } catch {
    return null;
  }
}

/**
 * Takes the lock of `target` (an output file or run folder) as `<target>.lock`.
 * @throws OutputLockedError when a live process (on this host, or any process on another host) holds it.
 * @example
 * const lock = await acquireOutputLock("candidates.jsonl");
 * try { ... } finally { await lock.release(); }
 */
export async function acquireOutputLock(target: string): Promise<OutputLock> {
  const lockPath = `${target}.lock`;
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  const body = `${JSON.stringify(me)}\n`;
  // The output's folder may not exist yet: the run creates it anyway, the lock goes first.
  await mkdir(dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(lockPath, body, { flag: "wx" });
      return {
        path: lockPath,
        async release() {
          const owner = await readOwner(lockPath);
          if (owner?.pid === me.pid && owner.host === me.host) await unlink(lockPath).catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new ToolkitError(`cannot create the lock ${lockPath}: ${(error as Error).message}`, { cause: error, code: "output_lock" });
      }
    }
    const owner = await readOwner(lockPath);
    // A lock from another host cannot be checked: it stands. One from this host stands while its process runs.
    if (owner && (owner.host !== me.host || (owner.pid !== me.pid && processAlive(owner.pid)))) throw new OutputLockedError(target, lockPath, owner);
    if (owner && owner.pid === me.pid && owner.host === me.host) {
      throw new ToolkitError(`${target} is already being written by this process (a second run on the same output)`, { code: "output_locked" });
    }
    if (!owner) {
      // Empty or garbled: a run that is writing it this very moment, or one killed while writing it.
      const age = await stat(lockPath).then(
        (info) => Date.now() - info.mtimeMs,
        () => Number.POSITIVE_INFINITY,
      );
      if (age < FRESH_LOCK_MS) throw new OutputLockedError(target, lockPath, null);
    }
    // Stale (its process is gone) or unreadable and old (a writer killed mid-write): take it over.
    await unlink(lockPath).catch(() => undefined);
  }
  throw new ToolkitError(`cannot take the lock ${lockPath}: other runs keep taking it`, { code: "output_locked" });
}

/** Runs `work` while holding the lock of `target`; the lock is released however `work` ends. */
export async function withOutputLock<T>(target: string, work: () => Promise<T>): Promise<T> {
  const lock = await acquireOutputLock(target);
  try {
    return await work();
  } finally {
    await lock.release();
  }
}
