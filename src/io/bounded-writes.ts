/**
 * @module io/bounded-writes — writing big buffers to a file in system calls of at most `MAX_WRITE_BYTES`.
 *
 * Why: on the 2-core VMs our benchmarks run on (Linux 6.18), one `write` of 2 MiB or more into a file's page
 * cache cost 10–25× the system time of the same bytes written 1 MiB at a time. 256 MiB into a new file, from
 * the same 4 MiB buffer: 1.40–1.66 s of system time in 4 MiB calls, 0.96 s in 2 MiB calls, 0.05–0.07 s in
 * 1 MiB calls (64 KiB calls: 0.07–0.08 s). Reads showed no such cliff. The mixer writes its spool and its
 * Parquet files in 4 MiB pieces, so this was 1.3–2.3 s of a 6 s mix's CPU; capping each call at 1 MiB
 * costs nothing elsewhere (a few more calls of the same bytes).
 *
 * An append that must land as one piece (a journal line under O_APPEND, which other writers may be appending
 * beside) keeps its single call; everything that owns its file goes through here.
 */
import { close, open, write, writeSync, writev } from "node:fs";
import type { FileHandle } from "node:fs/promises";

/** Most bytes one write system call is given. */
export const MAX_WRITE_BYTES = 1 << 20;

/** The synchronous write call (`fs.writeSync`'s buffer form), a parameter for tests. */
export type WriteSyncCall = (fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null) => number;

/**
 * Writes all of `bytes` to `fd` at `position` (at the file's current offset when null), in calls of at most
 * `MAX_WRITE_BYTES`; a short write is continued where it stopped.
 */
export function writeAllSync(fd: number, bytes: Uint8Array, position: number | null = null, call: WriteSyncCall = writeSync): void {
  let done = 0;
  while (done < bytes.length) {
    done += call(fd, bytes, done, Math.min(MAX_WRITE_BYTES, bytes.length - done), position === null ? null : position + done);
  }
}

/** Writes all of `bytes` through `handle` at its current offset, in calls of at most `MAX_WRITE_BYTES`. */
export async function writeAllTo(handle: Pick<FileHandle, "write">, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, Math.min(MAX_WRITE_BYTES, bytes.length - done));
    done += bytesWritten;
  }
}

type Position = number | null | undefined;
type WriteDone = (error: NodeJS.ErrnoException | null, written: number, buffer: Uint8Array) => void;
type WritevDone = (error: NodeJS.ErrnoException | null, written: number, buffers: Uint8Array[]) => void;

/** The calls a bounded write stream makes (node:fs's callback forms), a parameter for tests. */
export interface StreamFsCalls {
  open: typeof open;
  close: typeof close;
  write: (
    fd: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: Position,
    done: (error: NodeJS.ErrnoException | null, written: number) => void,
  ) => void;
  writev: (fd: number, buffers: Uint8Array[], position: Position, done: (error: NodeJS.ErrnoException | null, written: number) => void) => void;
}

const NODE_CALLS: StreamFsCalls = {
  open,
  close,
  write: (fd, buffer, offset, length, position, done) => write(fd, buffer, offset, length, position ?? null, done),
  writev: (fd, buffers, position, done) => writev(fd, buffers, position ?? null, done),
};

/**
 * The `fs` option of `createWriteStream` that makes the stream write as it always does — batching queued
 * chunks into one `writev` — but in calls of at most `MAX_WRITE_BYTES`. Each `write`/`writev` the stream asks
 * for completes in full before its callback (the stream then never re-copies a partly written queue).
 */
export function boundedWriteStreamFs(calls: StreamFsCalls = NODE_CALLS) {
  return {
    open: calls.open,
    close: calls.close,
    write(fd: number, buffer: Uint8Array, offset: number, length: number, position: Position, done: WriteDone): void {
      let written = 0;
      const next = (): void => {
        if (written === length) return done(null, written, buffer);
        const at = typeof position === "number" ? position + written : position;
        calls.write(fd, buffer, offset + written, Math.min(MAX_WRITE_BYTES, length - written), at, (error, n) => {
          if (error) return done(error, written, buffer);
          if (n === 0) return done(null, written, buffer); // the stream's own retry rules take it from here
          written += n;
          next();
        });
      };
      next();
    },
    writev(fd: number, buffers: Uint8Array[], position: Position, done: WritevDone): void {
      let index = 0; // first buffer not fully written
      let offset = 0; // bytes of buffers[index] already written
      let written = 0;
      const next = (): void => {
        const batch: Uint8Array[] = [];
        let bytes = 0;
        for (let i = index, from = offset; i < buffers.length && bytes < MAX_WRITE_BYTES; i++, from = 0) {
          const piece = buffers[i]!.subarray(from, from + (MAX_WRITE_BYTES - bytes));
          if (piece.length > 0) batch.push(piece);
          bytes += piece.length;
        }
        if (bytes === 0) return done(null, written, buffers);
        const at = typeof position === "number" ? position + written : position;
        calls.writev(fd, batch, at, (error, n) => {
          if (error) return done(error, written, buffers);
          if (n === 0) return done(null, written, buffers);
          written += n;
          for (let left = n; left > 0; ) {
            const rest = buffers[index]!.length - offset;
            if (left < rest) {
              offset += left;
              left = 0;
            } else {
              left -= rest;
              index++;
              offset = 0;
            }
          }
          next();
        });
      };
      next();
    },
  };
}
