/** @module report/svg-text — escaping and number formatting shared by the SVG and HTML renderers. */

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for XML/HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A coordinate with at most two decimals and no trailing zeros (stable SVG output). */
export function fmtNumber(v: number): string {
  const s = v.toFixed(2);
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

/** A score for tables: one decimal, "–" when missing. */
export function formatScore(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(digits);
}

/**
 * The opening of a standalone chart SVG: the root element (accessible name = title), a `<title>`, a white
 * background and the centred bold title text. Close it with `</svg>`.
 */
export function svgChartStart({
  width,
  height,
  title,
  className,
  titleY,
  titleSize,
}: {
  width: number;
  height: number;
  title: string;
  className?: string;
  titleY: number;
  titleSize: number;
}): string[] {
  const cls = className ? ` class="${className}"` : "";
  return [
    `<svg xmlns="http://www.w3.org/2000/svg"${cls} width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${fmtNumber(width / 2)}" y="${titleY}" text-anchor="middle" font-size="${titleSize}" font-weight="bold">${escapeXml(title)}</text>`,
  ];
}
