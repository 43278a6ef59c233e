/**
 * @module dpo/audit-pairs — a length-bias audit of preference pairs: how often the chosen side is longer,
 * Cohen's d of chosen vs rejected length, and the distribution of score margins. A set where the chosen
 * answer is nearly always longer teaches "longer is better" whatever the scores meant.
 */
import type { PreferencePair } from "../schemas/preference-pair.js";
import { summarize, type Summary } from "../stats/summarize.js";
import { countWords } from "../text/count-words.js";

/** What the audit needs of one pair. */
export interface AuditRow {
  chosenLength: number;
  rejectedLength: number;
  /** score_chosen − score_rejected, null when either score is missing. */
  margin: number | null;
}

/** Summary statistics of a list of numbers (stats/summarize plus the sample standard deviation). */
export interface NumberSummary extends Summary {
  sd: number;
}

export interface PairAudit {
  pairs: number;
  chosenLonger: number;
  rejectedLonger: number;
  sameLength: number;
  /** chosenLonger / pairs (null for no pairs). */
  shareChosenLonger: number | null;
  /** Lengths in LongBench-Write words (English words + CJK characters) of the final assistant turn. */
  chosenLength: NumberSummary | null;
  rejectedLength: NumberSummary | null;
  /** (mean chosen − mean rejected) / pooled SD; null when undefined (fewer than 2 pairs, or no spread). */
  lengthCohensD: number | null;
  /** Summary of chosen − rejected length. */
  lengthDifference: NumberSummary | null;
  /** Summary of score margins over pairs that have both scores. */
  margin: NumberSummary | null;
  /** Plain-words reading of the numbers, e.g. "chosen is longer in 83% of pairs (d = 0.91): strong length bias". */
  verdict: string;
}

/** Length of a side: countWords of its last message (the completion). */
export function completionLength(messages: ReadonlyArray<{ content: string }>): number {
  return countWords(messages[messages.length - 1]?.content ?? "");
}

/** The audit row of a pair, using lengths recorded in `meta` when present. */
export function auditRow(pair: PreferencePair): AuditRow {
  const meta = pair.meta ?? {};
  const chosenLength = typeof meta.chosenLength === "number" ? meta.chosenLength : completionLength(pair.chosen);
  const rejectedLength = typeof meta.rejectedLength === "number" ? meta.rejectedLength : completionLength(pair.rejected);
  const margin = pair.score_chosen !== null && pair.score_rejected !== null ? pair.score_chosen - pair.score_rejected : null;
  return { chosenLength, rejectedLength, margin };
}

/**
 * Audits pairs (or precomputed rows) for length bias and margin spread.
 *
 * @example const audit = auditPairs(pairs.map(auditRow)); audit.shareChosenLonger // 0.83
 */
export function auditPairs(rows: Iterable<AuditRow>): PairAudit {
  const chosen: number[] = [];
  const rejected: number[] = [];
  const diff: number[] = [];
  const margins: number[] = [];
  let chosenLonger = 0;
  let rejectedLonger = 0;
  for (const row of rows) {
    chosen.push(row.chosenLength);
    rejected.push(row.rejectedLength);
    diff.push(row.chosenLength - row.rejectedLength);
    if (row.chosenLength > row.rejectedLength) chosenLonger += 1;
    else if (row.chosenLength < row.rejectedLength) rejectedLonger += 1;
    if (row.margin !== null && Number.isFinite(row.margin)) margins.push(row.margin);
  }
  const pairs = chosen.length;
  const d = cohensD(chosen, rejected);
  const share = pairs === 0 ? null : chosenLonger / pairs;
  return {
    pairs,
    chosenLonger,
    rejectedLonger,
    sameLength: pairs - chosenLonger - rejectedLonger,
    shareChosenLonger: share,
    chosenLength: summarizeWithSd(chosen),
    rejectedLength: summarizeWithSd(rejected),
    lengthCohensD: d,
    lengthDifference: summarizeWithSd(diff),
    margin: summarizeWithSd(margins),
    verdict: verdict(share, d),
  };
}

/** Cohen's d with the pooled standard deviation; null when it is undefined. */
export function cohensD(a: readonly number[], b: readonly number[]): number | null {
  if (a.length < 2 || b.length < 2) return null;
  const ma = mean(a);
  const mb = mean(b);
  const va = variance(a, ma);
  const vb = variance(b, mb);
  const pooled = Math.sqrt(((a.length - 1) * va + (b.length - 1) * vb) / (a.length + b.length - 2));
  return pooled > 0 ? (ma - mb) / pooled : null;
}

/** `summarize` (count, mean, quantiles, extremes) plus the sample SD; null for an empty list. */
export function summarizeWithSd(values: readonly number[]): NumberSummary | null {
  const summary = summarize(values);
  if (summary === null) return null;
  return { ...summary, sd: values.length > 1 ? Math.sqrt(variance(values, summary.mean)) : 0 };
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

function variance(values: readonly number[], m: number): number {
  let sum = 0;
  for (const v of values) sum += (v - m) ** 2;
  return sum / (values.length - 1);
}

function verdict(share: number | null, d: number | null): string {
  if (share === null) return "no pairs";
  const pct = `${Math.round(share * 100)}%`;
  const dText = d === null ? "d undefined" : `d = ${d.toFixed(2)}`;
  const strength = d === null ? "unknown" : Math.abs(d) >= 0.8 ? "strong" : Math.abs(d) >= 0.5 ? "moderate" : Math.abs(d) >= 0.2 ? "weak" : "negligible";
  const direction = d === null || Math.abs(d) < 0.2 ? "" : d > 0 ? " towards longer chosen answers" : " towards shorter chosen answers";
  return `chosen is longer in ${pct} of pairs (${dText}): ${strength} length bias${direction}`;
}
