/**
 * @module text/parse-numeral — numbers as people write them in prompts: Arabic digits with grouping
 * commas and k/w/万/千 suffixes ("3,000", "2.5k", "1.5万", "1w"), Chinese numerals ("两千五百", "一万五",
 * "三千零五", "半万"), mixed forms ("1万5千") and English number words ("two thousand five hundred").
 */

const ZH_DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const ZH_SMALL_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const ZH_BIG_UNITS: Record<string, number> = { 万: 10_000, 亿: 100_000_000 };

/** Characters that may appear in a Chinese or mixed numeral (digits handled separately). */
export const ZH_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿半";

/**
 * Parses a Chinese, Arabic or mixed numeral. Colloquial elisions are understood: a digit right after
 * 千/百/万 scales to the next lower unit ("三千五" = 3500, "一万五" = 15000, "一百二" = 120).
 * 半 is a half ("半万" = 5000, "两千半" = 2500). Returns null when the text is not a numeral.
 *
 * @example parseChineseNumeral("一万五千") // 15000
 */
export function parseChineseNumeral(text: string): number | null {
  const source = text.replace(/[,，]/g, "");
  if (source === "") return null;
  const tokens = source.match(/\d+(?:\.\d+)?|[wWkK]|./gu) ?? [];
  let total = 0;
  let section = 0;
  let pending: number | null = null;
  let pendingIsSingleDigit = false;
  let lastUnit = 0;
  let previousWasUnit = false;
  let pendingAfterUnit = false;
  let sawZero = false;
  let sawAnything = false;

  for (const token of tokens) {
    const arabic = /^\d/.test(token) ? Number(token) : undefined;
    const digit = ZH_DIGITS[token];
    if (arabic !== undefined || digit !== undefined) {
      const value = arabic ?? (digit as number);
      if (pending !== null && arabic === undefined && digit !== 0) return null; // "二三" is not a numeral
      if (digit === 0) {
        sawZero = true;
        previousWasUnit = false;
        continue;
      }
      pending = value;
      pendingAfterUnit = previousWasUnit;
      pendingIsSingleDigit = arabic === undefined || /^\d$/.test(token);
      sawAnything = true;
      previousWasUnit = false;
      continue;
    }
    const small = ZH_SMALL_UNITS[token];
    if (small !== undefined) {
      section += (pending ?? 1) * small;
      pending = null;
      lastUnit = small;
      previousWasUnit = true;
      sawZero = false;
      sawAnything = true;
      continue;
    }
    const big = ZH_BIG_UNITS[token] ?? (token === "w" || token === "W" ? 10_000 : token === "k" || token === "K" ? 1000 : undefined);
    if (big !== undefined) {
      const sectionValue = section + (pending ?? 0);
      total += (sectionValue === 0 ? 1 : sectionValue) * big;
      section = 0;
      pending = null;
      lastUnit = big;
      previousWasUnit = true;
      sawZero = false;
      sawAnything = true;
      continue;
    }
    if (token === "半") {
      if (previousWasUnit && lastUnit > 0) section += lastUnit / 2;
      else pending = 0.5;
      sawAnything = true;
      previousWasUnit = false;
      continue;
    }
    return null;
  }
  if (!sawAnything) return null;
  if (pending !== null) {
    // "三千五": a lone digit straight after a unit of 100 or more means that unit / 10.
    if (pendingAfterUnit && !sawZero && pendingIsSingleDigit && lastUnit >= 100) {
      section += pending * (lastUnit / 10);
    } else {
      section += pending;
    }
  }
  const value = total + section;
  return Number.isFinite(value) ? value : null;
}

const EN_ONES: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const EN_TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};

/** A regex source matching one English number word (used to build the number grammar). */
export const EN_NUMBER_WORD = `(?:${[...Object.keys(EN_ONES), ...Object.keys(EN_TENS), "hundred", "thousand"].sort((a, b) => b.length - a.length).join("|")})`;

/**
 * Parses English number words: "two thousand five hundred", "a thousand", "twenty-five hundred",
 * "one hundred and fifty". Returns null for anything else.
 *
 * @example parseEnglishNumber("two thousand") // 2000
 */
export function parseEnglishNumber(text: string): number | null {
  const words = text
    .toLowerCase()
    .split(/[\s-]+/)
    .filter((w) => w !== "" && w !== "and");
  if (words.length === 0) return null;
  let total = 0;
  let current = 0;
  let sawNumber = false;
  for (const [i, word] of words.entries()) {
    if (word === "a" || word === "an") {
      if (i !== 0) return null;
      current = 1;
      continue;
    }
    const ones = EN_ONES[word] ?? EN_TENS[word];
    if (ones !== undefined) {
      current += ones;
      sawNumber = true;
    } else if (word === "hundred") {
      current = (current === 0 ? 1 : current) * 100;
      sawNumber = true;
    } else if (word === "thousand") {
      total += (current === 0 ? 1 : current) * 1000;
      current = 0;
      sawNumber = true;
    } else {
      return null;
    }
  }
  return sawNumber ? total + current : null;
}

/**
 * Parses an Arabic number as written in English text: "3,000", "2.5k", "10K", "1500".
 * Returns null for anything else.
 */
export function parseArabicNumber(text: string): number | null {
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*([kK])?$/.exec(text.trim());
  if (!match) return null;
  const base = Number((match[1] ?? "").replace(/,/g, "") + (match[2] ?? ""));
  const value = match[3] ? base * 1000 : base;
  return Number.isFinite(value) ? Math.round(value) : null;
}

/** Parses any numeral this module knows (Arabic, English words, Chinese/mixed). */
export function parseNumeral(text: string): number | null {
  const trimmed = text.trim();
  return parseArabicNumber(trimmed) ?? parseEnglishNumber(trimmed) ?? parseChineseNumeral(trimmed);
}
