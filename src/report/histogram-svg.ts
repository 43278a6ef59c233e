/**
 * @module report/histogram-svg — a histogram as a standalone SVG string (axes, ticks, bars, title):
 * no dependencies, no fonts to fetch, and the same input always gives byte-identical output.
 */
import { escapeXml as esc, fmtNumber as fmt, svgChartStart } from "./svg-text.js";
import { OptionError } from "../errors.js";

/** One bin of a histogram: values `v` with `lower <= v < upper` (the last bin also holds `upper`). */
export interface HistogramBin {
  lower: number;
  upper: number;
  count: number;
}

export interface HistogramData {
  bins: HistogramBin[];
  /** Values that were counted. */
  total: number;
  /** Values left out: not finite, or not > 0 on a log axis. */
  excluded: number;
}

export interface BinValuesOptions {
  /**
   * Number of equal-width bins (equal in log space when `logX`), or explicit ascending bin edges.
   * @default 30
   */
  bins?: number | readonly number[] | undefined;
  /** Bin in log10 space; values <= 0 are excluded. @default false */
  logX?: boolean | undefined;
}

/** Counts `values` into bins. Deterministic; ignores non-finite values (and non-positive ones on a log axis). */
export function binValues(values: Iterable<number>, { bins = 30, logX = false }: BinValuesOptions = {}): HistogramData {
  const kept: number[] = [];
  let excluded = 0;
  for (const value of values) {
    if (!Number.isFinite(value) || (logX && value <= 0)) excluded += 1;
    else kept.push(value);
  }
  let edges: number[];
  if (typeof bins !== "number") {
    edges = [...bins];
    if (edges.length < 2 || edges.some((e, i) => !Number.isFinite(e) || (i > 0 && e <= edges[i - 1]!))) {
      throw new OptionError("bins: explicit edges must be at least two finite, strictly ascending numbers", { field: "bins" });
    }
    if (logX && edges[0]! <= 0) throw new OptionError("bins: edges must be > 0 on a log axis", { field: "bins" });
  } else {
    if (!Number.isInteger(bins) || bins < 1) throw new OptionError(`bins: expected a positive integer, got ${bins}`, { field: "bins" });
    edges = equalEdges(kept, bins, logX);
  }
  const counts = new Array<number>(edges.length - 1).fill(0);
  const first = edges[0]!;
  const last = edges[edges.length - 1]!;
  let total = 0;
  for (const value of kept) {
    if (value < first || value > last) {
      excluded += 1;
      continue;
    }
    counts[findBin(edges, value)]! += 1;
    total += 1;
  }
  return { bins: counts.map((count, i) => ({ lower: edges[i]!, upper: edges[i + 1]!, count })), total, excluded };
}

function equalEdges(values: number[], bins: number, logX: boolean): number[] {
  if (values.length === 0) return logX ? [1, 10] : [0, 1];
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const f = logX ? Math.log10 : (v: number) => v;
  const inv = logX ? (v: number) => 10 ** v : (v: number) => v;
  let lo = f(min);
  let hi = f(max);
  if (lo === hi) {
    // One distinct value: a single bin centred on it.
    const pad = logX ? 0.5 : Math.abs(lo) > 0 ? Math.abs(lo) * 0.5 : 0.5;
    lo -= pad;
    hi += pad;
    bins = 1;
  }
  const edges: number[] = [];
  for (let i = 0; i <= bins; i++) edges.push(i === 0 ? inv(lo) : i === bins ? inv(hi) : inv(lo + ((hi - lo) * i) / bins));
  if (logX) {
    edges[0] = Math.min(edges[0]!, min);
    edges[bins] = Math.max(edges[bins]!, max);
  }
  return edges;
}

function findBin(edges: number[], value: number): number {
  let lo = 0;
  let hi = edges.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (edges[mid]! <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export interface HistogramSvgOptions extends BinValuesOptions {
  title: string;
  values: Iterable<number>;
  xLabel: string;
  /** @default "count" */
  yLabel?: string | undefined;
  /** @default 720 */
  width?: number | undefined;
  /** @default 400 */
  height?: number | undefined;
  /** Bar colour (any SVG colour). @default "#4e79a7" */
  color?: string | undefined;
}

const MARGIN = { top: 48, right: 24, bottom: 64, left: 72 };

/**
 * Renders a histogram as a self-contained SVG document.
 *
 * @example
 * writeFileSync("lengths.svg", renderHistogramSvg({ title: "Output length", values: words, xLabel: "words", logX: true }));
 */
export function renderHistogramSvg(options: HistogramSvgOptions): string {
  const { title, xLabel, yLabel = "count", logX = false, width = 720, height = 400, color = "#4e79a7" } = options;
  if (!(width >= 200 && height >= 150)) throw new OptionError("width must be >= 200 and height >= 150", { field: "width" });
  const data = binValues(options.values, { bins: options.bins ?? 30, logX });
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const x0 = MARGIN.left;
  const y0 = MARGIN.top + plotH;
  const first = data.bins[0]!.lower;
  const last = data.bins[data.bins.length - 1]!.upper;
  const fx = logX ? Math.log10 : (v: number) => v;
  const sx = (v: number) => x0 + ((fx(v) - fx(first)) / (fx(last) - fx(first))) * plotW;
  const maxCount = Math.max(0, ...data.bins.map((b) => b.count));
  const yTicks = niceTicks(0, Math.max(1, maxCount), 5).filter((t) => Number.isInteger(t));
  const yTop = Math.max(yTicks[yTicks.length - 1] ?? 1, maxCount, 1);
  const sy = (v: number) => y0 - (v / yTop) * plotH;

  const out: string[] = [];
  out.push(...svgChartStart({ width, height, title, titleY: 28, titleSize: 16 }));

  // Grid lines and y ticks.
  out.push(`<g class="y-axis" stroke="#dddddd">`);
  for (const t of yTicks) out.push(`<line x1="${x0}" y1="${fmt(sy(t))}" x2="${x0 + plotW}" y2="${fmt(sy(t))}"/>`);
  out.push(`</g>`);
  out.push(`<g class="y-ticks" text-anchor="end" fill="#333333">`);
  for (const t of yTicks) out.push(`<text x="${x0 - 6}" y="${fmt(sy(t) + 4)}">${esc(formatTick(t))}</text>`);
  out.push(`</g>`);

  // Bars.
  out.push(`<g class="bars" fill="${esc(color)}">`);
  for (const bin of data.bins) {
    if (bin.count === 0) continue;
    const left = sx(bin.lower);
    const right = sx(bin.upper);
    const w = Math.max(0.5, right - left - (right - left > 3 ? 1 : 0));
    const top = sy(bin.count);
    out.push(
      `<rect x="${fmt(left)}" y="${fmt(top)}" width="${fmt(w)}" height="${fmt(y0 - top)}"><title>${esc(`${formatTick(bin.lower)}–${formatTick(bin.upper)}: ${bin.count}`)}</title></rect>`,
    );
  }
  out.push(`</g>`);

  // Axes.
  out.push(`<g class="axes" stroke="#333333" stroke-width="1">`);
  out.push(`<line x1="${x0}" y1="${y0}" x2="${x0 + plotW}" y2="${y0}"/>`);
  out.push(`<line x1="${x0}" y1="${MARGIN.top}" x2="${x0}" y2="${y0}"/>`);
  const xTicks = logX ? logTicks(first, last) : niceTicks(first, last, 6);
  for (const t of xTicks) out.push(`<line x1="${fmt(sx(t))}" y1="${y0}" x2="${fmt(sx(t))}" y2="${y0 + 5}"/>`);
  out.push(`</g>`);
  out.push(`<g class="x-ticks" text-anchor="middle" fill="#333333">`);
  for (const t of xTicks) out.push(`<text x="${fmt(sx(t))}" y="${y0 + 18}">${esc(formatTick(t))}</text>`);
  out.push(`</g>`);

  // Labels and notes.
  const xText = logX ? `${xLabel} (log scale)` : xLabel;
  out.push(`<text x="${fmt(x0 + plotW / 2)}" y="${height - 20}" text-anchor="middle">${esc(xText)}</text>`);
  out.push(
    `<text x="18" y="${fmt(MARGIN.top + plotH / 2)}" text-anchor="middle" transform="rotate(-90 18 ${fmt(MARGIN.top + plotH / 2)})">${esc(yLabel)}</text>`,
  );
  const note = `n = ${data.total}${data.excluded > 0 ? `, ${data.excluded} excluded` : ""}`;
  out.push(`<text x="${width - MARGIN.right}" y="${MARGIN.top - 8}" text-anchor="end" fill="#666666">${esc(note)}</text>`);
  if (data.total === 0) {
    out.push(`<text x="${fmt(x0 + plotW / 2)}" y="${fmt(MARGIN.top + plotH / 2)}" text-anchor="middle" fill="#999999">no data</text>`);
  }
  out.push(`</svg>`);
  return `${out.join("\n")}\n`;
}

/** About `count` round tick values covering [lo, hi] (steps of 1, 2 or 5 × 10^k). */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) ticks.push(round(k * step));
  return ticks;
}

/** Tick values for a log axis: powers of ten, plus 2× and 5× when the range is short. */
function logTicks(lo: number, hi: number): number[] {
  const from = Math.floor(Math.log10(lo));
  const to = Math.ceil(Math.log10(hi));
  const multipliers = to - from <= 2 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let p = from; p <= to; p++) {
    for (const m of multipliers) {
      const t = round(m * 10 ** p);
      if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) ticks.push(t);
    }
  }
  return ticks.length > 0 ? ticks : [lo, hi];
}

function round(v: number): number {
  return Number(v.toPrecision(12));
}

/** Compact tick label: 1200 → "1.2k", 30000 → "30k", 0.25 → "0.25". */
export function formatTick(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${trim((v / 1e6).toFixed(1))}M`;
  if (a >= 1e4) return `${trim((v / 1e3).toFixed(0))}k`;
  if (a >= 1e3) return `${trim((v / 1e3).toFixed(1))}k`;
  if (a >= 1 || a === 0) return trim(v.toFixed(1));
  return trim(v.toPrecision(2));
}

function trim(s: string): string {
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}
