/**
 * @module eval/report-html — the evaluation report as one self-contained HTML page (inline CSS and
 * SVG, no scripts, no external requests): runs side by side, S / S_l / S_q overall and per length bucket,
 * per-dimension judge scores, language and type breakdowns, the required-vs-output scatter, the
 * LongWrite-Ruler table, and optionally the paper's published numbers, labelled as such.
 */
import type { EvalRun } from "./eval-run.js";
import { LENGTH_BUCKETS } from "./length-bucket.js";
import { PUBLISHED_NOTE, PUBLISHED_RESULTS, formatPublished } from "./published-results.js";
import type { GroupScores } from "./score/aggregate.js";
import { JUDGE_DIMENSIONS } from "../schemas/judgement.js";
import { TOOL_NAME, TOOL_VERSION } from "../version.js";
import { renderBarChartSvg } from "../report/bar-chart-svg.js";
import { renderHtmlTable, type HtmlCell } from "../report/html-table.js";
import { renderScatterSvg, SERIES_COLORS } from "../report/scatter-svg.js";
import { escapeXml, formatScore } from "../report/svg-text.js";
import { runDate } from "../util/run-date.js";

export interface ReportHtmlOptions {
  runs: readonly EvalRun[];
  /** Page title. @default "LongBench-Write evaluation report" */
  title?: string | undefined;
  /** Show the paper's published numbers as reference rows. @default false */
  published?: boolean | undefined;
  /** Clock seam for the "generated" line. */
  now?: (() => Date) | undefined;
}

const CSS = `
body{font:14px/1.45 Helvetica,Arial,sans-serif;color:#222;background:#fafafa;margin:0}
main{max-width:1180px;margin:0 auto;padding:24px 28px 48px;background:#fff}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
p.meta,p.note,caption{color:#555;font-size:12.5px}caption{caption-side:bottom;text-align:left;padding-top:4px}
table{border-collapse:collapse;margin:8px 0 4px;font-variant-numeric:tabular-nums}
th,td{border:1px solid #d8d8d8;padding:4px 8px;text-align:right;white-space:nowrap}
thead th{background:#f0f2f5;text-align:center}tbody th{text-align:left;font-weight:600}
tr.published th,tr.published td{color:#666;font-style:italic;background:#fbfbf4}
td.l{text-align:left}tr.alt th,tr.alt td{background:#f7f9fb}
td.bad{color:#b3261e}td.good{color:#1e6b30}
.swatch{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:6px;vertical-align:middle}
.charts{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}.charts svg{border:1px solid #e5e5e5}
.stack{display:flex;flex-direction:column;gap:16px}
`;

function scoreCell(value: number | null | undefined, title?: string): HtmlCell {
  return { text: formatScore(value), ...(title ? { title } : {}) };
}

/** Each run keeps one colour everywhere: its position among all runs of the report. */
type ColorOf = (run: EvalRun) => string;

function runLabelCell(run: EvalRun, colorOf: ColorOf): HtmlCell {
  return { html: runLabelHtml(run, colorOf(run)), className: "l" };
}

function runLabelHtml(run: EvalRun, color: string): string {
  return `<span class="swatch" style="background:${color}"></span>${escapeXml(run.label)}${run.complete ? "" : " <em>(incomplete)</em>"}`;
}

function groupTable(
  runs: readonly EvalRun[],
  colorOf: ColorOf,
  groups: (run: EvalRun) => Record<string, GroupScores>,
  caption: string,
  order?: readonly string[],
  groupName = "group",
): string {
  const names = order ? order.filter((name) => runs.some((run) => groups(run)[name])) : [];
  for (const run of runs) for (const name of Object.keys(groups(run))) if (!names.includes(name)) names.push(name);
  // One row per (group, run), so runs sit next to each other within a group and the table stays narrow.
  const rows: HtmlCell[][] = [];
  const rowClasses: (string | undefined)[] = [];
  names.forEach((name, gi) => {
    runs.forEach((run, ri) => {
      const g = groups(run)[name];
      rows.push([
        ri === 0 ? name : { text: "", className: "cont" },
        runLabelCell(run, colorOf),
        scoreCell(g?.lengthScore),
        scoreCell(g?.qualityScore),
        scoreCell(g?.overall),
        g ? String(g.n) : "–",
      ]);
      rowClasses.push(gi % 2 === 1 ? "alt" : undefined);
    });
  });
  return renderHtmlTable({ headers: [groupName, "run", "S_l", "S_q", "S", "n"], rows, rowClasses, caption });
}

/**
 * Renders the report page.
 *
 * @example writeFileAtomic("report.html", renderReportHtml({ runs: [run], published: true }));
 */
export function renderReportHtml(options: ReportHtmlOptions): string {
  const { runs, title = "LongBench-Write evaluation report", published = false } = options;
  const lbw = runs.filter((r) => r.benchmark === "longbench-write");
  const ruler = runs.filter((r) => r.benchmark === "ruler");
  const colorOf: ColorOf = (run) => SERIES_COLORS[runs.indexOf(run) % SERIES_COLORS.length]!;
  const body: string[] = [];
  body.push(`<h1>${escapeXml(title)}</h1>`);
  body.push(
    `<p class="meta">Generated ${escapeXml((options.now?.() ?? runDate()).toISOString())} by ${escapeXml(TOOL_NAME)} ${escapeXml(TOOL_VERSION)} · ${runs.length} run${runs.length === 1 ? "" : "s"}</p>`,
  );

  // Runs.
  body.push(`<section id="runs"><h2>Runs</h2>`);
  body.push(
    renderHtmlTable({
      headers: ["run", "benchmark", "model", "judge", "prompts", "lang", "source", "bench file", "status", "created"],
      rows: runs.map((run) => [
        runLabelCell(run, colorOf),
        { text: run.benchmark, className: "l" },
        run.model ?? "–",
        run.judgeModel ?? (run.settings.judge ? "from predictions" : "none"),
        String(run.items.length),
        run.settings.lang,
        run.settings.source,
        {
          text: `${run.bench.sha256.slice(0, 12)}${run.bench.matchesUpstream === true ? " (upstream)" : run.bench.matchesUpstream === false ? " (modified)" : ""}`,
          title: run.bench.file,
        },
        run.complete
          ? { text: run.truncated ? `complete, ${run.truncated} cut at max_tokens` : "complete", className: "good" }
          : {
              text: `${run.failures.length} failed`,
              className: "bad",
              title: run.failures
                .slice(0, 5)
                .map((f) => `${f.id}: ${f.message}`)
                .join("\n"),
            },
        run.createdAt.slice(0, 19).replace("T", " "),
      ]),
    }),
  );
  body.push(`</section>`);

  if (lbw.length > 0 || published) {
    // Overall, with published rows.
    body.push(`<section id="overall"><h2>LongBench-Write: overall</h2>`);
    const rows: HtmlCell[][] = lbw.map((run) => [
      runLabelCell(run, colorOf),
      scoreCell(run.summary.overall.overall),
      scoreCell(run.summary.overall.lengthScore),
      scoreCell(run.summary.overall.qualityScore),
      String(run.summary.overall.n),
      run.settings.judge ? `${run.summary.overall.judged}` : "–",
      run.settings.judge ? String(run.summary.overall.unparseable) : "–",
    ]);
    const rowClasses: (string | undefined)[] = lbw.map(() => undefined);
    if (published) {
      for (const p of PUBLISHED_RESULTS) {
        rows.push([
          { text: `${p.model} — published, not measured`, title: p.source },
          formatPublished(p.overall, p.provenance.overall),
          formatPublished(p.lengthScore, p.provenance.lengthScore),
          formatPublished(p.qualityScore, p.provenance.qualityScore),
          "",
          "",
          "",
        ]);
        rowClasses.push("published");
      }
    }
    body.push(
      renderHtmlTable({
        headers: ["run", "S", "S_l", "S_q", "n", "judged", "unparseable"],
        rows,
        rowClasses,
        caption:
          "S_l: mean length score over all items (Eq. 1). S_q: per-dimension mean of the judge's 1–5 scores over judged items, mapped (m − 1) × 25, averaged over the six dimensions; unparseable judgements are dropped. S = (S_l + S_q) / 2.",
      }),
    );
    if (published) body.push(`<p class="note">${escapeXml(PUBLISHED_NOTE)}</p>`);
    body.push(`</section>`);
  }

  if (runs.length > 0) {
    // The scatter and the per-bucket bars side by side: the page's first screen shows both.
    body.push(`<section id="scatter"><h2>Length adherence</h2><div class="charts">`);
    body.push(
      renderScatterSvg({
        title: "Required vs output length (log-log)",
        series: runs.map((run) => ({
          name: run.label,
          color: colorOf(run),
          points: run.items.map((item) => ({
            x: item.requiredLength,
            y: item.outputLength,
            label: `${run.label}: required ${item.requiredLength}, output ${item.outputLength}, S_l ${item.lengthScore.toFixed(1)} — ${item.prompt.slice(0, 80)}`,
          })),
        })),
        range: [50, Math.max(25000, ...runs.flatMap((r) => r.items.map((i) => i.requiredLength)))],
        width: 560,
        height: 520,
      }),
    );
    if (lbw.length > 0) {
      body.push(`<div class="stack">`);
      body.push(
        renderBarChartSvg({
          title: "S_l by required length",
          categories: LENGTH_BUCKETS,
          series: lbw.map((run) => ({ name: run.label, color: colorOf(run), values: LENGTH_BUCKETS.map((b) => run.summary.byBucket[b]?.lengthScore ?? null) })),
          width: 540,
          height: 252,
        }),
      );
      if (lbw.some((r) => r.summary.overall.qualityScore !== null)) {
        body.push(
          renderBarChartSvg({
            title: "S_q by required length",
            categories: LENGTH_BUCKETS,
            series: lbw.map((run) => ({
              name: run.label,
              color: colorOf(run),
              values: LENGTH_BUCKETS.map((b) => run.summary.byBucket[b]?.qualityScore ?? null),
            })),
            width: 540,
            height: 252,
          }),
        );
      }
      body.push(`</div>`);
    }
    body.push(
      `</div><p class="note">Scatter: points on the dashed line have exactly the required length; the shaded band is where S_l ≥ 80; hover a point for its prompt.</p></section>`,
    );
  }

  if (lbw.length > 0) {
    body.push(`<section id="buckets"><h2>LongBench-Write: by required length</h2>`);
    body.push(
      groupTable(
        lbw,
        colorOf,
        (r) => r.summary.byBucket,
        "Buckets [0,500), [500,2k), [2k,4k), [4k,20k] of the required length (the 20,000-word prompt is in the last).",
        LENGTH_BUCKETS,
        "required length",
      ),
    );
    body.push(`</section>`);
  }

  const judged = lbw.filter((r) => r.summary.overall.dimensions !== null);
  if (judged.length > 0) {
    body.push(`<section id="dimensions"><h2>Judge scores per dimension</h2>`);
    body.push(
      renderHtmlTable({
        headers: ["run", ...JUDGE_DIMENSIONS, "S_q"],
        rows: judged.map((run) => [
          runLabelCell(run, colorOf),
          ...JUDGE_DIMENSIONS.map((d) => scoreCell(run.summary.overall.dimensions?.[d])),
          scoreCell(run.summary.overall.qualityScore),
        ]),
        caption: "Each dimension: (mean 1–5 score over judged items − 1) × 25.",
      }),
    );
    body.push(`</section>`);
  }

  if (lbw.length > 0) {
    body.push(`<section id="language"><h2>By output language</h2>`);
    body.push(
      groupTable(
        lbw,
        colorOf,
        (r) => r.summary.byLanguage,
        "The English set is the prompts of longbench_write_en.jsonl; the rest are Chinese.",
        ["en", "zh"],
        "language",
      ),
    );
    body.push(`</section><section id="type"><h2>By type</h2>`);
    body.push(groupTable(lbw, colorOf, (r) => r.summary.byType, "Prompt categories as labelled in the benchmark.", undefined, "type"));
    body.push(`</section>`);
  }

  if (ruler.length > 0) {
    body.push(`<section id="ruler"><h2>LongWrite-Ruler</h2>`);
    const lengths = [...new Set(ruler.flatMap((r) => r.ruler?.rows.map((row) => row.requiredLength) ?? []))].sort((a, b) => a - b);
    body.push(
      renderHtmlTable({
        headers: ["run", ...lengths.map((L) => `L = ${L}`), "max L met", "max L met (every prompt)", "longest output"],
        rows: ruler.map((run) => [
          runLabelCell(run, colorOf),
          ...lengths.map((L): HtmlCell => {
            const row = run.ruler?.rows.find((x) => x.requiredLength === L);
            if (!row) return "–";
            return {
              text: `${Math.round(row.meanOutput)} · ${formatScore(row.meanLengthScore)}`,
              className: row.meets ? "good" : "bad",
              title: `mean output ${row.meanOutput.toFixed(0)} (min ${row.minOutput}, max ${row.maxOutput}); mean S_l ${row.meanLengthScore.toFixed(1)}, min ${row.minLengthScore.toFixed(1)}`,
            };
          }),
          String(run.ruler?.maxRequiredLengthMet ?? "none"),
          String(run.ruler?.maxRequiredLengthMetByEvery ?? "none"),
          String(run.ruler?.maxOutputLength ?? "–"),
        ]),
        caption:
          "Cells: mean output length · mean S_l of the prompts at L. Max L met: the largest L whose prompts reach a mean S_l ≥ 80 (second column: every prompt ≥ 80).",
      }),
    );
    body.push(`</section>`);
  }

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body.join("\n")}
</main>
</body>
</html>
`;
}
