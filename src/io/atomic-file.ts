/**
 * @module io/atomic-file — write a file so that readers see either nothing or the whole thing:
 * data goes to a temp file beside the target, which is renamed over it on commit and removed on abort.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { once } from "node:events";
import { ToolkitError } from "../errors.js";
import { boundedWriteStreamFs } from "./bounded-writes.js";
import { processAlive } from "../util/process-alive.js";

/** Path of a fresh temp file in the same directory as `target` (same filesystem, so rename is atomic). */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

/** The temp dir a dataset-dir writer of `target` fills before swapping it in (see io/dataset-dir). */
export function tempDirFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
}

/**
 * Removes temp files and temp dirs that killed writers of `target` left behind (`tempPathFor` and
 * `tempDirFor` names whose process is gone). Those of live processes are kept. Returns how many were removed.
 */
export async function removeStaleTempFiles(target: string): Promise<number> {
  const prefix = `.${basename(target)}.`;
  let names: string[];
  try {
    names = await readdir(dirname(target));
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const match = /^(?:(\d+)\.[0-9a-f]{8}\.tmp|tmp-(\d+)-[0-9a-f]{8})$/.exec(name.slice(prefix.length));
    if (!match) continue;
    const pid = Number(match[1] ?? match[2]);
    if (pid === process.pid || processAlive(pid)) continue;
    await rm(join(dirname(target), name), { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}

/** Writes `data` to `target` atomically (temp file + rename), creating parent directories. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  await removeStaleTempFiles(target);
  const temp = tempPathFor(target);
  try {
    await writeFile(temp, data, { flag: "wx" });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * A streaming atomic writer: `write` chunks, then `commit()` (rename into place) or `abort()` (delete).
 * Whatever fails — a write, the rename, an abort with writes still pending — the temp file is removed
 * and the error reaches the caller as a rejection, never as an unhandled stream `error` event.
 */
export class AtomicFile {
  readonly target: string;
  readonly tempPath: string;
  private stream: WriteStream | undefined;
  private done = false;
  /** The first error the stream emitted (kept so it is never unhandled, and rethrown by write/commit). */
  private failure: Error | undefined;
  /** Settles when the full write buffer drains (or the stream stops); shared by the writes waiting for it. */
  private drained: Promise<void> | undefined;
  private readonly closed: Promise<void>;
  private markClosed!: () => void;

  private constructor(target: string) {
    this.target = target;
    this.tempPath = tempPathFor(target);
    this.closed = new Promise<void>((resolve) => (this.markClosed = resolve));
  }

  static async open(target: string): Promise<AtomicFile> {
    await mkdir(dirname(target), { recursive: true });
    // Temp files a killed earlier writer of this target left behind (e.g. a 0-byte file after kill -9).
    await removeStaleTempFiles(target);
    const file = new AtomicFile(target);
    const stream = createWriteStream(file.tempPath, { flags: "wx", fs: boundedWriteStreamFs() });
    file.stream = stream;
    stream.on("error", (error: Error) => {
      file.failure ??= error;
    });
    stream.once("close", () => file.markClosed());
    try {
      await once(stream, "open");
    } catch (error) {
      await file.cleanUp();
      throw error;
    }
    return file;
  }

  /** Writes a chunk, waiting for the stream to drain when its buffer is full. */
  async write(chunk: string | Uint8Array): Promise<void> {
    const stream = this.stream;
    if (!stream || this.done) throw new ToolkitError(`AtomicFile ${this.target}: write after commit/abort`, { code: "invalid_state" });
    if (this.failure) throw this.failure;
    if (stream.write(chunk)) return;
    // One wait per full buffer, shared by every write that found it full (a caller writing without awaiting
    // adds no listeners per write).
    this.drained ??= new Promise<void>((resolve, reject) => {
      const off = (): void => {
        this.drained = undefined;
        stream.off("drain", onDrain);
        stream.off("close", onStop);
        stream.off("error", onStop);
      };
      const onDrain = (): void => {
        off();
        resolve();
      };
      const onStop = (): void => {
        off();
        reject(this.failure ?? new ToolkitError(`AtomicFile ${this.target}: the file was closed while writing`, { code: "invalid_state" }));
      };
      stream.once("drain", onDrain);
      stream.once("close", onStop);
      stream.once("error", onStop);
    });
    await this.drained;
  }

  async commit(): Promise<void> {
    if (this.done) return;
    this.done = true;
    const stream = this.stream!;
    try {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
      if (this.failure) throw this.failure;
      await rename(this.tempPath, this.target);
    } catch (error) {
      await this.cleanUp();
      throw error;
    }
  }

  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.cleanUp();
  }

  /** Closes the stream (dropping pending writes) and removes the temp file. Never throws. */
  private async cleanUp(): Promise<void> {
    const stream = this.stream;
    if (stream && !stream.closed) {
      stream.destroy();
      await this.closed;
    }
    await rm(this.tempPath, { force: true }).catch(() => undefined);
  }
}

/**
 * Runs `body` with an AtomicFile for `target`: commits when body resolves, aborts (and rethrows) when it
 * throws, so a failed run leaves no partial output.
 */
export async function withAtomicFile<T>(target: string, body: (file: AtomicFile) => Promise<T>): Promise<T> {
  const file = await AtomicFile.open(target);
  let result: T;
  try {
    result = await body(file);
  } catch (error) {
    await file.abort();
    throw error;
  }
  await file.commit();
  return result;
}
