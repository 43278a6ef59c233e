/**
 * @module schemas/candidate-shape — how a candidate (`sample` / `judge` output) is told from other records:
 * it has a string `promptId` and a string `response`, which no record format has together. No zod here, so
 * format detection can ask without loading the schema.
 */

/** True when `record` has a candidate's `promptId` and `response` (it may still fail the full schema). */
export function hasCandidateShape(record: unknown): boolean {
  if (typeof record !== "object" || record === null) return false;
  const { promptId, response } = record as { promptId?: unknown; response?: unknown };
  return typeof promptId === "string" && typeof response === "string";
}
