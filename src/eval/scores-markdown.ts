/**
 * @module eval/scores-markdown — the run tables as Markdown for pasting into a README or an issue:
 * LongBench-Write S / S_l / S_q overall and per length bucket (optionally with the paper's published
 * rows, marked), and LongWrite-Ruler mean output and S_l per required length.
 */
import type { EvalRun } from "./eval-run.js";
import { LENGTH_BUCKETS } from "./length-bucket.js";
import { PUBLISHED_NOTE, PUBLISHED_RESULTS, formatPublished } from "./published-results.js";
import { markdownTable } from "../util/markdown-table.js";
import { formatScore } from "../report/svg-text.js";

export interface ScoresMarkdownOptions {
  runs: readonly EvalRun[];
  /** Add the paper's published rows (labelled). @default false */
  published?: boolean | undefined;
}

/** LongBench-Write table rows: label, S, S_l, S_q, then S_l and S_q per bucket, n, judged. */
export function longBenchWriteRows(runs: readonly EvalRun[]): string[][] {
  return runs.map((run) => {
    const s = run.summary;
    const cells = [
      `${run.label}${run.complete ? "" : " (incomplete)"}`,
      formatScore(s.overall.overall),
      formatScore(s.overall.lengthScore),
      formatScore(s.overall.qualityScore),
    ];
    for (const bucket of LENGTH_BUCKETS) {
      cells.push(formatScore(s.byBucket[bucket]?.lengthScore), formatScore(s.byBucket[bucket]?.qualityScore));
    }
    cells.push(String(s.overall.n), s.overall.judged + s.overall.unparseable > 0 ? `${s.overall.judged}/${s.overall.n}` : "–");
    return cells;
  });
}

export const LONGBENCH_WRITE_HEADERS = ["run", "S", "S_l", "S_q", ...LENGTH_BUCKETS.flatMap((b) => [`S_l ${b}`, `S_q ${b}`]), "n", "judged"];

/** Renders the Markdown for a set of runs (LongBench-Write and ruler runs each get their own table). */
export function renderScoresMarkdown({ runs, published = false }: ScoresMarkdownOptions): string {
  const parts: string[] = [];
  const lbw = runs.filter((r) => r.benchmark === "longbench-write");
  if (lbw.length > 0 || published) {
    parts.push("### LongBench-Write\n");
    const rows = longBenchWriteRows(lbw);
    if (published) {
      for (const p of PUBLISHED_RESULTS) {
        rows.push([
          `${p.model} (published, not measured)`,
          formatPublished(p.overall, p.provenance.overall),
          formatPublished(p.lengthScore, p.provenance.lengthScore),
          formatPublished(p.qualityScore, p.provenance.qualityScore),
          ...LENGTH_BUCKETS.flatMap(() => ["", ""]),
          "",
          "",
        ]);
      }
    }
    parts.push(markdownTable(LONGBENCH_WRITE_HEADERS, rows));
    const unparseable = lbw.filter((r) => r.summary.overall.unparseable > 0);
    for (const run of unparseable) {
      parts.push(`\n${run.label}: ${run.summary.overall.unparseable} judgement(s) never parsed and were dropped from S_q.\n`);
    }
    for (const run of lbw.filter((r) => (r.summary.overall.judgeFailed ?? 0) > 0)) {
      parts.push(`\n${run.label}: ${run.summary.overall.judgeFailed} item(s) have no verdict (the judge call failed in transport); re-run to judge them.\n`);
    }
    if (published) parts.push(`\n${PUBLISHED_NOTE}\n`);
  }
  const ruler = runs.filter((r) => r.benchmark === "ruler" && r.ruler);
  if (ruler.length > 0) {
    const lengths = [...new Set(ruler.flatMap((r) => r.ruler!.rows.map((row) => row.requiredLength)))].sort((a, b) => a - b);
    parts.push(`${parts.length > 0 ? "\n" : ""}### LongWrite-Ruler (mean output length, mean S_l)\n`);
    const rows = ruler.map((run) => [
      run.label,
      ...lengths.map((L) => {
        const row = run.ruler!.rows.find((x) => x.requiredLength === L);
        return row ? `${Math.round(row.meanOutput)} (${formatScore(row.meanLengthScore)})` : "–";
      }),
      run.ruler!.maxRequiredLengthMet === null ? "none" : String(run.ruler!.maxRequiredLengthMet),
      String(run.ruler!.maxOutputLength),
    ]);
    parts.push(markdownTable(["run", ...lengths.map((L) => `L=${L}`), "max L met (mean S_l ≥ 80)", "longest output"], rows));
  }
  return parts.join("");
}
