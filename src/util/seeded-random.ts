/**
 * @module util/seeded-random — a small seeded PRNG (xoshiro128**) with named sub-streams, so every random
 * choice of a mix (each source's sample, the global shuffle, the test split) is reproducible from the
 * recipe's seed and independent of the others: changing one source does not reshuffle another.
 */
import { createHash } from "node:crypto";
import { OptionError } from "../errors.js";

/** A deterministic stream of random numbers. */
export interface SeededRandom {
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform float in [0, 1) with 53 bits of precision. */
  nextFloat(): number;
  /** Uniform integer in [0, n) for 0 < n ≤ 2^53. */
  nextInt(n: number): number;
}

/**
 * Creates the random stream for `(seed, label)`; the same pair always gives the same stream.
 *
 * @example const rng = createRandom({ seed: 42, label: "source:0:sample" });
 */
export function createRandom({ seed, label = "" }: { seed: number; label?: string }): SeededRandom {
  const digest = createHash("sha256").update(`${seed}\u0000${label}`).digest();
  let a = digest.readUInt32LE(0);
  let b = digest.readUInt32LE(4);
  let c = digest.readUInt32LE(8);
  let d = digest.readUInt32LE(12);
  if ((a | b | c | d) === 0) a = 1; // the all-zero state is a fixed point
  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const nextFloat = (): number => ((nextUint32() >>> 5) * 67108864 + (nextUint32() >>> 6)) / 9007199254740992;
  return {
    nextUint32,
    nextFloat,
    nextInt: (n) => Math.floor(nextFloat() * n),
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Shuffles `array` in place (Fisher–Yates) and returns it. */
export function shuffleInPlace<T extends { length: number; [index: number]: unknown }>(array: T, rng: SeededRandom): T {
  for (let i = array.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const tmp = array[i];
    array[i] = array[j];
    array[j] = tmp;
  }
  return array;
}

/** A random permutation of 0..n-1. */
export function randomPermutation(n: number, rng: SeededRandom): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return shuffleInPlace(out, rng);
}

/**
 * `k` distinct indices drawn uniformly from 0..n-1 (a partial Fisher–Yates, O(n) memory as a typed array),
 * returned in ascending order so that downstream reads stay sequential.
 */
export function sampleIndices(n: number, k: number, rng: SeededRandom): Uint32Array {
  if (k > n) throw new OptionError(`sampleIndices: cannot draw ${k} distinct rows from ${n}`, { field: "k" });
  const pool = new Uint32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + rng.nextInt(n - i);
    const tmp = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = tmp;
  }
  return pool.slice(0, k).sort();
}
