/**
 * @module mix/filters/evalscope-length — the required-length rule ModelScope's evalscope used to build
 * "LongWriter-6k-filtered" (tools/data_etl.py, as described in LONGWRITER.md §2): `(\d+)字`,
 * `(.)百字|(.)千字|(.)万字` with a single Chinese numeral times 100 / 1,000 / 10,000, and `(\d+) words`;
 * a prompt has a required length only when exactly one distinct value is found. Narrower than
 * text/required-length's extractor on purpose, so the 666-row reproduction follows the same rule.
 */

const NUMERALS: Readonly<Record<string, number>> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const SCALE: Readonly<Record<string, number>> = { 百: 100, 千: 1000, 万: 10000 };

/**
 * The evalscope rule: the single distinct length a prompt states, `null` when it states none, or
 * "ambiguous" when it states several different ones.
 *
 * @example evalscopeRequiredLength("写一篇五千字的小说") // 5000
 */
export function evalscopeRequiredLength(prompt: string): number | null | "ambiguous" {
  const values = new Set<number>();
  for (const match of prompt.matchAll(/(\d+)字/g)) values.add(Number(match[1]));
  for (const match of prompt.matchAll(/(.)([百千万])字/g)) {
    const numeral = NUMERALS[match[1]!];
    if (numeral !== undefined) values.add(numeral * SCALE[match[2]!]!);
  }
  for (const match of prompt.matchAll(/(\d+) words/g)) values.add(Number(match[1]));
  // "2,000 words" gives "000 words" → 0 under the literal rule; a zero length states nothing.
  values.delete(0);
  if (values.size === 0) return null;
  return values.size === 1 ? [...values][0]! : "ambiguous";
}
