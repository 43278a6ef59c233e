import { describe, expect, it } from "vitest";
import { sampleEvalRun } from "../../test/helpers/sample-eval-run.js";
import { PUBLISHED_RESULTS } from "./published-results.js";
import { renderReportHtml } from "./report-html.js";
import { renderScatterSvg } from "../report/scatter-svg.js";
import { renderScoresMarkdown } from "./scores-markdown.js";
import { markdownTable } from "../util/markdown-table.js";

const a = sampleEvalRun({ label: "model-a", seed: 1, plateau: 2500, quality: 4, unparseableEvery: 17 });
const b = sampleEvalRun({ label: "model-b <x>", seed: 2, plateau: 12000, quality: 3.5 });
const ruler = sampleEvalRun({ label: "model-b ruler", seed: 3, plateau: 6000, quality: 3, benchmark: "ruler" });
const now = () => new Date("2026-11-30T00:00:00Z");

describe("renderReportHtml", () => {
  const html = renderReportHtml({ runs: [a, b, ruler], published: true, now });

  it("is one self-contained page: inline CSS and SVG, no scripts, no external resources", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("<style>");
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(http|(src|href)="/);
  });

  it("shows the scatter with y = x, bucket bars and the tables for every run side by side", () => {
    expect(html).toContain('class="scatter"');
    expect(html).toContain('class="identity"');
    expect(html.match(/<g class="series"/g)).toHaveLength(3);
    expect(html).toContain("S_l by required length");
    for (const id of ["runs", "overall", "buckets", "scatter", "dimensions", "language", "type", "ruler"]) expect(html).toContain(`<section id="${id}">`);
    expect(html).toContain(a.summary.overall.overall!.toFixed(1));
    expect(html).toContain(b.summary.byBucket["[4k,20k]"]!.lengthScore!.toFixed(1));
    expect(html).toContain("model-b &lt;x&gt;"); // labels are escaped
    expect(html).toContain("Breadth and Depth");
  });

  it("labels the paper's numbers as published, not measured, with the recall note", () => {
    expect(html.match(/published, not measured/g)!.length).toBeGreaterThanOrEqual(PUBLISHED_RESULTS.length);
    expect(html).toContain("80.5"); // LongWriter-9B S
    expect(html).toContain("65.3*"); // GPT-4o S_l, recalled
    expect(html).toContain("recalled from the paper and unverified");
    expect(renderReportHtml({ runs: [a], now })).not.toContain("published, not measured");
  });

  it("gives the ruler table with the largest L met", () => {
    expect(html).toContain("L = 30000");
    expect(html).toContain(`<td>${ruler.ruler!.maxRequiredLengthMet ?? "none"}</td>`);
  });

  it("is deterministic", () => {
    expect(renderReportHtml({ runs: [a, b, ruler], published: true, now })).toBe(html);
  });
});

describe("renderScatterSvg", () => {
  it("draws empty outputs on the bottom edge and counts them", () => {
    const svg = renderScatterSvg({
      title: "t",
      series: [
        {
          name: "s",
          points: [
            { x: 1000, y: 0 },
            { x: 100, y: 150 },
          ],
        },
      ],
    });
    expect(svg).toContain('fill="none"');
    expect(svg).toContain("1 empty output on the bottom edge");
    expect(svg.match(/<circle/g)!.length).toBeGreaterThanOrEqual(2);
  });
});

describe("Markdown", () => {
  it("escapes cells and aligns numbers right", () => {
    expect(markdownTable(["a", "b"], [["x|y", "1"]])).toBe("| a | b |\n|:--|--:|\n| x\\|y | 1 |\n");
  });

  it("tables LongBench-Write per bucket and the ruler per L, with published rows on request", () => {
    const md = renderScoresMarkdown({ runs: [a, ruler], published: true });
    expect(md).toContain(`| model-a | ${a.summary.overall.overall!.toFixed(1)} | ${a.summary.overall.lengthScore!.toFixed(1)} |`);
    expect(md).toContain("| LongWriter-9B (published, not measured) | 80.5 | 78.6 | 82.3 |");
    expect(md).toContain("### LongWrite-Ruler");
    expect(md).toContain("L=20000");
    expect(md).toMatch(/dropped from S_q/);
  });
});
