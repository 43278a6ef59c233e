/**
 * @module io/page-buffers — buffers for the pages hyparquet-writer builds, used again from page to page.
 *
 * hyparquet-writer builds every data page in a new `ByteWriter` that starts at 1 KiB and doubles as values
 * are appended: for a 1 MiB page about a dozen allocations and 2 MiB of copying, all in fresh memory (a page
 * fault per 4 KiB on first write). `usePageBuffers` makes a writer that grows past 64 KiB take a spare buffer
 * instead, and the compressors it wraps give a page's buffer back once the page is compressed (the writer
 * never reads it again: it appends the compressed bytes). Only buffers allocated here are given back, and
 * only by these wrappers, so a ByteWriter anyone else holds is never reused under them.
 */
import { ByteWriter } from "hyparquet-writer";
import type { Compressors } from "hyparquet-writer/src/types.js";

/** Growth below this stays hyparquet-writer's own (levels, headers, small pages). */
const MIN_SPARE_BYTES = 64 << 10;
/** Spare buffers kept per thread, and their bytes at most (they stay with the thread once it is done). */
const MAX_SPARE = 4;
const MAX_SPARE_BYTES = 16 << 20;

const spare: ArrayBuffer[] = [];
const ours = new WeakSet<ArrayBuffer>();
let installed = false;

/** Installs the growth rule (once per thread) and returns `compressors` wrapped to give page buffers back. */
export function usePageBuffers(compressors: Compressors): Compressors {
  install();
  const wrapped: Compressors = {};
  for (const [codec, compress] of Object.entries(compressors) as Array<[keyof Compressors, (input: Uint8Array) => Uint8Array]>) {
    wrapped[codec] = (input: Uint8Array) => {
      const output = compress(input);
      const buffer = input.buffer as ArrayBuffer;
      if (ours.has(buffer) && spare.length < MAX_SPARE && !spare.includes(buffer) && spareBytes() + buffer.byteLength <= MAX_SPARE_BYTES) spare.push(buffer);
      return output;
    };
  }
  return wrapped;
}

function spareBytes(): number {
  let bytes = 0;
  for (const buffer of spare) bytes += buffer.byteLength;
  return bytes;
}

function install(): void {
  if (installed) return;
  installed = true;
  const grow = ByteWriter.prototype.ensure;
  ByteWriter.prototype.ensure = function ensure(this: ByteWriter, size: number): void {
    if (this.index + size <= this.buffer.byteLength) return;
    const needed = Math.max(this.buffer.byteLength * 2, this.index + size);
    if (needed < MIN_SPARE_BYTES) {
      grow.call(this, size);
      return;
    }
    const index = spare.findIndex((buffer) => buffer.byteLength >= needed);
    let buffer: ArrayBuffer;
    if (index >= 0) buffer = spare.splice(index, 1)[0]!;
    else {
      buffer = new ArrayBuffer(needed);
      ours.add(buffer);
    }
    new Uint8Array(buffer).set(new Uint8Array(this.buffer, 0, this.index));
    this.buffer = buffer;
    this.view = new DataView(buffer);
  };
}
