/**
 * @module eval/score/ruler-summary — LongWrite-Ruler's reading: output length against required length L
 * for each L, and the largest L the model still meets. "Meets" is defined as: the mean S_l over the
 * prompts at L is ≥ 80 (`maxRequiredLengthMet`); the stricter variant asks every prompt at L to reach
 * 80 (`maxRequiredLengthMetByEvery`). Both look at each L on its own, so a model that fails at 5,000 but
 * meets 10,000 reports 10,000; `maxContiguousLengthMet` is the largest L with every smaller L also met.
 */
import type { ScoredItem } from "./aggregate.js";
import { quantile } from "../../util/quantile.js";

/** The S_l threshold for "meets the required length". */
export const RULER_THRESHOLD = 80;

export interface RulerLengthRow {
  requiredLength: number;
  n: number;
  meanOutput: number;
  medianOutput: number;
  minOutput: number;
  maxOutput: number;
  meanLengthScore: number;
  minLengthScore: number;
  /** Mean S_l ≥ 80. */
  meets: boolean;
  /** Every prompt's S_l ≥ 80. */
  meetsEvery: boolean;
}

export interface RulerTable {
  rows: RulerLengthRow[];
  maxRequiredLengthMet: number | null;
  maxRequiredLengthMetByEvery: number | null;
  maxContiguousLengthMet: number | null;
  /** Longest output seen (countWords). */
  maxOutputLength: number;
}

export interface RulerSummary extends RulerTable {
  threshold: number;
  byLanguage: Record<string, RulerTable>;
}

const median = (sorted: readonly number[]): number => quantile(sorted, 0.5);

/** The per-L table over `items` (any language mix). */
export function rulerTable(items: readonly ScoredItem[], threshold = RULER_THRESHOLD): RulerTable {
  const byLength = new Map<number, ScoredItem[]>();
  for (const item of items) {
    let list = byLength.get(item.requiredLength);
    if (!list) byLength.set(item.requiredLength, (list = []));
    list.push(item);
  }
  const rows: RulerLengthRow[] = [...byLength.keys()]
    .sort((a, b) => a - b)
    .map((requiredLength) => {
      const group = byLength.get(requiredLength)!;
      const outputs = group.map((i) => i.outputLength).sort((a, b) => a - b);
      const scores = group.map((i) => i.lengthScore);
      const meanLengthScore = scores.reduce((a, b) => a + b, 0) / scores.length;
      const minLengthScore = Math.min(...scores);
      return {
        requiredLength,
        n: group.length,
        meanOutput: outputs.reduce((a, b) => a + b, 0) / outputs.length,
        medianOutput: median(outputs),
        minOutput: outputs[0]!,
        maxOutput: outputs[outputs.length - 1]!,
        meanLengthScore,
        minLengthScore,
        meets: meanLengthScore >= threshold,
        meetsEvery: minLengthScore >= threshold,
      };
    });
  let contiguous: number | null = null;
  for (const row of rows) {
    if (!row.meets) break;
    contiguous = row.requiredLength;
  }
  const last = (pick: (row: RulerLengthRow) => boolean): number | null =>
    rows.filter(pick).reduce<number | null>((max, row) => Math.max(max ?? 0, row.requiredLength), null);
  return {
    rows,
    maxRequiredLengthMet: last((r) => r.meets),
    maxRequiredLengthMetByEvery: last((r) => r.meetsEvery),
    maxContiguousLengthMet: contiguous,
    maxOutputLength: items.reduce((max, i) => Math.max(max, i.outputLength), 0),
  };
}

/** The ruler summary: overall and per output language. */
export function summarizeRuler(items: readonly ScoredItem[], threshold = RULER_THRESHOLD): RulerSummary {
  const byLanguage: Record<string, RulerTable> = {};
  for (const language of [...new Set(items.map((i) => i.language))].sort()) {
    byLanguage[language] = rulerTable(
      items.filter((i) => i.language === language),
      threshold,
    );
  }
  return { threshold, ...rulerTable(items, threshold), byLanguage };
}
