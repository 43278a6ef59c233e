/** @module stats/render-stats-table — the human-readable report of `longwriter stats` (plain text). */
import type { DatasetStats } from "./dataset-stats.js";
import type { Bucket, Summary } from "./summarize.js";

export interface StatsTableInput {
  stats: DatasetStats;
  /** Input path and detected format(s), for the header. */
  file: string;
  formats: string[];
  skipped?: number;
}

const BAR_WIDTH = 30;

function num(value: number, digits = 0): string {
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function pct(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function range(bucket: Bucket, unit = ""): string {
  const k = (v: number) => (v >= 1000 && v % 1000 === 0 ? `${v / 1000}k` : String(v));
  return bucket.upper === null ? `≥ ${k(bucket.lower)}${unit}` : `${k(bucket.lower)}–${k(bucket.upper)}${unit}`;
}

function summaryLine(s: Summary): string {
  return `mean ${num(s.mean, 1)} · median ${num(s.median)} · p10 ${num(s.p10)} · p90 ${num(s.p90)} · min ${num(s.min)} · max ${num(s.max)}`;
}

function bucketLines(buckets: Bucket[]): string[] {
  const most = Math.max(1, ...buckets.map((b) => b.count));
  return buckets.map((b) => {
    const bar = "█".repeat(Math.round((b.count / most) * BAR_WIDTH));
    return `  ${range(b).padEnd(12)} ${num(b.count).padStart(9)}  ${pct(b.share).padStart(6)}  ${bar}`;
  });
}

/** Renders the stats as an aligned plain-text report. */
export function renderStatsTable({ stats, file, formats, skipped = 0 }: StatsTableInput): string {
  const lines: string[] = [];
  const row = (label: string, value: string) => lines.push(`${label.padEnd(16)}${value}`);
  row("file", `${file}${formats.length ? ` (${formats.join(", ")})` : ""}`);
  const kinds = { sft: "SFT records", preference: "preference pairs", candidates: "candidates" } as const;
  row("rows", `${num(stats.rows)}${stats.kind ? ` ${kinds[stats.kind]}` : ""}${skipped ? ` (+${num(skipped)} skipped as invalid)` : ""}`);
  if (stats.rows === 0) return `${lines.join("\n")}\n`;
  const candidates = stats.candidates;
  if (candidates) {
    row("prompts", `${num(candidates.prompts)} (${num(stats.rows / Math.max(1, candidates.prompts), 1)} candidates each)`);
    row(
      "judged",
      `${num(candidates.judged)} (${pct(candidates.judged / stats.rows)})${candidates.quality ? ` · quality ${summaryLine(candidates.quality)}` : ""}`,
    );
  } else {
    row("system prompt", `${num(stats.withSystem)} (${pct(stats.withSystem / stats.rows)})`);
    row("multi-turn", `${num(stats.multiTurn)} (${pct(stats.multiTurn / stats.rows)})`);
  }
  row(
    "languages",
    Object.entries(stats.languages)
      .map(([lang, n]) => `${lang} ${num(n)} (${pct(n / stats.rows)})`)
      .join(", "),
  );
  lines.push("", `length of the ${stats.measured}`);
  if (stats.words) row("  words", summaryLine(stats.words));
  if (stats.tokens) row(`  tokens`, `${summaryLine(stats.tokens)}  [${stats.tokens.tokenizer}]`);
  row("  over", stats.over.map((o) => `${num(o.words)} words: ${num(o.count)} (${pct(o.share)})`).join(" · "));
  lines.push("", "words (countWords, LongBench-Write's length)", ...bucketLines(stats.wordBuckets));
  if (stats.tokens && stats.tokenBuckets) lines.push("", `tokens (${stats.tokens.tokenizer})`, ...bucketLines(stats.tokenBuckets));
  const req = stats.requiredLength;
  lines.push("", candidates ? "required length (as `sample` recorded it)" : "required length (stated in the last user prompt)");
  row("  stated", `${num(req.stated)} of ${num(stats.rows)} (${pct(req.share)})`);
  if (req.required) row("  required", summaryLine(req.required));
  if (req.sl) {
    row("  S_l", `${summaryLine(req.sl)}  (LongWriter Eq. 1, 0–100)`);
    lines.push(...bucketLines(req.slBuckets));
  }
  return `${lines.join("\n")}\n`;
}
