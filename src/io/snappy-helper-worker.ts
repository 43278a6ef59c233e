/**
 * @module io/snappy-helper-worker — the thread side of `acquireSnappyHelper` (io/snappy-helper): compresses
 * pages from memory shared with the thread that encodes the row group, in the order of their slots, with the
 * same SNAPPY compressor that thread uses (so the same bytes). It first compresses a few MB of generated text in
 * pages of a real page's size, so that its WebAssembly is optimised and its memory grown before the first real
 * page arrives, then says it is ready.
 */
import { workerData } from "node:worker_threads";
import { createSnappyCompressor, inPlaceCompressorOf } from "./snappy-compressor.js";
import { HELPER_SLOTS, HELPER_STATE, type SnappyHelperShared, warmUpText } from "./snappy-helper.js";

/** Times the warm-up text is compressed (4 MiB in all, ~15 ms). */
const WARM_UP_ROUNDS = 4;

const shared = workerData as SnappyHelperShared;
const state = new Int32Array(shared.control);
const inputs = shared.inputs.map((memory) => new Uint8Array(memory));
const outputs = shared.outputs.map((memory) => new Uint8Array(memory));

try {
  const inPlace = inPlaceCompressorOf(createSnappyCompressor())!;
  const warm = warmUpText();
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    inPlace.input(warm.length).set(warm);
    inPlace.compress(warm.length);
  }
  Atomics.store(state, HELPER_STATE.helper, HELPER_STATE.ready);
  let slot = 0;
  for (;;) {
    // The next slot in turn: wait (never spin) until a page is posted there, or the thread is stopped.
    const status = HELPER_STATE.status(slot);
    let now = Atomics.load(state, status);
    while (now !== HELPER_STATE.posted && now !== HELPER_STATE.stop) {
      Atomics.wait(state, status, now);
      now = Atomics.load(state, status);
    }
    if (now === HELPER_STATE.stop) break;
    const length = Atomics.load(state, HELPER_STATE.length(slot));
    inPlace.input(length).set(inputs[slot]!.subarray(0, length));
    const compressed = inPlace.compress(length);
    outputs[slot]!.set(compressed);
    Atomics.store(state, HELPER_STATE.length(slot), compressed.length);
    Atomics.store(state, status, HELPER_STATE.done);
    Atomics.notify(state, status);
    slot = (slot + 1) % HELPER_SLOTS;
  }
} catch {
  // The encoding thread compresses its pages itself from now on (see `finish` in io/snappy-helper).
  Atomics.store(state, HELPER_STATE.helper, HELPER_STATE.failed);
  for (let slot = 0; slot < HELPER_SLOTS; slot++) Atomics.notify(state, HELPER_STATE.status(slot));
}
