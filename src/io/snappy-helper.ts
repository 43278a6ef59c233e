/**
 * @module io/snappy-helper — a second thread that SNAPPY-compresses pages of a row group encoded on this
 * thread, while this thread encodes the next pages and compresses those the helper has no room for.
 *
 * An output small enough to be one row group is encoded on the calling thread (row-group workers start cold
 * and lose more than they gain there), and SNAPPY is about half of that: ~140 ms of the ~0.3 s the
 * 1/10 bench mix spends writing its one 45 MB group, while the machine's other cores idle. A helper is worth it
 * only when it is warm by then, so a caller that knows such a group is coming starts it early
 * (`acquireSnappyHelper`, e.g. the mixer before its first pass) and the encoder uses it only once it is ready
 * (`readySnappyHelper`); until then, and on any failure, pages are compressed here as before. Each page is
 * compressed whole by the same code either way, so the file is byte-identical with or without a helper.
 *
 * Pages go through memory shared with the helper (`HELPER_SLOTS` pages at a time, each at most
 * `HELPER_PAGE_BYTES`), and the hand-off is synchronous (`Atomics`), as the encoder is.
 */
import type { Worker } from "node:worker_threads";
import { createSnappyCompressor, snappyMaxCompressedLength } from "./snappy-compressor.js";
import { moduleUrl, startWorker } from "./start-worker.js";

/** Largest page (bytes) the helper takes; a bigger one is compressed by the encoding thread. */
export const HELPER_PAGE_BYTES = 4 << 20;
/** Pages the helper holds at once: while it compresses them, the encoder encodes and compresses the next one. */
export const HELPER_SLOTS = 4;

/** The shared control array: a word for the helper's state, then a status and a length for each slot. */
export const HELPER_STATE = {
  /** Slot of the helper's own state: starting, ready, failed. */
  helper: 0,
  starting: 0,
  ready: 1,
  failed: 2,
  /** A page slot's status word, and its length word (the page's length when posted, the output's when done). */
  status: (slot: number): number => 1 + 2 * slot,
  length: (slot: number): number => 2 + 2 * slot,
  idle: 0,
  posted: 1,
  done: 2,
  stop: 3,
} as const;

/** What the helper thread gets: the control array, and each slot's input and output memory. */
export interface SnappyHelperShared {
  control: SharedArrayBuffer;
  inputs: SharedArrayBuffer[];
  outputs: SharedArrayBuffer[];
}

/** How long the encoder waits for one page before compressing it itself (a page takes a few ms). */
const PAGE_WAIT_MS = 5000;

/**
 * A thread that compresses pages beside the encoder (see the module doc), `slots` at a time: put a page at
 * `input`, `start` it, and `finish` it (in the order started) to get its compressed bytes.
 */
export interface PageCompressHelper {
  /** Largest page it takes. */
  readonly capacity: number;
  /** Pages it holds at once (started and not finished). */
  readonly slots: number;
  /** Where to put the next page, of `length` (≤ capacity) bytes: a view of shared memory. */
  input(length: number): Uint8Array;
  /** Starts compressing the `length` bytes put at `input`; returns the page's slot, for `finish`. */
  start(length: number): number;
  /** Whether the page started in `slot` is compressed (`finish` would not wait). */
  done(slot: number): boolean;
  /** The compressed bytes of the page started in `slot` (a view valid until that slot is started again). */
  finish(slot: number): Uint8Array;
}

export interface SnappyHelperOptions {
  /** Starts the helper thread with the shared memory (test seam). @default io/snappy-helper-worker */
  startThread?: ((shared: SnappyHelperShared) => Worker) | undefined;
  /** How long `finish` waits for a page before compressing it here. @default 5 s */
  pageWaitMs?: number | undefined;
}

/** The helper thread and its shared memory; `acquireSnappyHelper` keeps one per thread that asks. */
export class SnappyHelper implements PageCompressHelper {
  readonly capacity = HELPER_PAGE_BYTES;
  readonly slots = HELPER_SLOTS;
  private readonly state: Int32Array;
  private readonly inputs: Uint8Array[];
  private readonly outputs: Uint8Array[];
  private readonly lengths: number[] = new Array(HELPER_SLOTS).fill(0);
  private readonly worker: Worker;
  /** The slot the next page goes to: slots are used in turn, as the helper thread takes them. */
  private next = 0;
  private failed = false;
  private fallback: ((input: Uint8Array) => Uint8Array) | undefined;

  private readonly pageWaitMs: number;

  constructor(options: SnappyHelperOptions = {}) {
    this.pageWaitMs = options.pageWaitMs ?? PAGE_WAIT_MS;
    const shared: SnappyHelperShared = {
      control: new SharedArrayBuffer(4 * (1 + 2 * HELPER_SLOTS)),
      inputs: Array.from({ length: HELPER_SLOTS }, () => new SharedArrayBuffer(HELPER_PAGE_BYTES)),
      outputs: Array.from({ length: HELPER_SLOTS }, () => new SharedArrayBuffer(snappyMaxCompressedLength(HELPER_PAGE_BYTES))),
    };
    this.state = new Int32Array(shared.control);
    this.inputs = shared.inputs.map((memory) => new Uint8Array(memory));
    this.outputs = shared.outputs.map((memory) => new Uint8Array(memory));
    this.worker = (options.startThread ?? ((memory) => startWorker(moduleUrl(import.meta.url, "./snappy-helper-worker"), memory)))(shared);
    this.worker.unref();
    // A helper that cannot start or fails is simply not used (pages are compressed here).
    this.worker.on("error", () => {
      this.failed = true;
    });
  }

  /** Whether it is warm and working. (Its slots are all free then: a chunk's writer finishes every page it starts.) */
  get ready(): boolean {
    return !this.failed && Atomics.load(this.state, HELPER_STATE.helper) === HELPER_STATE.ready;
  }

  input(length: number): Uint8Array {
    return this.inputs[this.next]!.subarray(0, length);
  }

  start(length: number): number {
    const slot = this.next;
    this.next = (slot + 1) % HELPER_SLOTS;
    this.lengths[slot] = length;
    Atomics.store(this.state, HELPER_STATE.length(slot), length);
    Atomics.store(this.state, HELPER_STATE.status(slot), HELPER_STATE.posted);
    Atomics.notify(this.state, HELPER_STATE.status(slot));
    return slot;
  }

  done(slot: number): boolean {
    return this.failed || Atomics.load(this.state, HELPER_STATE.status(slot)) !== HELPER_STATE.posted;
  }

  finish(slot: number): Uint8Array {
    const status = HELPER_STATE.status(slot);
    if (!this.failed) {
      const deadline = Date.now() + this.pageWaitMs;
      let now = Atomics.load(this.state, status);
      while (now === HELPER_STATE.posted && Atomics.load(this.state, HELPER_STATE.helper) !== HELPER_STATE.failed && Date.now() < deadline) {
        Atomics.wait(this.state, status, HELPER_STATE.posted, 50);
        now = Atomics.load(this.state, status);
      }
      if (now === HELPER_STATE.done) {
        Atomics.store(this.state, status, HELPER_STATE.idle);
        return this.outputs[slot]!.subarray(0, Atomics.load(this.state, HELPER_STATE.length(slot)));
      }
    }
    // It failed or stalled: its pages are compressed here from now on (the page is still in the slot's input).
    this.failed = true;
    this.fallback ??= createSnappyCompressor();
    return this.fallback(this.inputs[slot]!.subarray(0, this.lengths[slot]));
  }

  /** Stops the thread (pages started and not finished are not compressed). */
  stop(): void {
    for (let slot = 0; slot < HELPER_SLOTS; slot++) {
      Atomics.store(this.state, HELPER_STATE.status(slot), HELPER_STATE.stop);
      Atomics.notify(this.state, HELPER_STATE.status(slot));
    }
    void this.worker.terminate();
  }
}

let helper: SnappyHelper | undefined;
let users = 0;

/**
 * Starts the helper thread (if it is not running) for a row group that this thread will encode with SNAPPY
 * soon; returns the function that says it is no longer needed (the thread stops when no one needs it).
 */
export function acquireSnappyHelper(): () => void {
  users++;
  try {
    helper ??= new SnappyHelper();
  } catch {
    // No thread (resources): pages are compressed here.
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    users--;
    if (users === 0 && helper) {
      helper.stop();
      helper = undefined;
    }
  };
}

/** The helper, when one was acquired on this thread and is warm and idle; else undefined. */
export function readySnappyHelper(): PageCompressHelper | undefined {
  return helper?.ready ? helper : undefined;
}

/**
 * Text the helper compresses before it says it is ready (1 MiB, a SNAPPY page's default size, of words from a
 * fixed list in an order a fixed generator picks), so that its compressor's WebAssembly is optimised and its
 * memory grown by then: the same kind of work as a page of chat text, matches and literals. Written straight
 * into bytes (a string of 200k words would cost the helper ~10 MB of heap).
 */
export function warmUpText(): Uint8Array {
  const encoder = new TextEncoder();
  const words = ["the", "model", "answer", "length", "of", "a", "long", "output", "plan", "paragraph", "写作", "长度", "数据", "and", "to", "in"].map((word) =>
    encoder.encode(`${word} `),
  );
  const text = new Uint8Array(1 << 20);
  let seed = 0x2545f491;
  for (let at = 0; at < text.length; ) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const word = words[seed >>> 28]!;
    if (at + word.length <= text.length) text.set(word, at);
    else text.set(word.subarray(0, text.length - at), at);
    at += word.length;
  }
  return text;
}
