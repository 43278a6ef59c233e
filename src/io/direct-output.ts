/**
 * @module io/direct-output — a new file written front to back with its bytes going straight to the disk
 * (Linux's O_DIRECT) instead of through the page cache, where the system allows it and the disk keeps up.
 *
 * Why: on the VMs our benchmarks run on (Firecracker, Linux 6.18, free-page reporting on), the page cache's
 * memory comes back from the host page by page, and how much that costs swings with what the guest freed
 * lately. The full bench mix's 284 MB Parquet file took the main thread up to ~1.4 s of system time in `write`
 * calls on some runs and ~0.1 s on others, while the row-group threads waited for it: 6 interleaved runs took
 * 4.19–5.59 s (2.7 s of system time) through the page cache and 3.81–4.04 s (0.95 s) with the file written direct, the
 * same bytes. `dd` shows it alone: 270 MB into a new file in 0.79 s of system time, 0.03 s with
 * `oflag=direct`. A Parquet file is written once and not read back by the writer, so caching it buys nothing.
 *
 * How: the first `DIRECT_AFTER_BYTES` (32 MiB) go the ordinary way (for a small file that is cheaper, see there);
 * from there, bytes are gathered in a 1 MiB buffer that starts at a page boundary (a WebAssembly memory's: the engine
 * maps those at page boundaries, which O_DIRECT asks of the buffer); each full buffer goes to the file at the
 * next 1 MiB offset through a second descriptor opened with O_DIRECT, and the last, partial one through the
 * ordinary descriptor the caller opened (O_DIRECT also wants lengths in whole blocks). The file's bytes are the
 * same either way. The rest of the file goes through the ordinary descriptor when:
 * - O_DIRECT is not there (not Linux) or not allowed (`LONGWRITER_DIRECT_IO=off`, or the file system refuses
 *   the open, as tmpfs before Linux 6.6 and some FUSE file systems do);
 * - a direct write fails or is short (the same bytes are then written the ordinary way, which reports a full
 *   disk as it always did);
 * - the disk takes direct writes slower than `DIRECT_MIN_BYTES_PER_MS` over two windows of 16 MiB in a row
 *   (a network or throttled cloud disk: there the page cache lets the encoding go on while the disk catches
 *   up, and a direct write would make the writer wait for the disk). This VM's disk takes 1 MiB in ~0.4 ms.
 */
import { closeSync, constants, openSync, writeSync } from "node:fs";
import { ConfigError, OptionError } from "../errors.js";
import { newWasmMemoryBytes } from "../util/wasm-instance.js";
import { MAX_WRITE_BYTES, writeAllSync, type WriteSyncCall } from "./bounded-writes.js";

/** Bytes per direct write, and the alignment of every direct write's offset. */
export const DIRECT_WRITE_BYTES = MAX_WRITE_BYTES;
/** Direct writes slower than this (bytes per millisecond, ~500 MB/s) over two windows in a row go back to the page cache. */
export const DIRECT_MIN_BYTES_PER_MS = 500_000;
/** Direct writes per speed window (16 MiB). */
export const DIRECT_WINDOW_WRITES = 16;
/**
 * Bytes at the start of a file written the ordinary way (32 MiB, a multiple of DIRECT_WRITE_BYTES). A direct
 * write waits for the disk (~0.45 ms per MiB here) where one into the page cache returns at once, so a small
 * file costs less through the page cache when its memory is cheap: the 1/10 bench mix's 28 MB file took the
 * main thread 17–26 ms of writes direct against 7–11 ms through the page cache.
 */
export const DIRECT_AFTER_BYTES = 32 * DIRECT_WRITE_BYTES;

export const DIRECT_IO_CHOICES = ["auto", "off"] as const;

/**
 * Whether new Parquet files may be written direct: `LONGWRITER_DIRECT_IO` in `env`, `auto` (the default: where
 * the system allows it and the disk keeps up) or `off`.
 * @throws ConfigError for any other value
 */
export function directIoAllowed(env: Record<string, string | undefined> = process.env): boolean {
  const choice = (env.LONGWRITER_DIRECT_IO || "auto").toLowerCase();
  if (!(DIRECT_IO_CHOICES as readonly string[]).includes(choice)) {
    throw new ConfigError(`the environment variable LONGWRITER_DIRECT_IO must be one of ${DIRECT_IO_CHOICES.join(", ")}, got "${choice}"`);
  }
  return choice === "auto";
}

/** The calls a direct output makes, parameters for tests. */
export interface DirectOutputCalls {
  /** Opens `path` for direct writes: undefined where the system has no O_DIRECT; throws where the open is refused. */
  openDirect(path: string): number | undefined;
  write: WriteSyncCall;
  close(fd: number): void;
  /** A clock in milliseconds. */
  now(): number;
  /** A page-aligned buffer of DIRECT_WRITE_BYTES (throws when none can be had), and one handed back. */
  takeBuffer(): Uint8Array;
  giveBackBuffer(buffer: Uint8Array): void;
}

/** Page-aligned 1 MiB buffers not in use, kept for the next output on this thread. */
const freeStages: Uint8Array[] = [];

/** A free buffer, or a new one (throws when the engine cannot map one). */
function takeStage(): Uint8Array {
  return freeStages.pop() ?? newWasmMemoryBytes(DIRECT_WRITE_BYTES);
}

const NODE_CALLS: DirectOutputCalls = {
  openDirect(path) {
    if (constants.O_DIRECT === undefined) return undefined;
    return openSync(path, constants.O_WRONLY | constants.O_DIRECT);
  },
  write: writeSync,
  close: closeSync,
  now: () => performance.now(),
  takeBuffer: takeStage,
  giveBackBuffer: (buffer) => freeStages.push(buffer),
};

export interface DirectOutputOptions {
  /** Whether to try direct writes at all. @default directIoAllowed() */
  direct?: boolean | undefined;
  /** Bytes written the ordinary way before direct writes start (a multiple of DIRECT_WRITE_BYTES). @default DIRECT_AFTER_BYTES */
  directAfter?: number | undefined;
  calls?: DirectOutputCalls | undefined;
}

/**
 * Appends bytes to a new, empty file opened for writing as `fd` (the caller's, which it still closes), at
 * explicit offsets from 0, direct where it can (see the module doc). Call `finish` after the last append.
 */
export class DirectOutput {
  private readonly fd: number;
  private readonly path: string;
  private readonly calls: DirectOutputCalls;
  /** The direct descriptor: undefined before the first full buffer, -1 once the file goes the ordinary way. */
  private directFd: number | undefined;
  private stage: Uint8Array | undefined;
  private staged = 0;
  /** Bytes handed to the file so far (direct or not); the staged bytes come after them. */
  private flushed = 0;
  private readonly directAfter: number;
  private windowMs = 0;
  private windowWrites = 0;
  private slowWindows = 0;

  constructor(fd: number, path: string, options: DirectOutputOptions = {}) {
    this.fd = fd;
    this.path = path;
    this.calls = options.calls ?? NODE_CALLS;
    this.directAfter = options.directAfter ?? DIRECT_AFTER_BYTES;
    if (!(Number.isInteger(this.directAfter / DIRECT_WRITE_BYTES) && this.directAfter >= 0)) {
      throw new OptionError(`DirectOutput: directAfter must be a multiple of ${DIRECT_WRITE_BYTES}, got ${this.directAfter}`, { field: "directAfter" });
    }
    if (!(options.direct ?? directIoAllowed())) this.directFd = -1;
  }

  /** Whether full buffers still go to the file direct (false once it has gone back to the page cache). */
  get direct(): boolean {
    return this.directFd !== -1;
  }

  /** Bytes appended so far. */
  get size(): number {
    return this.flushed + this.staged;
  }

  append(bytes: Uint8Array): void {
    if (this.directFd === -1 || this.flushed + bytes.length <= this.directAfter) {
      writeAllSync(this.fd, bytes, this.flushed, this.calls.write);
      this.flushed += bytes.length;
      return;
    }
    if (this.flushed < this.directAfter) {
      // The ordinary way up to directAfter, staged from there (so every direct write starts on a whole MiB).
      const head = this.directAfter - this.flushed;
      this.append(bytes.subarray(0, head));
      bytes = bytes.subarray(head);
    }
    if (!this.stage) {
      try {
        this.stage = this.calls.takeBuffer();
      } catch {
        // No memory for the buffer (a tight address-space limit): the ordinary way, as if O_DIRECT were missing.
        this.directFd = -1;
        this.append(bytes);
        return;
      }
    }
    let from = 0;
    while (from < bytes.length) {
      const n = Math.min(bytes.length - from, this.stage.length - this.staged);
      this.stage.set(n === bytes.length ? bytes : bytes.subarray(from, from + n), this.staged);
      this.staged += n;
      from += n;
      if (this.staged === this.stage.length) {
        this.writeStage();
        if (this.directFd === -1) {
          // Gone back to the page cache: the rest is written as it comes.
          this.append(bytes.subarray(from));
          return;
        }
      }
    }
  }

  /** Writes what is left and closes the direct descriptor (not `fd`). */
  finish(): void {
    if (this.stage && this.staged > 0) {
      writeAllSync(this.fd, this.stage.subarray(0, this.staged), this.flushed, this.calls.write);
      this.flushed += this.staged;
      this.staged = 0;
    }
    this.close();
  }

  /** Closes the direct descriptor and lets go of the buffer, without writing what is staged. Safe to call more than once. */
  close(): void {
    this.goBuffered();
    if (this.stage) this.calls.giveBackBuffer(this.stage);
    this.stage = undefined;
    this.staged = 0;
  }

  /** Writes the full stage at `flushed`: direct when it can, else the ordinary way (then for good). */
  private writeStage(): void {
    const stage = this.stage!;
    let written = 0;
    if (this.directFd === undefined) this.openDirect();
    if (this.directFd !== -1) {
      const started = this.calls.now();
      try {
        written = this.calls.write(this.directFd!, stage, 0, stage.length, this.flushed);
      } catch {
        written = 0; // refused: the same bytes go the ordinary way below, which reports a real failure
      }
      if (written === stage.length) this.timeWindow(this.calls.now() - started);
      else this.goBuffered();
    }
    if (written < stage.length) writeAllSync(this.fd, stage.subarray(written), this.flushed + written, this.calls.write);
    this.flushed += stage.length;
    this.staged = 0;
  }

  private openDirect(): void {
    try {
      this.directFd = this.calls.openDirect(this.path) ?? -1;
    } catch {
      this.directFd = -1;
    }
  }

  /** Counts one direct write's time into the speed window; two slow windows in a row send the rest the ordinary way. */
  private timeWindow(ms: number): void {
    this.windowMs += ms;
    this.windowWrites += 1;
    if (this.windowWrites < DIRECT_WINDOW_WRITES) return;
    const slow = this.windowMs * DIRECT_MIN_BYTES_PER_MS > DIRECT_WINDOW_WRITES * DIRECT_WRITE_BYTES;
    this.slowWindows = slow ? this.slowWindows + 1 : 0;
    this.windowMs = 0;
    this.windowWrites = 0;
    if (this.slowWindows >= 2) this.goBuffered();
  }

  /** Closes the direct descriptor if one is open; from now on every byte goes the ordinary way. */
  private goBuffered(): void {
    if (this.directFd !== undefined && this.directFd >= 0) {
      try {
        this.calls.close(this.directFd);
      } catch {
        // already closed
      }
    }
    this.directFd = -1;
  }
}
