/**
 * @module text/required-length — the output length a writing prompt asks for ("a 5000-word essay",
 * "不少于3000字", "五篇…每篇400字"), in countWords units: English words or Chinese characters.
 */
import { EN_NUMBER_WORD, parseArabicNumber, parseChineseNumeral, parseEnglishNumber, ZH_NUMERAL_CHARS } from "./parse-numeral.js";

/**
 * What a length mention is:
 * - `words`: "2,000 words", "a 500-word essay", "two thousand words"
 * - `chars`: "2000字", "五千字", "300词", "2000 Chinese characters"
 * - `range`: "300-400 words", "100至200字", "between 300 and 500 words" (value = the upper bound)
 * - `field`: "字数要求：2000左右", "word count: 1500"
 * - `per-part`: "3 paragraphs of 200 words each", "五篇…每篇400字" (value = count × per-part length)
 * - `input`: the length of text the prompt supplies ("summarize this 3000-word article"); not a requirement
 * - `each`: a per-part length whose number of parts was not found; not used for `length`
 */
export type LengthMatchKind = "words" | "chars" | "range" | "field" | "per-part" | "input" | "each";

/** One length mention found in a prompt. */
export interface LengthMatch {
  /** The prompt text that was read (for per-part: "<count> … <each>"). */
  text: string;
  value: number;
  kind: LengthMatchKind;
  /** UTF-16 offset of the mention in the prompt. */
  index: number;
}

/** The required length with the evidence for it. */
export interface RequiredLengthDetails {
  /** The required length, or null when the prompt states none (or only lengths of its own input). */
  length: number | null;
  /** Every length mention found, in prompt order. */
  matches: LengthMatch[];
  /** True when the prompt states several different required lengths (the largest is used). */
  ambiguous: boolean;
}

// ---------- building blocks ----------
const ZH_NUM_CHARS = ZH_NUMERAL_CHARS;
const ZH_ARABIC = String.raw`(?:\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.\d+)?`;
const ZH_CHARS = `[${ZH_NUM_CHARS}]+`;
// Arabic runs and Chinese numeral runs alternate ("1万5千"); written without nested quantifiers over the
// same characters so a long run of digits cannot make the regex backtrack exponentially.
const ZH_NUM = `(?<![\\d.${ZH_NUM_CHARS}])(?:${ZH_ARABIC}(?:${ZH_CHARS}${ZH_ARABIC})*(?:${ZH_CHARS})?|${ZH_CHARS}(?:${ZH_ARABIC}${ZH_CHARS})*(?:${ZH_ARABIC})?)(?:[wWkK](?![A-Za-z]))?`;
const DIGITS = String.raw`(?<![\w.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s?[kK](?![A-Za-z]))?`;
const WORDS = `(?<![A-Za-z])(?:an?[\\s-]+(?=hundred|thousand))?${EN_NUMBER_WORD}(?:(?:[\\s-]+and[\\s-]+|[\\s-]+)${EN_NUMBER_WORD}){0,8}(?![A-Za-z])`;
const EN_NUM = `(?:${DIGITS}|${WORDS})`;
const EN_WORDS_UNIT = String.raw`\s*(?:\+|plus|or (?:more|so|less|fewer))?\s*[-–]?\s*words?(?![A-Za-z])`;
const EN_UNIT =
  "(?:paragraph|chapter|section|part|essay|stor(?:y|ies)|article|poem|blog post|post|letter|scene|diary entr(?:y|ies)|journal entr(?:y|ies)|entr(?:y|ies)|episode|day|review|description|summar(?:y|ies)|email|speech(?:es)?|tweet|verse|stanza|act|lesson|question|answer|response|segment|installment|page)s?";
const EN_COUNT = String.raw`(?<![\w.,])(?:\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|fifty)(?![\w])`;
const ZH_MEASURE = "(?:个部分|部分|节课|篇|章|段|节|首|封|则|条|集|幕|回|课|讲|天|日|期|份|个方面|方面|问|题|页|个)";
const ZH_CHAR_UNIT = "(?:多|余|来)?\\s*个?\\s*(?:汉字|中文字|字|词|单词)";
// "字" followed by these is another word: 字节 byte, 字母 letter, 字体 font, 十字架 cross, 千字文 a classic…;
// "5000个单词的字典" is the size of a word list, not a length.
const ZH_NOT_LENGTH_AFTER = "(?![节母体幕号段典迹画经架路绣军街形型语汇组条性根])(?!文(?![章献稿案本字]))(?!的?(?:字典|词典|列表|词表|清单|单词表|词汇表))";

const EN_INPUT_BEFORE =
  /(?:\bthis|\bthese|\bthe following|\bthe above|\bthe attached|\bthe given|\bthe original|\bthe provided|\bfollowing|\babove|\battached|\bgiven|\bprovided|\bfrom)\s+(?:(?:approximately|about|around|roughly|nearly)\s+)?$/i;
const EN_NOT_LENGTH_BEFORE =
  /(?:\bthese|\bthose|\bfirst|\blast|\bnext|\btop|\blist|\blist of|\bkey|\bnew|\bvocabulary|\bseveral|\ba few|\bfew|\bmany|\bsome|\btens of|\bhundreds of|\bthousands of|\bmillions of)\s+$/i;
const EN_NOT_LENGTH_AFTER = /^\s+(?:that|which|starting|beginning|ending|rhyming|related to|associated|too)\b/i;
const ZH_INPUT_BEFORE = /(?:这篇|这段|这份|这|以下|以上|上面|下面|上述|原文|该|本文|从)(?:约|大约|共)?$/;
const ZH_NOT_LENGTH_BEFORE = /(?:第|前|后|数|几)$/;

interface Candidate {
  start: number;
  end: number;
  match: LengthMatch;
}

/**
 * A rule's pattern, compiled on first use and kept: building these sources and compiling them on every
 * call cost far more than the matching itself (100k alpaca prompts: 4.0 s per call, 0.6 s kept).
 * English rules take `gi`, not `giu`: they need no Unicode mode (no \p{…}, nothing outside the BMP), and
 * case-insensitive Unicode `\w`/`\b` are slow to compile. Without `u`, `\w` and `\b` no longer count "ſ"
 * (U+017F) and the Kelvin sign (U+212A) as word characters; nothing else changes.
 */
function pattern(source: () => string, flags: "gi" | "giu" = "giu"): () => RegExp {
  let compiled: RegExp | undefined;
  return () => (compiled ??= new RegExp(source(), flags));
}

/**
 * Every match of a shared global pattern, as `text.matchAll(rule)` gives them but without its copy of the
 * pattern. All matches are collected before any is used, so nothing else moves `lastIndex` meanwhile.
 */
function allMatches(rule: RegExp, text: string): RegExpExecArray[] {
  const found: RegExpExecArray[] = [];
  rule.lastIndex = 0;
  for (let m = rule.exec(text); m !== null; m = rule.exec(text)) {
    found.push(m);
    // An empty match would be found again at the same place: step one code point on, as matchAll does.
    if (m[0].length === 0) rule.lastIndex += (text.codePointAt(rule.lastIndex) ?? 0) > 0xffff ? 2 : 1;
  }
  rule.lastIndex = 0;
  return found;
}

/** Maps full-width digits and dashes to ASCII one-for-one (offsets stay valid). */
function normalise(text: string): string {
  return text.replace(/[\uff10-\uff19\uff0d\uff5e\u2212]/g, (ch) => {
    const code = ch.charCodeAt(0);
    if (code >= 0xff10 && code <= 0xff19) return String.fromCharCode(code - 0xff10 + 0x30);
    return code === 0xff5e ? "~" : "-";
  });
}

function parseEn(text: string): number | null {
  const trimmed = text.trim();
  if (/^(?:hundred|thousand)$/i.test(trimmed)) return null; // bare "thousand words" is vague
  const value = parseArabicNumber(trimmed) ?? parseEnglishNumber(trimmed);
  return value !== null && value > 0 ? value : null;
}

function parseZh(text: string): number | null {
  const value = parseChineseNumeral(text.trim());
  return value === null ? null : Math.round(value);
}

function zhUsable(numberText: string, value: number | null, before: string): value is number {
  if (value === null || value < 10) return false; // "八字", "四字成语", "一字一句" are not lengths
  if (/^[百千万亿]/.test(numberText) && /[数几]$/.test(before)) return false; // "数千字" is vague
  return true;
}

// ---------- rules ----------

const EN_PER_PART_DIRECT = [
  pattern(
    () => `(${EN_COUNT})\\s+(?:[A-Za-z'-]+\\s+){0,3}?(${EN_UNIT})\\b[^.;\\n]{0,40}?\\b(?:each|apiece)\\b[^.;\\n]{0,25}?(${EN_NUM})${EN_WORDS_UNIT}`,
    "gi",
  ),
  pattern(
    () =>
      `(${EN_COUNT})\\s+(?:[A-Za-z'-]+\\s+){0,3}?(${EN_UNIT})\\b[^.;\\n]{0,40}?(${EN_NUM})${EN_WORDS_UNIT}\\s+(?:each|apiece|per\\s+${EN_UNIT}|for each(?:\\s+${EN_UNIT})?)\\b`,
    "gi",
  ),
  pattern(() => `(${EN_COUNT})\\s+(${EN_NUM})\\s*[-–]?\\s*words?\\s+(?:[A-Za-z'-]+\\s+){0,2}?(${EN_UNIT})\\b`, "gi"),
];
const EN_PER_PART_EACH = [
  pattern(() => `\\b(?:each|every|per)\\s+(${EN_UNIT})\\b[^.;\\n]{0,30}?(${EN_NUM})${EN_WORDS_UNIT}`, "gi"),
  pattern(() => `(${EN_NUM})${EN_WORDS_UNIT}\\s+(?:each|per|for each|for every|in each|in every)\\s+(${EN_UNIT})\\b`, "gi"),
  pattern(() => `(${EN_NUM})${EN_WORDS_UNIT}\\s+(?:each|apiece)\\b`, "gi"),
];

/** English per-part: "3 paragraphs of 200 words each", "three 500-word essays", "5 chapters, each 2000 words". */
function enPerPart(text: string, out: Candidate[]): void {
  for (const [ruleIndex, rule] of EN_PER_PART_DIRECT.entries()) {
    for (const m of allMatches(rule(), text)) {
      const countText = m[1] ?? "";
      const eachText = (ruleIndex === 2 ? m[2] : m[3]) ?? "";
      const count = parseEn(countText);
      const each = parseEn(eachText);
      if (count === null || each === null || count < 2 || count > 100) continue;
      if (ruleIndex === 2 && !/s$/i.test(m[3] ?? "")) continue; // "three 500-word essays" needs a plural
      out.push(candidate(m.index, m[0], count * each, "per-part"));
    }
  }
  // "each chapter should be 2000 words" / "200 words per paragraph" / "100 words each": find the count elsewhere.
  let mentions: CountMention[] | undefined;
  for (const [ruleIndex, rule] of EN_PER_PART_EACH.entries()) {
    for (const m of allMatches(rule(), text)) {
      const unit = ruleIndex === 0 ? m[1] : ruleIndex === 1 ? m[2] : undefined;
      const each = parseEn((ruleIndex === 0 ? m[2] : m[1]) ?? "");
      if (each === null) continue;
      mentions ??= enCountMentions(text);
      const stem = unit === undefined ? undefined : unitStem(unit);
      const count = nearestCount(mentions, m.index, (c) => (stem === undefined ? c.index < m.index : c.unit === stem));
      if (count === null) {
        out.push(candidate(m.index, m[0], each, "each"));
      } else {
        out.push({
          ...candidate(m.index, m[0], count.value * each, "per-part"),
          match: {
            text: `${count.text} … ${m[0]}`,
            value: count.value * each,
            kind: "per-part",
            index: m.index,
          },
        });
      }
    }
  }
}

function unitStem(unit: string): string {
  const lower = unit.toLowerCase().replace(/^(?:diary|journal) /, "");
  if (/ies$/.test(lower)) return lower.replace(/ies$/, "y");
  if (/(?:ch|sh|ss|x)es$/.test(lower)) return lower.slice(0, -2);
  return lower.replace(/s$/, "");
}

interface CountMention {
  text: string;
  value: number;
  unit: string;
  index: number;
}

const EN_COUNT_MENTION = pattern(() => `(${EN_COUNT})\\s+(?:[A-Za-z'-]+\\s+){0,3}?(${EN_UNIT})\\b`, "gi");

/** Every "<count> <unit>" mention ("5 chapters", "three short stories"), found once per prompt. */
function enCountMentions(text: string): CountMention[] {
  const mentions: CountMention[] = [];
  for (const m of allMatches(EN_COUNT_MENTION(), text)) {
    const value = parseEn(m[1] ?? "");
    if (value === null || value < 2 || value > 100) continue;
    mentions.push({ text: m[0], value, unit: unitStem(m[2] ?? ""), index: m.index });
  }
  return mentions;
}

/** The count mention that goes with a per-part length at `at`: same unit, nearest, preferably before. */
function nearestCount(mentions: CountMention[], at: number, accepts: (mention: CountMention) => boolean): CountMention | null {
  let best: CountMention | null = null;
  let bestDistance = Infinity;
  for (const mention of mentions) {
    if (!accepts(mention)) continue;
    const distance = mention.index < at ? at - mention.index : (mention.index - at) * 2;
    if (distance < bestDistance) {
      best = mention;
      bestDistance = distance;
    }
  }
  return best;
}

const ZH_PER_PART = pattern(
  () =>
    `(每|各)\\s*一?\\s*(${ZH_MEASURE})?(?:(?<=[分课篇章段节首封则条集幕回讲天日期份面问题页个])\\p{Script=Han}{0,4}?)?\\s*的?(?:字数|篇幅)?\\s*(?:需要|应该|大约|大概|不少于|不低于|至少|控制在|[都均需要应请写约在为：:\\s]){0,8}(${ZH_NUM})\\s*${ZH_CHAR_UNIT}${ZH_NOT_LENGTH_AFTER}`,
);

/** Chinese per-part: "每篇400字" with "五篇" elsewhere, "分两部分写，各写1000字". */
function zhPerPart(text: string, out: Candidate[]): void {
  let mentions: CountMention[] | undefined;
  for (const m of allMatches(ZH_PER_PART(), text)) {
    const each = parseZh(m[3] ?? "");
    if (!zhUsable(m[3] ?? "", each, "")) continue;
    mentions ??= zhCountMentions(text);
    const measure = m[1] === "每" ? m[2] : undefined;
    const count = nearestCount(mentions, m.index, (c) => {
      if (c.unit === "个" && measure !== "个") return false; // "个" alone only counts "每个"
      // 各 (or 每 without a measure): the count comes just before, with any measure.
      if (measure === undefined) return c.index < m.index && m.index - c.index <= 60;
      return zhMeasureStem(c.unit) === zhMeasureStem(measure);
    });
    if (count === null) {
      out.push(candidate(m.index, m[0], each, "each"));
    } else {
      out.push({
        start: m.index,
        end: m.index + m[0].length,
        match: {
          text: `${count.text} … ${m[0]}`,
          value: count.value * each,
          kind: "per-part",
          index: m.index,
        },
      });
    }
  }
}

function zhMeasureStem(measure: string): string {
  return measure
    .replace(/^个(?=.)/, "")
    .replace(/^节课$/, "节")
    .replace(/^日$/, "天");
}

const ZH_COUNT_MENTION = pattern(() => `(${ZH_NUM})\\s*(${ZH_MEASURE})`);

/** Every "<count><measure>" mention ("五篇", "两部分", "5幕"), found once per prompt. */
function zhCountMentions(text: string): CountMention[] {
  const mentions: CountMention[] = [];
  for (const m of allMatches(ZH_COUNT_MENTION(), text)) {
    if (m.index > 0 && /[每各第]/.test(text.charAt(m.index - 1))) continue;
    const value = parseZh(m[1] ?? "");
    if (value === null || value < 2 || value > 100) continue;
    mentions.push({ text: m[0], value, unit: m[2] ?? "", index: m.index });
  }
  return mentions;
}

const EN_RANGE = pattern(
  () => `(?:\\b(between|from)\\s+)?(${EN_NUM})\\s*(?:words?\\s*)?(-|–|—|~|\\bto\\b|\\band\\b|\\bor\\b)\\s*(${EN_NUM})${EN_WORDS_UNIT}`,
  "gi",
);

function enRanges(text: string, out: Candidate[]): void {
  for (const m of allMatches(EN_RANGE(), text)) {
    if (/and/i.test(m[3] ?? "") && !/between/i.test(m[1] ?? "")) continue;
    const low = parseEn(m[2] ?? "");
    const high = parseEn(m[4] ?? "");
    if (low === null || high === null || !(low < high)) continue;
    out.push(candidate(m.index, m[0], high, "range"));
  }
}

const ZH_RANGE = pattern(() => `(${ZH_NUM})\\s*(?:个?字)?\\s*(?:至|到|-|~|—|–)\\s*(${ZH_NUM})\\s*${ZH_CHAR_UNIT}${ZH_NOT_LENGTH_AFTER}`);

function zhRanges(text: string, out: Candidate[]): void {
  for (const m of allMatches(ZH_RANGE(), text)) {
    const low = parseZh(m[1] ?? "");
    const high = parseZh(m[2] ?? "");
    if (low === null || !zhUsable(m[2] ?? "", high, "") || !(low < high)) continue;
    out.push(candidate(m.index, m[0], high, "range"));
  }
}

const ZH_FIELD = pattern(
  () =>
    `(?:总字数|全文字数|文章字数|字数|篇幅|字符数)\\s*(?:要求|限制|控制|需要|需|须|必须|应该|应当|应|要|大约|大概|约)?\\s*(?:在|为|是|达到|达|大于|超过|不少于|不低于|不多于|不超过|不高于|至少|最少|最多|少于|低于|多于|高于|约|大约|大概)?\\s*[：:]?\\s*(?:不少于|不低于|不多于|不超过|至少|最少|约|大约|大概|在|为)?\\s*(${ZH_NUM})(?:\\s*(?:至|到|-|~|—|–)\\s*(${ZH_NUM}))?(?:\\s*${ZH_CHAR_UNIT})?`,
);
const EN_FIELD = pattern(
  () =>
    `\\bword[\\s-]*(?:count|limit|length|target|minimum|maximum|requirement)s?\\b(?:\\s*(?:of|:|=|is|should be|must be|to be|around|about|approximately|roughly|at least|no less than|no more than|minimum|maximum|min\\.?|max\\.?|~)){0,6}\\s*(${EN_NUM})(?:\\s*(?:-|–|to)\\s*(${EN_NUM}))?(?!\\s*(?:%|percent|characters|chars|tokens|pages))`,
  "gi",
);

function fields(text: string, out: Candidate[]): void {
  for (const m of allMatches(ZH_FIELD(), text)) {
    const value = parseZh(m[2] ?? m[1] ?? "");
    if (!zhUsable(m[2] ?? m[1] ?? "", value, "")) continue;
    out.push(candidate(m.index, m[0], value, "field"));
  }
  for (const m of allMatches(EN_FIELD(), text)) {
    const value = parseEn(m[2] ?? m[1] ?? "");
    if (value === null) continue;
    out.push(candidate(m.index, m[0], value, "field"));
  }
}

const EN_SINGLE = pattern(() => `(${EN_NUM})(${EN_WORDS_UNIT}|\\s*(?:Chinese|Mandarin)\\s+characters\\b)`, "gi");

function enSingles(text: string, out: Candidate[]): void {
  for (const m of allMatches(EN_SINGLE(), text)) {
    const value = parseEn(m[1] ?? "");
    if (value === null) continue;
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 40);
    if (EN_NOT_LENGTH_BEFORE.test(before) || EN_NOT_LENGTH_AFTER.test(after)) continue;
    const kind: LengthMatchKind = EN_INPUT_BEFORE.test(before) ? "input" : /characters/i.test(m[2] ?? "") ? "chars" : "words";
    out.push(candidate(m.index, m[0], value, kind));
  }
}

const ZH_SINGLE = pattern(() => `(${ZH_NUM})\\s*${ZH_CHAR_UNIT}${ZH_NOT_LENGTH_AFTER}`);

function zhSingles(text: string, out: Candidate[]): void {
  for (const m of allMatches(ZH_SINGLE(), text)) {
    const before = text.slice(Math.max(0, m.index - 6), m.index);
    const value = parseZh(m[1] ?? "");
    if (!zhUsable(m[1] ?? "", value, before) || ZH_NOT_LENGTH_BEFORE.test(before)) continue;
    out.push(candidate(m.index, m[0], value, ZH_INPUT_BEFORE.test(before) ? "input" : "chars"));
  }
}

function candidate(index: number, text: string, value: number, kind: LengthMatchKind): Candidate {
  return { start: index, end: index + text.length, match: { text, value, kind, index } };
}

/** Rules in priority order: a later rule's match is dropped when it overlaps an earlier accepted one. */
const RULES: Array<(text: string, out: Candidate[]) => void> = [enPerPart, zhPerPart, enRanges, zhRanges, fields, enSingles, zhSingles];

const USED_KINDS: ReadonlySet<LengthMatchKind> = new Set(["words", "chars", "range", "field", "per-part"]);

/**
 * Finds the output length a prompt asks for, with every mention that led there.
 * Ranges give their upper bound and per-part requests multiply out, as LongBench-Write's annotations do.
 * When several different lengths are required the largest wins and `ambiguous` is set.
 *
 * @example extractRequiredLengthDetailed("写五篇日记，每篇400字").length // 2000
 */
export function extractRequiredLengthDetailed(prompt: string): RequiredLengthDetails {
  const text = normalise(prompt);
  const accepted: Candidate[] = [];
  const covered = new Uint8Array(text.length + 1); // 1 where an accepted mention sits
  for (const rule of RULES) {
    const found: Candidate[] = [];
    rule(text, found);
    for (const c of found) {
      if (covered.subarray(c.start, c.end).includes(1)) continue;
      covered.fill(1, c.start, c.end);
      accepted.push(c);
    }
  }
  accepted.sort((a, b) => a.start - b.start);
  const matches = accepted.map((c) => c.match);
  const values = [...new Set(matches.filter((m) => USED_KINDS.has(m.kind)).map((m) => m.value))];
  const length = values.length === 0 ? null : Math.max(...values);
  return { length, matches, ambiguous: values.length > 1 };
}

/**
 * The output length a writing prompt asks for, in countWords units (English words, Chinese characters),
 * or null when it states none. Understands "5000-word", "3,000 words", "at least 800 words", "2000字",
 * "五千字", "1万字", "字数要求：2000左右", ranges (upper bound) and per-part counts ("每篇400字" × "五篇").
 *
 * @example extractRequiredLength("Write a 500-word essay") // 500
 */
export function extractRequiredLength(prompt: string): number | null {
  return extractRequiredLengthDetailed(prompt).length;
}
