/**
 * @module mix/minhash-dedup — near-duplicate detection: a MinHash signature per row over word shingles,
 * LSH bands to find candidates, and the estimated Jaccard similarity against each candidate checked
 * against the threshold. Signatures are kept in one growable typed array (permutations × 4 bytes per
 * kept row).
 */
import { fmix32, shingleHashes, wordTokens } from "./text-shingles.js";
import { OptionError } from "../errors.js";

export interface MinHashOptions {
  /** Estimated Jaccard at or above which a row is a near duplicate. @default 0.8 */
  threshold?: number | undefined;
  /** Tokens per shingle. @default 5 */
  shingle?: number | undefined;
  /** Hash functions per signature. @default 128 */
  permutations?: number | undefined;
  /** LSH bands; `permutations` must be divisible by it. @default 16 */
  bands?: number | undefined;
}

export interface NearDuplicateMatch {
  /** Index (in insertion order) of the earlier row it resembles. */
  index: number;
  /** Estimated Jaccard similarity. */
  similarity: number;
}

/** A MinHash signature of `text`. */
export function minhashSignature(text: string, { shingle = 5, permutations = 128 }: MinHashOptions = {}): Uint32Array {
  const shingles = shingleHashes(wordTokens(text), shingle);
  const signature = new Uint32Array(permutations).fill(0xffffffff);
  for (let p = 0; p < permutations; p++) {
    const salt = Math.imul(p + 1, 0x9e3779b9);
    let min = 0xffffffff;
    for (let s = 0; s < shingles.length; s++) {
      const h = fmix32(shingles[s]! ^ salt);
      if (h < min) min = h;
    }
    signature[p] = min;
  }
  return signature;
}

/** Share of equal positions between two signatures: the MinHash estimate of Jaccard similarity. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  let equal = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) equal++;
  return a.length === 0 ? 0 : equal / a.length;
}

/**
 * An index of the rows kept so far. `check(text)` returns the earlier row it nearly duplicates (and does
 * not add it), or null (and adds it).
 */
export function createMinHashDedup(options: MinHashOptions = {}): {
  check(text: string): NearDuplicateMatch | null;
  readonly size: number;
} {
  const { threshold = 0.8, shingle = 5, permutations = 128, bands = 16 } = options;
  if (permutations % bands !== 0) throw new OptionError(`minhash: permutations (${permutations}) must be divisible by bands (${bands})`, { field: "bands" });
  const rows = permutations / bands;
  // Per band: bucket key → newest row in it; `chain` links each row to the previous row of the same bucket.
  const heads: Map<number, number>[] = Array.from({ length: bands }, () => new Map());
  let chain = new Int32Array(bands * 1024);
  let signatures = new Uint32Array(permutations * 1024);
  let count = 0;
  const signatureAt = (index: number): Uint32Array => signatures.subarray(index * permutations, (index + 1) * permutations);
  return {
    check(text) {
      const signature = minhashSignature(text, { shingle, permutations });
      const keys = new Array<number>(bands);
      let best: NearDuplicateMatch | null = null;
      const tried = new Set<number>();
      for (let band = 0; band < bands; band++) {
        let key = band;
        for (let r = band * rows; r < (band + 1) * rows; r++) key = fmix32(key ^ signature[r]!) + r;
        key >>>= 0;
        keys[band] = key;
        for (let candidate = heads[band]!.get(key) ?? -1; candidate >= 0; candidate = chain[candidate * bands + band]!) {
          if (tried.has(candidate)) continue;
          tried.add(candidate);
          const similarity = estimateJaccard(signature, signatureAt(candidate));
          if (similarity >= threshold && (best === null || similarity > best.similarity)) best = { index: candidate, similarity };
        }
      }
      if (best) return best;
      if ((count + 1) * permutations > signatures.length) {
        const grown = new Uint32Array(signatures.length * 2);
        grown.set(signatures);
        signatures = grown;
        const grownChain = new Int32Array(chain.length * 2);
        grownChain.set(chain);
        chain = grownChain;
      }
      signatures.set(signature, count * permutations);
      for (let band = 0; band < bands; band++) {
        const key = keys[band]!;
        chain[count * bands + band] = heads[band]!.get(key) ?? -1;
        heads[band]!.set(key, count);
      }
      count++;
      return null;
    },
    get size() {
      return count;
    },
  };
}
