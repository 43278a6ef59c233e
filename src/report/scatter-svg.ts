/**
 * @module report/scatter-svg — required vs output length on log-log axes, one colour per run, with the
 * y = x line and the band where S_l ≥ 80 (0.714·l ≤ l' ≤ 1.6·l). A standalone, deterministic SVG string.
 */
import { formatTick } from "./histogram-svg.js";
import { escapeXml, fmtNumber, svgChartStart } from "./svg-text.js";

export interface ScatterPoint {
  /** Required length (x). */
  x: number;
  /** Output length (y); 0 is drawn on the bottom edge as a hollow marker. */
  y: number;
  /** Tooltip text. */
  label?: string;
}

export interface ScatterSeries {
  name: string;
  points: readonly ScatterPoint[];
  /** @default a colour from the palette by series index */
  color?: string;
}

export interface ScatterSvgOptions {
  title: string;
  series: readonly ScatterSeries[];
  /** @default "required length" */
  xLabel?: string | undefined;
  /** @default "output length" */
  yLabel?: string | undefined;
  /** Axis range (both axes); widened to fit the data. @default [50, 25000], as the benchmark's plot */
  range?: readonly [number, number] | undefined;
  /** Shade the S_l ≥ 80 band. @default true */
  band?: boolean | undefined;
  /** @default 640 */
  width?: number | undefined;
  /** @default 560 */
  height?: number | undefined;
}

/** Colour-blind-friendly palette (Tableau 10), used in order for runs. */
export const SERIES_COLORS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

const MARGIN = { top: 44, right: 20, bottom: 56, left: 64 };

/** Powers of ten and their 2× / 5× multiples inside [lo, hi]. */
function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let p = Math.floor(Math.log10(lo)); p <= Math.ceil(Math.log10(hi)); p++) {
    for (const m of [1, 2, 5]) {
      const t = Number((m * 10 ** p).toPrecision(12));
      if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) ticks.push(t);
    }
  }
  return ticks;
}

/**
 * Renders the length-adherence scatter as a self-contained SVG document.
 *
 * @example renderScatterSvg({ title: "Required vs output length", series: [{ name: "run", points }] })
 */
export function renderScatterSvg(options: ScatterSvgOptions): string {
  const { title, series, xLabel = "required length", yLabel = "output length", band = true, width = 640, height = 560 } = options;
  let [lo, hi] = options.range ?? [50, 25000];
  for (const s of series) {
    for (const p of s.points) {
      if (p.x > 0) {
        lo = Math.min(lo, p.x);
        hi = Math.max(hi, p.x);
      }
      if (p.y > 0) {
        lo = Math.min(lo, p.y);
        hi = Math.max(hi, p.y);
      }
    }
  }
  lo = 10 ** (Math.floor(Math.log10(lo) * 4) / 4);
  hi = 10 ** (Math.ceil(Math.log10(hi) * 4) / 4);
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const x0 = MARGIN.left;
  const y0 = MARGIN.top + plotH;
  const llo = Math.log10(lo);
  const lhi = Math.log10(hi);
  const sx = (v: number) => x0 + ((Math.log10(v) - llo) / (lhi - llo)) * plotW;
  const sy = (v: number) => y0 - ((Math.log10(v) - llo) / (lhi - llo)) * plotH;
  const f = fmtNumber;

  const out: string[] = [];
  out.push(...svgChartStart({ width, height, title, className: "scatter", titleY: 26, titleSize: 15 }));
  out.push(`<defs><clipPath id="plot-area"><rect x="${x0}" y="${MARGIN.top}" width="${plotW}" height="${plotH}"/></clipPath></defs>`);

  const ticks = logTicks(lo, hi);
  out.push(`<g class="grid" stroke="#e3e3e3">`);
  for (const t of ticks) {
    out.push(`<line x1="${f(sx(t))}" y1="${MARGIN.top}" x2="${f(sx(t))}" y2="${y0}"/>`);
    out.push(`<line x1="${x0}" y1="${f(sy(t))}" x2="${x0 + plotW}" y2="${f(sy(t))}"/>`);
  }
  out.push(`</g>`);

  if (band) {
    // S_l >= 80 ⇔ l/1.4 <= l' <= 1.6·l: a parallel band around y = x in log space.
    const a = lo;
    const b = hi;
    const poly = [
      [a, a * 1.6],
      [b, b * 1.6],
      [b, b / 1.4],
      [a, a / 1.4],
    ]
      .map(([x, y]) => `${f(sx(x!))},${f(sy(y!))}`)
      .join(" ");
    out.push(`<polygon class="band" points="${poly}" fill="#59a14f" fill-opacity="0.12" clip-path="url(#plot-area)"><title>S_l ≥ 80</title></polygon>`);
  }
  out.push(
    `<line class="identity" x1="${f(sx(lo))}" y1="${f(sy(lo))}" x2="${f(sx(hi))}" y2="${f(sy(hi))}" stroke="#555555" stroke-width="1.2" stroke-dasharray="6 4"/>`,
  );

  let zeros = 0;
  series.forEach((s, index) => {
    const color = s.color ?? SERIES_COLORS[index % SERIES_COLORS.length]!;
    out.push(`<g class="series" data-name="${escapeXml(s.name)}" fill="${color}" stroke="${color}">`);
    for (const p of s.points) {
      if (!(p.x > 0)) continue;
      const tip = p.label ?? `required ${p.x}, output ${p.y}`;
      if (p.y > 0) {
        out.push(`<circle cx="${f(sx(p.x))}" cy="${f(sy(p.y))}" r="3.5" fill-opacity="0.7" stroke-opacity="0.9"><title>${escapeXml(tip)}</title></circle>`);
      } else {
        zeros += 1;
        out.push(`<circle cx="${f(sx(p.x))}" cy="${y0}" r="3.5" fill="none" stroke-width="1.2"><title>${escapeXml(tip)}</title></circle>`);
      }
    }
    out.push(`</g>`);
  });

  out.push(
    `<g class="axes" stroke="#333333"><line x1="${x0}" y1="${y0}" x2="${x0 + plotW}" y2="${y0}"/><line x1="${x0}" y1="${MARGIN.top}" x2="${x0}" y2="${y0}"/></g>`,
  );
  out.push(`<g class="ticks" fill="#333333">`);
  for (const t of ticks) {
    out.push(`<text x="${f(sx(t))}" y="${y0 + 17}" text-anchor="middle">${escapeXml(formatTick(t))}</text>`);
    out.push(`<text x="${x0 - 6}" y="${f(sy(t) + 4)}" text-anchor="end">${escapeXml(formatTick(t))}</text>`);
  }
  out.push(`</g>`);
  out.push(`<text x="${f(x0 + plotW / 2)}" y="${height - 16}" text-anchor="middle">${escapeXml(`${xLabel} (log scale)`)}</text>`);
  const midY = f(MARGIN.top + plotH / 2);
  out.push(`<text x="16" y="${midY}" text-anchor="middle" transform="rotate(-90 16 ${midY})">${escapeXml(`${yLabel} (log scale)`)}</text>`);

  // Legend (top-left inside the plot).
  const legend: string[] = [...series.map((s, i) => ({ name: s.name, color: s.color ?? SERIES_COLORS[i % SERIES_COLORS.length]! }))].map(
    (entry, i) =>
      `<g transform="translate(${x0 + 10} ${MARGIN.top + 14 + i * 16})"><circle cx="0" cy="-4" r="4" fill="${entry.color}"/><text x="9" y="0">${escapeXml(entry.name)}</text></g>`,
  );
  const extra = series.length;
  legend.push(
    `<g transform="translate(${x0 + 10} ${MARGIN.top + 14 + extra * 16})"><line x1="-5" y1="-4" x2="5" y2="-4" stroke="#555555" stroke-dasharray="3 2"/><text x="9" y="0">y = x</text></g>`,
  );
  if (band) {
    legend.push(
      `<g transform="translate(${x0 + 10} ${MARGIN.top + 14 + (extra + 1) * 16})"><rect x="-5" y="-9" width="10" height="10" fill="#59a14f" fill-opacity="0.25"/><text x="9" y="0">S_l ≥ 80</text></g>`,
    );
  }
  out.push(`<g class="legend" fill="#222222">${legend.join("")}</g>`);
  if (zeros > 0) {
    out.push(
      `<text x="${x0 + plotW}" y="${MARGIN.top - 6}" text-anchor="end" fill="#666666">${zeros} empty output${zeros > 1 ? "s" : ""} on the bottom edge (hollow)</text>`,
    );
  }
  out.push(`</svg>`);
  return `${out.join("\n")}\n`;
}
