/**
 * @module mix/assemble-splits — turns each source's sampled row indices into the mixture's splits:
 * spool indices, shuffled with seeded independent streams, and a test split either from named test
 * sources or carved from the shuffled mixture without letting a row (or its upsampled copy) into both.
 */
import { ConfigError } from "../errors.js";
import { createRandom, shuffleInPlace } from "../util/seeded-random.js";

export interface AssembledSplits {
  splits: Array<{ name: string; indices: Uint32Array }>;
  /** What carving `test` did; null when the recipe has no `splits.test`. */
  testSplit: null | { requested: number; rows: number; copiesRemovedFromTrain: number };
}

/**
 * @param sources per recipe source: its tag, where its rows start in the spool, and the sampled indices
 *   (relative to that start; repeated for upsampled copies)
 */
export function assembleSplits({
  sources,
  seed,
  test: testSize,
  testSources = [],
  file,
}: {
  sources: ReadonlyArray<{ tag: string; start: number; indices: Uint32Array }>;
  seed: number;
  test?: number | undefined;
  testSources?: readonly string[] | undefined;
  /** Recipe file named in errors. */
  file: string;
}): AssembledSplits {
  const testTags = new Set(testSources);
  const trainParts: Uint32Array[] = [];
  const testParts: Uint32Array[] = [];
  for (const source of sources) {
    const global = source.indices.map((i) => i + source.start);
    (testTags.has(source.tag) ? testParts : trainParts).push(global);
  }
  let train = shuffleInPlace(concat(trainParts), createRandom({ seed, label: "shuffle:train" }));
  let test = shuffleInPlace(concat(testParts), createRandom({ seed, label: "shuffle:test" }));
  let testSplit: AssembledSplits["testSplit"] = null;
  if (testSize !== undefined) {
    const k = testSize < 1 ? Math.round(testSize * train.length) : Math.min(testSize, train.length);
    if (k >= train.length && train.length > 0) {
      throw new ConfigError(`a test split of ${testSize} leaves no training rows (the mixture has ${train.length})`, { file, field: "splits.test" });
    }
    const before = train.length;
    ({ test, train } = carveTestSplit(train, k));
    if (train.length === 0 && before > 0) {
      throw new ConfigError(`a test split of ${testSize} leaves no training rows once its rows' upsampled copies are removed`, {
        file,
        field: "splits.test",
      });
    }
    testSplit = { requested: testSize, rows: test.length, copiesRemovedFromTrain: before - test.length - train.length };
  }
  const splits = [{ name: "train", indices: train }, ...(test.length > 0 || testTags.size > 0 ? [{ name: "test", indices: test }] : [])];
  return { splits, testSplit };
}

/**
 * Takes the first `k` distinct rows of the shuffled training order as the test split and removes every
 * copy of them from training, so an upsampled row never sits in both splits (test rows appear once).
 */
export function carveTestSplit(shuffled: Uint32Array, k: number): { test: Uint32Array; train: Uint32Array } {
  const chosen = new Set<number>();
  for (const index of shuffled) {
    if (chosen.size >= k) break;
    chosen.add(index);
  }
  return { test: Uint32Array.from(chosen), train: shuffled.filter((index) => !chosen.has(index)) };
}

function concat(parts: Uint32Array[]): Uint32Array {
  const out = new Uint32Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
