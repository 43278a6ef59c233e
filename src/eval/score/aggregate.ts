/**
 * @module eval/score/aggregate — LongBench-Write's numbers from scored items: S_l is the plain mean of
 * per-item length scores; S_q maps each judge dimension's mean over the judged items onto 0–100 with
 * (m − 1) × 25 and averages the six; S = (S_l + S_q) / 2. Broken down by length bucket, language, type.
 */
import type { UpstreamScores } from "../../judge/upstream-judge-reply.js";
import { JUDGE_DIMENSIONS, type JudgeDimension } from "../../schemas/judgement.js";
import { LENGTH_BUCKETS } from "../length-bucket.js";

/** One benchmark item after generation (and judging, when on). */
export interface ScoredItem {
  id: string;
  prompt: string;
  type: string;
  language: string;
  bucket: string;
  requiredLength: number;
  /** countWords(response). */
  outputLength: number;
  /** S_l of this item, 0–100. */
  lengthScore: number;
  /**
   * Judge verdict: scores when the reply parsed (as numbers; an imported row may lack a dimension);
   * "unparseable" when it never did (dropped from S_q and counted); "failed" when the judge call failed
   * in transport (no verdict: not in S_q, listed as a failure, still in S_l); "skipped" when no judge ran.
   */
  judge:
    | { status: "scored"; scores: UpstreamScores }
    | { status: "unparseable"; reason: string }
    | { status: "failed"; reason: string }
    | { status: "skipped" };
}

/** The numbers for one group of items. */
export interface GroupScores {
  /** Items in the group. */
  n: number;
  /** Mean S_l over all items in the group. */
  lengthScore: number | null;
  /** S_q (benchmark aggregation) over the judged items; null when none was judged. */
  qualityScore: number | null;
  /** (S_l + S_q) / 2; null without S_q. */
  overall: number | null;
  /** Items whose judgement parsed (the S_q denominator). */
  judged: number;
  /** Items whose judgement never parsed (dropped from S_q). */
  unparseable: number;
  /** Items whose judge call failed in transport (no verdict; in S_l, not in S_q; the run is incomplete). */
  judgeFailed: number;
  /** Per dimension: (mean score − 1) × 25 over the judged items, a missing dimension counting 3 (as upstream). */
  dimensions: Record<JudgeDimension, number> | null;
  /** Mean required and output length, for the tables. */
  meanRequired: number | null;
  meanOutput: number | null;
}

export interface BenchmarkSummary {
  overall: GroupScores;
  byBucket: Record<string, GroupScores>;
  byLanguage: Record<string, GroupScores>;
  byType: Record<string, GroupScores>;
}

/** What upstream's aggregation counts for a dimension a verdict lacks. */
export const MISSING_DIMENSION_SCORE = 3;

function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Scores of one group of items. */
export function scoreGroup(items: readonly ScoredItem[]): GroupScores {
  const judged: UpstreamScores[] = [];
  let unparseable = 0;
  let judgeFailed = 0;
  for (const item of items) {
    if (item.judge.status === "scored") judged.push(item.judge.scores);
    else if (item.judge.status === "unparseable") unparseable += 1;
    else if (item.judge.status === "failed") judgeFailed += 1;
  }
  let dimensions: Record<JudgeDimension, number> | null = null;
  let qualityScore: number | null = null;
  if (judged.length > 0) {
    const dims = {} as Record<JudgeDimension, number>;
    for (const dim of JUDGE_DIMENSIONS) dims[dim] = (mean(judged.map((s) => s[dim] ?? MISSING_DIMENSION_SCORE))! - 1) * 25;
    dimensions = dims;
    qualityScore = mean(JUDGE_DIMENSIONS.map((dim) => dims[dim]));
  }
  const lengthScore = mean(items.map((item) => item.lengthScore));
  return {
    n: items.length,
    lengthScore,
    qualityScore,
    overall: lengthScore !== null && qualityScore !== null ? (lengthScore + qualityScore) / 2 : null,
    judged: judged.length,
    unparseable,
    judgeFailed,
    dimensions,
    meanRequired: mean(items.map((item) => item.requiredLength)),
    meanOutput: mean(items.map((item) => item.outputLength)),
  };
}

function groupBy(items: readonly ScoredItem[], key: (item: ScoredItem) => string, order: readonly string[] = []): Record<string, GroupScores> {
  const groups = new Map<string, ScoredItem[]>();
  for (const name of order) groups.set(name, []);
  for (const item of items) {
    const name = key(item);
    let list = groups.get(name);
    if (!list) groups.set(name, (list = []));
    list.push(item);
  }
  const out: Record<string, GroupScores> = {};
  for (const [name, list] of groups) if (list.length > 0) out[name] = scoreGroup(list);
  return out;
}

/**
 * Aggregates scored items the way LongBench-Write reports them: overall, per length bucket (in bucket
 * order), per output language and per type (each in order of first appearance).
 */
export function aggregateScores(items: readonly ScoredItem[]): BenchmarkSummary {
  return {
    overall: scoreGroup(items),
    byBucket: groupBy(items, (item) => item.bucket, LENGTH_BUCKETS),
    byLanguage: groupBy(items, (item) => item.language, ["en", "zh"]),
    byType: groupBy(items, (item) => item.type),
  };
}
