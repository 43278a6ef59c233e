/**
 * @module dpo/signal-value — reads a pair-policy signal's raw value from a candidate: `quality` (the
 * judge's 0–100), `lengthScore` (S_l), or any dotted path (`meta.reward`, `judgement.scores.Clarity`).
 */
import type { Candidate } from "../schemas/candidate.js";

/** Source aliases accepted in `signals[].source`. */
export const SIGNAL_ALIASES: Record<string, string> = {
  quality: "judgement.quality",
  lengthScore: "lengthScore",
  length_score: "lengthScore",
  sl: "lengthScore",
};

/** The value at a dotted path of `record` (undefined when any step is missing). */
export function valueAtPath(record: unknown, path: string): unknown {
  let node: unknown = record;
  for (const part of path.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/**
 * A signal's raw numeric value, or null when the candidate has none (missing, null, or not a finite
 * number: a judge that never parsed, a prompt with no required length).
 */
export function rawSignalValue(candidate: Candidate, source: string): number | null {
  const value = valueAtPath(candidate, SIGNAL_ALIASES[source] ?? source);
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
