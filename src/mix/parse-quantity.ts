/** @module mix/parse-quantity — "60M", "1.5k", "2B" or a plain number → a number of words, tokens or rows. */

const SUFFIX: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9 };
const QUANTITY = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([kKmMbB]?)\s*$/;

/**
 * Parses a quantity with an optional k (thousand), M (million) or B (billion) suffix, case-insensitive;
 * `_` and `,` between digits are accepted as separators. Returns undefined when the text is not one.
 *
 * @example parseQuantity("60M") // 60_000_000
 */
export function parseQuantity(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  const match = QUANTITY.exec(value.replace(/(?<=\d)[_,](?=\d)/g, ""));
  if (!match) return undefined;
  const base = Number(match[1]);
  const suffix = match[2]?.toLowerCase() ?? "";
  // Round away binary fractions: "1.1k" must be 1100, not 1100.0000000000002.
  return suffix ? Math.round(base * SUFFIX[suffix]! * 1e6) / 1e6 : base;
}
