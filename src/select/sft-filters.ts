/**
 * @module select/sft-filters — the one set of filters for SFT records, used by `filter`, `mix` and any
 * caller's own pipeline: answer present, answer length (min/max words), required length known, length
 * score floor, conversation shape, prompt language, refusals, error strings saved as text (the original
 * code's "Max tries. Failed." and content-policy sentinels, API error bodies), runaway plans, exact
 * duplicates. Each is a `Filter<SftRecord>` dropping with a reason from `DROP_REASONS`; `sftPostFilter`
 * combines them with LongWriter's post-AgentWrite defaults.
 */
import type { SftRecord } from "../schemas/sft-record.js";
import { countWords } from "../text/count-words.js";
import { detectLanguage } from "../text/language.js";
import { lengthScore } from "../text/length-score.js";
import { stableHash } from "../text/record-id.js";
import { extractRequiredLength } from "../text/required-length.js";
import { promptAndAnswer } from "./last-turn.js";
import { checkRoles, type RoleCheckOptions } from "./role-check.js";
import { combineFilters, filterDrop, type Filter } from "./filter.js";

/**
 * The reasons these filters drop a record with (the `reason` of a drop, counted per reason by
 * `applyFilters`). `detail` says more about the one record (`"1500 < 2000 words"`, the language, the
 * role problem).
 */
export const DROP_REASONS = [
  "no_answer",
  "error_text",
  "refusal",
  "runaway_plan",
  "roles",
  "language",
  "no_required_length",
  "ambiguous_required_length",
  "too_short",
  "too_long",
  "length_score",
  "duplicate",
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** The length a record's prompt asks for: a number, null when none is stated, "ambiguous" when several are. */
export type RequiredLengthOf = (record: SftRecord) => number | null | "ambiguous";

const answerWordCache = new WeakMap<SftRecord, number>();

/** countWords of the final assistant answer (0 without one); computed once per record object. */
export function answerWords(record: SftRecord): number {
  let words = answerWordCache.get(record);
  if (words === undefined) {
    words = countWords(promptAndAnswer(record.messages).answer ?? "");
    answerWordCache.set(record, words);
  }
  return words;
}

/** Wraps a required-length rule so filters sharing it compute it once per record object. */
export function memoRequiredLength(rule: RequiredLengthOf): RequiredLengthOf {
  const cache = new WeakMap<SftRecord, number | null | "ambiguous">();
  return (record) => {
    if (cache.has(record)) return cache.get(record)!;
    const value = rule(record);
    cache.set(record, value);
    return value;
  };
}

/** Drops records without a non-empty final assistant answer. */
export const hasAnswer: Filter<SftRecord> = (record) => {
  const { answer } = promptAndAnswer(record.messages);
  return answer !== undefined && answer.trim() !== "" ? true : filterDrop("no_answer");
};

/** Drops answers shorter than `minWords` (countWords units: English words, CJK characters). */
export function minWords(min: number): Filter<SftRecord> {
  return (record) => {
    const words = answerWords(record);
    return words >= min ? true : filterDrop("too_short", `${words} < ${min} words`);
  };
}

/** Drops answers longer than `max` words. */
export function maxWords(max: number): Filter<SftRecord> {
  return (record) => {
    const words = answerWords(record);
    return words <= max ? true : filterDrop("too_long", `${words} > ${max} words`);
  };
}

/**
 * The length an SFT record's prompt asks for: AgentWrite's meta when present, else extracted from the
 * prompt; null when none is stated.
 */
export function requiredLengthOf(record: SftRecord): number | null {
  const meta = record.meta as { agentwrite?: { requiredLength?: unknown }; requiredLength?: unknown } | undefined;
  for (const value of [meta?.agentwrite?.requiredLength, meta?.requiredLength]) {
    if (typeof value === "number" && value > 0) return value;
    if (value === null) return null; // stated as unknown by the stage that made the record
  }
  const prompt = promptAndAnswer(record.messages).prompt;
  return prompt === undefined ? null : extractRequiredLength(prompt);
}

/**
 * Drops answers whose length score S_l (0–100) against the required length is below `minScore`; keeps
 * records without one (pair with `requiredLengthKnown` to drop those). @default rule `requiredLengthOf`
 */
export function minLengthScore(minScore: number, requiredLength: RequiredLengthOf = requiredLengthOf): Filter<SftRecord> {
  return (record) => {
    const required = requiredLength(record);
    if (typeof required !== "number") return true;
    const words = answerWords(record);
    const score = lengthScore(required, words);
    return score >= minScore ? true : filterDrop("length_score", `S_l ${score.toFixed(1)} < ${minScore} (${words} vs ${required})`);
  };
}

/** Drops records whose prompt states no length (`no_required_length`) or several different ones (`ambiguous_required_length`). */
export function requiredLengthKnown(requiredLength: RequiredLengthOf = requiredLengthOf): Filter<SftRecord> {
  return (record) => {
    const required = requiredLength(record);
    if (required === null) return filterDrop("no_required_length");
    return required === "ambiguous" ? filterDrop("ambiguous_required_length") : true;
  };
}

/** Drops conversations of the wrong shape (reason `roles`, detail e.g. `system-turn`; see `checkRoles`). */
export function rolesCheck(options: RoleCheckOptions = {}): Filter<SftRecord> {
  return (record) => {
    const problem = checkRoles(record.messages, options);
    return problem === null ? true : filterDrop("roles", problem.replace(/^roles:/, ""));
  };
}

/** Keeps records whose prompt is in one of `languages` (reason `language`, detail the detected one). */
export function promptLanguage(languages: readonly string[], detect: (text: string) => string = detectLanguage): Filter<SftRecord> {
  const wanted = new Set(languages.map((l) => l.toLowerCase()));
  return (record) => {
    const language = detect(promptAndAnswer(record.messages).prompt ?? "").toLowerCase();
    return wanted.has(language) ? true : filterDrop("language", language);
  };
}

const SENTINELS = ["Max tries. Failed.", "Trigger OpenAI's content management policy"];
const ERROR_OPENINGS: RegExp[] = [
  /^\s*\{\s*"error"\s*:/,
  /^\s*Error code: \d{3}\b/,
  /^\s*(?:openai\.)?(?:APIError|APIConnectionError|RateLimitError|InternalServerError|BadRequestError|AuthenticationError)\b/,
  /^\s*(?:Request failed|An error occurred)\b.*\b(?:status|code)\b/i,
  /This model's maximum context length is \d+ tokens/,
  /\brate_limit_exceeded\b|\binsufficient_quota\b|\bcontext_length_exceeded\b/,
  /^\s*<(?:!DOCTYPE html|html)\b/i,
];

/** Drops answers that are (or contain) error text saved as if it were the model's answer. */
export const noErrorText: Filter<SftRecord> = (record) => {
  const answer = promptAndAnswer(record.messages).answer ?? "";
  const sentinel = SENTINELS.find((s) => answer.includes(s));
  if (sentinel) return filterDrop("error_text", sentinel);
  const head = answer.slice(0, 600);
  const pattern = ERROR_OPENINGS.find((p) => p.test(head));
  return pattern ? filterDrop("error_text", head.slice(0, 80)) : true;
};

const REFUSAL_OPENINGS: RegExp[] = [
  /^(?:I'm|I am) (?:sorry|afraid),? (?:but )?(?:I|as an AI)\b.{0,40}\b(?:can(?:no|')t|unable|not able|won't)\b/i,
  /^(?:Sorry|I apologi[sz]e),? (?:but )?I (?:can(?:no|')t|am unable|won't)\b/i,
  /^I (?:can(?:no|')t|am unable to|won't) (?:help|assist|comply|write|provide|create|fulfil)/i,
  /^As an AI(?: language model)?,? I (?:can(?:no|')t|am (?:not able|unable)|do not|don't)\b/i,
  /^(?:抱歉|对不起|很抱歉|非常抱歉)[，,。！!]?\s*(?:我|作为)?.{0,20}(?:无法|不能|不可以|没办法)/,
  /^作为(?:一个)?(?:人工智能|AI|语言模型).{0,20}(?:无法|不能)/,
  /^我(?:无法|不能)(?:帮助|协助|完成|提供|满足|撰写|写)/,
];

/** Drops answers that open with a refusal (English or Chinese). */
export const noRefusal: Filter<SftRecord> = (record) => {
  const answer = (promptAndAnswer(record.messages).answer ?? "").trimStart().slice(0, 300);
  const hit = REFUSAL_OPENINGS.find((p) => p.test(answer));
  return hit ? filterDrop("refusal", answer.slice(0, 80)) : true;
};

/** Drops records whose AgentWrite plan has more than `maxSteps` sections (LongWriter's runaway guard). */
export function maxPlanSteps(maxSteps: number): Filter<SftRecord> {
  return (record) => {
    const meta = record.meta as { agentwrite?: { plan?: { steps?: unknown[] } }; plan?: unknown } | undefined;
    const steps = meta?.agentwrite?.plan?.steps;
    let count: number | undefined = Array.isArray(steps) ? steps.length : undefined;
    if (count === undefined && typeof meta?.plan === "string") count = meta.plan.split("\n").filter((l) => l.trim()).length;
    return count !== undefined && count > maxSteps ? filterDrop("runaway_plan", `${count} > ${maxSteps} sections`) : true;
  };
}

/** Drops a record whose messages exactly repeat an earlier record's (stateful: create one per stream). */
export function exactDuplicates(): Filter<SftRecord> {
  const seen = new Set<string>();
  return (record) => {
    const key = stableHash(record.messages.map((m) => [m.role, m.content]));
    if (seen.has(key)) return filterDrop("duplicate");
    seen.add(key);
    return true;
  };
}

export interface SftPostFilterOptions {
  /** @default 2000 */
  minWords?: number | undefined;
  /** S_l floor when the prompt states a length; 0 disables. @default 80 */
  minLengthScore?: number | undefined;
  /** @default 50 */
  maxPlanSteps?: number | undefined;
  /** @default true */
  dedupe?: boolean | undefined;
}

/**
 * LongWriter's post-filter in one: answer present, no error text, no refusal, plan not runaway, long
 * enough, length score floor, exact duplicates. Stateful (dedupe): make one per stream.
 */
export function sftPostFilter(options: SftPostFilterOptions = {}): Filter<SftRecord> {
  const { minWords: min = 2000, minLengthScore: floor = 80, maxPlanSteps: steps = 50, dedupe = true } = options;
  const filters: Filter<SftRecord>[] = [hasAnswer, noErrorText, noRefusal, maxPlanSteps(steps), minWords(min)];
  if (floor > 0) filters.push(minLengthScore(floor));
  if (dedupe) filters.push(exactDuplicates());
  return combineFilters(filters);
}
