/**
 * @module report/bar-chart-svg — grouped bars on a 0–100 scale (e.g. S_l per length bucket, one bar per
 * run). A standalone, deterministic SVG string; missing values leave a gap marked "–".
 */
import { SERIES_COLORS } from "./scatter-svg.js";
import { escapeXml, fmtNumber, svgChartStart } from "./svg-text.js";

export interface BarChartSvgOptions {
  title: string;
  /** Group labels along x (e.g. the length buckets). */
  categories: readonly string[];
  /** One bar per series in each group; `values[i]` belongs to `categories[i]`. */
  series: readonly { name: string; values: readonly (number | null)[]; color?: string }[];
  /** @default "score (0–100)" */
  yLabel?: string | undefined;
  /** @default 100 */
  max?: number | undefined;
  /** @default 640 */
  width?: number | undefined;
  /** @default 320 */
  height?: number | undefined;
}

const MARGIN = { top: 44, right: 16, bottom: 64, left: 52 };

/** Renders grouped bars with value labels and a legend. */
export function renderBarChartSvg(options: BarChartSvgOptions): string {
  const { title, categories, series, yLabel = "score (0–100)", max = 100, width = 640, height = 320 } = options;
  const f = fmtNumber;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const x0 = MARGIN.left;
  const y0 = MARGIN.top + plotH;
  const sy = (v: number) => y0 - (Math.max(0, Math.min(max, v)) / max) * plotH;
  const groupW = plotW / Math.max(1, categories.length);
  const barW = Math.max(2, Math.min(36, (groupW * 0.8) / Math.max(1, series.length)));
  const out: string[] = [];
  out.push(...svgChartStart({ width, height, title, className: "bars", titleY: 24, titleSize: 15 }));
  out.push(`<g class="grid" stroke="#e3e3e3">`);
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1].map((t) => t * max);
  for (const t of ticks) out.push(`<line x1="${x0}" y1="${f(sy(t))}" x2="${x0 + plotW}" y2="${f(sy(t))}"/>`);
  out.push(`</g><g class="y-ticks" fill="#333333" text-anchor="end">`);
  for (const t of ticks) out.push(`<text x="${x0 - 6}" y="${f(sy(t) + 4)}">${f(t)}</text>`);
  out.push(`</g>`);
  categories.forEach((category, ci) => {
    const groupLeft = x0 + ci * groupW + (groupW - barW * series.length) / 2;
    series.forEach((s, si) => {
      const color = s.color ?? SERIES_COLORS[si % SERIES_COLORS.length]!;
      const value = s.values[ci];
      const x = groupLeft + si * barW;
      if (value === null || value === undefined || !Number.isFinite(value)) {
        out.push(`<text x="${f(x + barW / 2)}" y="${y0 - 4}" text-anchor="middle" fill="#999999">–</text>`);
        return;
      }
      const top = sy(value);
      out.push(
        `<rect x="${f(x)}" y="${f(top)}" width="${f(barW - 1)}" height="${f(y0 - top)}" fill="${color}"><title>${escapeXml(`${s.name} · ${category}: ${value.toFixed(1)}`)}</title></rect>`,
      );
      if (barW >= 18) out.push(`<text x="${f(x + barW / 2)}" y="${f(top - 3)}" text-anchor="middle" font-size="10" fill="#333333">${value.toFixed(0)}</text>`);
    });
    out.push(`<text x="${f(x0 + ci * groupW + groupW / 2)}" y="${y0 + 17}" text-anchor="middle" fill="#333333">${escapeXml(category)}</text>`);
  });
  out.push(
    `<g class="axes" stroke="#333333"><line x1="${x0}" y1="${y0}" x2="${x0 + plotW}" y2="${y0}"/><line x1="${x0}" y1="${MARGIN.top}" x2="${x0}" y2="${y0}"/></g>`,
  );
  const midY = f(MARGIN.top + plotH / 2);
  out.push(`<text x="14" y="${midY}" text-anchor="middle" transform="rotate(-90 14 ${midY})">${escapeXml(yLabel)}</text>`);
  const legend = series.map((s, si) => {
    const color = s.color ?? SERIES_COLORS[si % SERIES_COLORS.length]!;
    return `<g transform="translate(${x0 + si * 150} ${height - 18})"><rect x="0" y="-9" width="10" height="10" fill="${color}"/><text x="14" y="0">${escapeXml(s.name.length > 20 ? `${s.name.slice(0, 19)}…` : s.name)}</text></g>`;
  });
  out.push(`<g class="legend" fill="#222222">${legend.join("")}</g>`);
  out.push(`</svg>`);
  return `${out.join("\n")}\n`;
}
