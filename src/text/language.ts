/**
 * @module text/language — which language a text is written in, decided by script: "zh" when Chinese
 * characters outweigh Latin words, "en" when Latin words outweigh them, "other" for anything else.
 */

/** A text's language as far as LongWriter's tooling cares: Chinese, English (Latin script), or other. */
export type Language = "zh" | "en" | "other";

/** Units of each script found in a text (Chinese per character, other scripts per word). */
export interface ScriptCounts {
  /** Han characters (CJK Unified Ideographs, extensions A–F, compatibility ideographs). */
  han: number;
  /** Runs of Latin letters (ASCII and accented: "café" is one). */
  latin: number;
  /** Hiragana and katakana characters. */
  kana: number;
  /** Runs of letters of any other script (Hangul, Cyrillic, Arabic, …). */
  other: number;
}

const HAN = /\p{Script=Han}/gu;
const LATIN_RUN = /[\p{Script=Latin}\p{M}]*\p{Script=Latin}[\p{Script=Latin}\p{M}]*/gu;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const OTHER_RUN = /[^\P{L}\p{Script=Han}\p{Script=Latin}\p{Script=Hiragana}\p{Script=Katakana}]+/gu;

function countMatches(pattern: RegExp, text: string): number {
  pattern.lastIndex = 0;
  let count = 0;
  while (pattern.exec(text) !== null) count++;
  return count;
}

/** Counts the script units detectLanguage weighs. */
export function countScripts(text: string): ScriptCounts {
  return {
    han: countMatches(HAN, text),
    latin: countMatches(LATIN_RUN, text),
    kana: countMatches(KANA, text),
    other: countMatches(OTHER_RUN, text),
  };
}

/**
 * Detects "zh", "en" or "other" by script, in the units LongBench-Write counts length in:
 * - each Han character is one Chinese unit, each run of Latin letters one English unit;
 * - "zh" when Chinese units are at least as many as English units and as other-script units,
 *   "en" when English units are the most, "other" when neither (or the text has no letters at all);
 * - Japanese is "other": when kana make up at least a fifth as many characters as the kanji,
 *   the Han characters count as Japanese, not Chinese.
 *
 * @example detectLanguage("使用Python进行数据分析") // "zh"
 */
export function detectLanguage(text: string): Language {
  const counts = countScripts(text);
  let zh = counts.han;
  let other = counts.other;
  if (counts.kana > 0 && counts.kana * 5 >= counts.han) {
    other += counts.han + counts.kana;
    zh = 0;
  }
  const en = counts.latin;
  if (zh === 0 && en === 0) return "other";
  if (zh >= en && zh >= other) return "zh";
  if (en > zh && en >= other) return "en";
  return "other";
}
