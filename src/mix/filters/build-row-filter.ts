/**
 * @module mix/filters/build-row-filter — turns a recipe's `filters:` block into the toolkit's filters
 * (select/sft-filters: one contract, one set, one reason vocabulary) and counts drops in manifest.json
 * under the keys mix manifests have always used (`words<500`, `length-score<80`, `language:en`,
 * `roles:system-turn`, `no-required-length`), which carry the recipe's threshold. Checks run in a fixed
 * order (roles, language, answer, required length, answer words, length score); the first failure counts.
 */
import type { MixFilters } from "../../schemas/mix-recipe.js";
import type { SftRecord } from "../../schemas/sft-record.js";
import { combineFilters, type Filter, type FilterDrop } from "../../select/filter.js";
import { promptAndAnswer } from "../../select/last-turn.js";
import {
  hasAnswer,
  maxWords,
  memoRequiredLength,
  minLengthScore,
  minWords,
  promptLanguage,
  requiredLengthKnown,
  rolesCheck,
} from "../../select/sft-filters.js";
import { evalscopeRequiredLength } from "./evalscope-length.js";
import { defaultTextTools, type TextTools } from "./text-tools.js";

/** null = keep; a string = the manifest key the drop is counted under. */
export type RowFilter = (record: SftRecord) => string | null;

/**
 * The filters a recipe's `filters:` block asks for, in check order; empty when it enables nothing.
 *
 * @example combineFilters(recipeFilters({ spec: { requireLength: true, minLengthScore: 80 } }))
 */
export function recipeFilters({ spec, tools = defaultTextTools }: { spec: MixFilters | undefined; tools?: TextTools }): Filter<SftRecord>[] {
  if (!spec) return [];
  const filters: Filter<SftRecord>[] = [];
  if (spec.roles) filters.push(rolesCheck(spec.roles === true ? {} : spec.roles));
  if (spec.languages) filters.push(promptLanguage(spec.languages, (text) => tools.detectLanguage(text)));
  const needsLength = spec.requireLength === true || spec.minLengthScore !== undefined;
  const rule = spec.lengthRule === "evalscope" ? evalscopeRequiredLength : tools.requiredLength;
  const requiredLength = memoRequiredLength((record) => rule(promptAndAnswer(record.messages).prompt ?? ""));
  if (needsLength || spec.minWords !== undefined || spec.maxWords !== undefined) filters.push(noAnswerAtAll);
  if (needsLength) filters.push(requiredLengthKnown(requiredLength));
  if (spec.minWords !== undefined) filters.push(minWords(spec.minWords));
  if (spec.maxWords !== undefined) filters.push(maxWords(spec.maxWords));
  if (spec.minLengthScore !== undefined) filters.push(minLengthScore(spec.minLengthScore, requiredLength));
  return filters;
}

/** Mix has always dropped only rows with no assistant turn here (an empty answer fails the word/length checks). */
const noAnswerAtAll: Filter<SftRecord> = (record) => (promptAndAnswer(record.messages).answer === undefined ? hasAnswer(record) : true);

/** The manifest key for a drop by a recipe filter built from `spec`. */
export function manifestDropKey(drop: FilterDrop, spec: MixFilters): string {
  switch (drop.reason) {
    case "too_short":
      return `words<${spec.minWords}`;
    case "too_long":
      return `words>${spec.maxWords}`;
    case "length_score":
      return `length-score<${spec.minLengthScore}`;
    case "roles":
    case "language":
      return `${drop.reason}:${drop.detail}`;
    default:
      return drop.reason.replace(/_/g, "-");
  }
}

/** A filter as a row filter counting drops under `key(drop)` (the reason itself by default). */
export function toRowFilter(filter: Filter<SftRecord>, key: (drop: FilterDrop) => string = (drop) => drop.reason): RowFilter {
  return (record) => {
    const result = filter(record);
    return result === true ? null : key(result);
  };
}

/**
 * Builds the row filter for `spec`; undefined when the spec enables nothing.
 *
 * @example buildRowFilter({ spec: { requireLength: true, minLengthScore: 80 } })
 */
export function buildRowFilter({ spec, tools = defaultTextTools }: { spec: MixFilters | undefined; tools?: TextTools }): RowFilter | undefined {
  const filters = recipeFilters({ spec, tools });
  if (filters.length === 0 || !spec) return undefined;
  return toRowFilter(combineFilters(filters), (drop) => manifestDropKey(drop, spec));
}

/** Runs several filters in order (e.g. the recipe's global ones, then a source's own). */
export function chainFilters(filters: ReadonlyArray<RowFilter | undefined>): RowFilter | undefined {
  const present = filters.filter((f): f is RowFilter => f !== undefined);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  return (record) => {
    for (const filter of present) {
      const reason = filter(record);
      if (reason !== null) return reason;
    }
    return null;
  };
}
