/**
 * @module agentwrite/parse-plan — turns a planner's reply into a Plan. Accepts our line format
 * ("Section 2 | 400 words | main point"), LongWriter's ("Paragraph 2 - Main Point: … - Word Count: 400
 * words"), its Chinese form ("段落2 - 要点：… - 字数：400字", "第二段：…（约400字）"), numbered lists,
 * markdown (bold, bullets, headings, tables, fences) and prose around the plan. Steps may span lines
 * ("**Paragraph 1**" then "- Main Point: …" then "- Word Count: …"). Validation is separate (`validatePlan`).
 */
import type { Plan, PlanStep } from "../schemas/plan.js";
import { parseChineseNumeral } from "../text/parse-numeral.js";

export type ParsePlanResult = { ok: true; plan: Plan } | { ok: false; reason: string };

const ZH_NUM = "零〇一二两三四五六七八九十百";
/** Step header at the start of a (cleaned) line; group 1 = its number. */
const HEADER_PATTERNS: RegExp[] = [
  /^(?:section|paragraph|para|part|step|segment|chapter)\s*#?\s*(\d{1,3})\b\s*[:.：|\-–—)]?/i,
  /^(?:段落|段|部分|章节|第)\s*(\d{1,3})\s*(?:段|部分|节|章)?\s*[:.：|\-–—、)]?/,
  new RegExp(`^第\\s*([${ZH_NUM}]{1,4})\\s*(?:段|部分|节|章)\\s*[:.：|\\-–—、)]?`),
  /^(\d{1,3})\s*[.)、:：|]\s+/,
  /^(\d{1,3})\s*[.)、|]\s*(?=\S)/,
];
const MAIN_POINT = /(?:main\s*point|要点|主要内容|内容)\s*[:：]\s*(.+?)(?=\s*[-–—|]?\s*(?:word\s*count|字数)\s*[:：]|$)/i;
const WORD_FIELD =
  /(?:word\s*count|字数)\s*[:：]\s*[[(（]?\s*(?:about|approximately|approx\.?|around|e\.g\.,?|约|大约)?\s*([\d,，]+(?:\s*[-–~到至]\s*[\d,，]+)?)/i;
const WORDS_INLINE = /(?:about|approximately|approx\.?|around|~|约|大约)?\s*(\d[\d,，]*(?:\s*[-–~到至]\s*\d[\d,，]*)?)\s*(?:words?\b|字)/gi;
const TOTAL_LINE = /^(?:total|overall|in total|sum|总字数|总计|合计|共计|全文)/i;

interface Draft {
  number: number;
  mainPoint: string;
  words: number | null;
  wordsFromField: boolean;
}

/** Parses a planner reply; returns the steps in order (renumbered 1..n) or why nothing usable was found. */
export function parsePlan(reply: string): ParsePlanResult {
  const lines = reply
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map(cleanLine)
    .filter((line) => line !== "" && !/^```/.test(line) && !/^[-|:\s]+$/.test(line));
  const drafts: Draft[] = [];
  let current: Draft | undefined;
  for (const line of lines) {
    const header = matchHeader(line);
    if (header) {
      current = { number: header.number, mainPoint: "", words: null, wordsFromField: false };
      drafts.push(current);
      absorb(current, header.rest, true);
      continue;
    }
    if (!current || TOTAL_LINE.test(line)) continue;
    absorb(current, line, false);
  }
  if (drafts.length === 0) {
    // Plans without numbering: every line that carries a word budget is one step.
    for (const line of lines) {
      if (TOTAL_LINE.test(line)) continue;
      const words = wordsIn(line);
      if (words === null) continue;
      const draft: Draft = { number: drafts.length + 1, mainPoint: "", words: null, wordsFromField: false };
      absorb(draft, line, true);
      drafts.push(draft);
    }
  }
  const steps: PlanStep[] = [];
  for (const draft of drafts) {
    const mainPoint = tidyMainPoint(draft.mainPoint);
    if (mainPoint === "") continue; // a header with nothing to write is not a step
    steps.push({ index: steps.length + 1, mainPoint, words: draft.words });
  }
  if (steps.length === 0) {
    return {
      ok: false,
      reason: drafts.length ? "the plan's sections have no main points" : "no plan lines found (expected 'Section N | W words | main point')",
    };
  }
  const totalWords = steps.reduce((sum, step) => sum + (step.words ?? 0), 0);
  return { ok: true, plan: { steps, totalWords } };
}

export interface PlanLimits {
  /** @default 1 */
  minSteps?: number;
  /** @default 50 (LongWriter's own guard against runaway plans) */
  maxSteps?: number;
  /** Length the instruction asks for (words; characters for Chinese); null when it states none. */
  requiredLength?: number | null;
  /** Allowed relative gap between the budgets' sum and requiredLength. @default 0.35 */
  tolerance?: number;
}

/** Checks step count and, when a length is required, that the budgets add up to roughly that length. */
export function validatePlan(plan: Plan, limits: PlanLimits = {}): { ok: true } | { ok: false; reason: string } {
  const { minSteps = 1, maxSteps = 50, requiredLength = null, tolerance = 0.35 } = limits;
  const count = plan.steps.length;
  if (count < minSteps) return { ok: false, reason: `the plan has ${count} sections; at least ${minSteps} needed` };
  if (count > maxSteps) return { ok: false, reason: `the plan has ${count} sections; at most ${maxSteps} allowed` };
  if (requiredLength !== null && requiredLength > 0) {
    const known = plan.steps.filter((s) => s.words !== null);
    if (known.length === 0) return { ok: true };
    const average = plan.totalWords / known.length;
    const estimate = plan.totalWords + average * (count - known.length);
    const gap = Math.abs(estimate - requiredLength) / requiredLength;
    if (gap > tolerance) {
      return {
        ok: false,
        reason: `the section budgets add up to about ${Math.round(estimate)} words but the task asks for ${requiredLength}`,
      };
    }
  }
  return { ok: true };
}

/**
 * Renders one step the way the write prompt shows it. `unit` names the budget's unit: "words", or
 * "字" for Chinese instructions, whose lengths are counted in characters.
 */
export function formatStep(step: PlanStep, unit: "words" | "字" = "words"): string {
  return `Section ${step.index} | ${step.words === null ? "as needed" : `${step.words} ${unit}`} | ${step.mainPoint}`;
}

/** Renders the whole plan, one step per line. */
export function formatPlan(plan: Plan, unit: "words" | "字" = "words"): string {
  return plan.steps.map((step) => formatStep(step, unit)).join("\n");
}

function cleanLine(raw: string): string {
  let line = raw.trim();
  line = line.replace(/^#{1,6}\s+/, "");
  line = line.replace(/^>\s*/, "");
  line = line.replace(/^\|(.*)\|$/, "$1").trim(); // markdown table row
  line = line.replace(/\*\*|__/g, "");
  line = line.replace(/^[-*+•·]\s+/, "");
  line = line.replace(/^\*(?=\S)(.*?)\*/, "$1");
  return line.trim();
}

function matchHeader(line: string): { number: number; rest: string } | undefined {
  for (const pattern of HEADER_PATTERNS) {
    const match = pattern.exec(line);
    if (!match) continue;
    const raw = match[1]!;
    const number = /^\d+$/.test(raw) ? Number(raw) : parseChineseNumeral(raw);
    if (number === null || number < 1) continue;
    return { number, rest: line.slice(match[0].length).trim() };
  }
  return undefined;
}

/** Reads main point and word budget out of a header's remainder (`fresh`) or a continuation line. */
function absorb(draft: Draft, text: string, fresh: boolean): void {
  const field = WORD_FIELD.exec(text);
  if (field) {
    draft.words = parseBudget(field[1]!);
    draft.wordsFromField = true;
  }
  const point = MAIN_POINT.exec(text);
  if (point) {
    draft.mainPoint = point[1]!;
    return;
  }
  if (field) {
    // "Word Count: 400 words" on its own line, or our "| 400 words |" after a header.
    const before = text.slice(0, field.index).trim();
    if (fresh && before) draft.mainPoint = before;
    return;
  }
  if (!draft.wordsFromField) {
    const inline = wordsIn(text);
    if (inline !== null && (draft.words === null || fresh)) draft.words = inline;
  }
  if (tidyMainPoint(text) === "") return;
  if (fresh || draft.mainPoint === "") {
    draft.mainPoint = draft.mainPoint ? `${draft.mainPoint} ${text}` : text;
  }
}

function wordsIn(text: string): number | null {
  let last: number | null = null;
  for (const match of text.matchAll(WORDS_INLINE)) last = parseBudget(match[1]!);
  return last;
}

function parseBudget(text: string): number | null {
  const numbers = text
    .split(/\s*[-–~到至]\s*/)
    .map((part) => Number(part.replace(/[,，\s]/g, "")))
    .filter((n) => Number.isFinite(n) && n > 0);
  if (numbers.length === 0) return null;
  const value = numbers.length === 1 ? numbers[0]! : (numbers[0]! + numbers[numbers.length - 1]!) / 2;
  return Math.round(value);
}

/** Removes the budget and separators around a main point. */
function tidyMainPoint(text: string): string {
  let point = text;
  point = point.replace(
    /[（(]\s*(?:about|approximately|approx\.?|around|~|约|大约)?\s*\d[\d,，]*(?:\s*[-–~到至]\s*\d[\d,，]*)?\s*(?:words?|字)\s*[)）]/gi,
    " ",
  );
  point = point.replace(
    /(?:^|\s*[|\-–—,，;；]\s*)(?:about|approximately|approx\.?|around|~|约|大约)?\s*\d[\d,，]*(?:\s*[-–~到至]\s*\d[\d,，]*)?\s*(?:words?|字)\s*(?=[|\-–—]|$)/gi,
    " ",
  );
  point = point.replace(/^\s*as needed\s*(?=[|\-–—])/i, "");
  point = point.replace(/(?:word\s*count|字数)\s*[:：].*$/i, "");
  point = point.replace(/^(?:main\s*point|要点)\s*[:：]\s*/i, "");
  point = point.replace(/[\s(（[]+$/, "");
  point = point.replace(/^[\s|:：\-–—.、]+|[\s|\-–—,，;；]+$/g, "");
  point = point.replace(/\s+([:：])/g, "$1");
  point = point.replace(/^\[(.*)\]$/, "$1"); // "[main point]" copied from the template's brackets
  point = point.replace(/\s{2,}/g, " ");
  return point.trim();
}
