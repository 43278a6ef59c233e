/**
 * @module eval/length-bucket — LongBench-Write's required-length buckets: [0,500), [500,2k), [2k,4k),
 * [4k,20k]. The paper writes the last one half-open, but its one 20,000-word prompt belongs there.
 */

export const LENGTH_BUCKETS = ["[0,500)", "[500,2k)", "[2k,4k)", "[4k,20k]"] as const;
export type LengthBucket = (typeof LENGTH_BUCKETS)[number];

/** The bucket of a required length (lengths above 20,000 also go in the last bucket). */
export function lengthBucket(required: number): LengthBucket {
  if (required < 500) return "[0,500)";
  if (required < 2000) return "[500,2k)";
  if (required < 4000) return "[2k,4k)";
  return "[4k,20k]";
}
