/**
 * @module mix/filters/build-row-filter — turns a recipe's `filters:` block into one function that keeps a
 * row (null) or names why it is dropped. Checks run in a fixed order (roles, language, required length,
 * answer words, length score) and the first failure is the reason counted.
 */
import type { MixFilters } from "../../schemas/mix-recipe.js";
import type { SftRecord } from "../../schemas/sft-record.js";
import { countWords } from "../../text/count-words.js";
import { lengthScore } from "../../text/length-score.js";
import { evalscopeRequiredLength } from "./evalscope-length.js";
import { promptAndAnswer } from "../../select/last-turn.js";
import { checkRoles } from "../../select/role-check.js";
import { defaultTextTools, type TextTools } from "./text-tools.js";

/** null = keep; a string = the drop reason (counted in the manifest). */
export type RowFilter = (record: SftRecord) => string | null;

/**
 * Builds the filter for `spec`; undefined when the spec enables nothing.
 *
 * @example buildRowFilter({ spec: { requireLength: true, minLengthScore: 80 } })
 */
export function buildRowFilter({ spec, tools = defaultTextTools }: { spec: MixFilters | undefined; tools?: TextTools }): RowFilter | undefined {
  if (!spec) return undefined;
  const checks: RowFilter[] = [];
  if (spec.roles) {
    const options = spec.roles === true ? {} : spec.roles;
    checks.push((record) => checkRoles(record.messages, options));
  }
  if (spec.languages) {
    const wanted = new Set(spec.languages.map((l) => l.toLowerCase()));
    checks.push((record) => {
      const { prompt } = promptAndAnswer(record.messages);
      const language = tools.detectLanguage(prompt ?? "").toLowerCase();
      return wanted.has(language) ? null : `language:${language}`;
    });
  }
  const needsLength = spec.requireLength === true || spec.minLengthScore !== undefined;
  const requiredLength = spec.lengthRule === "evalscope" ? evalscopeRequiredLength : tools.requiredLength;
  const needsWords = needsLength || spec.minWords !== undefined || spec.maxWords !== undefined;
  if (needsWords) {
    checks.push((record) => {
      const { prompt, answer } = promptAndAnswer(record.messages);
      if (answer === undefined) return "no-answer";
      const required = needsLength ? requiredLength(prompt ?? "") : null;
      if (needsLength && required === null) return "no-required-length";
      if (required === "ambiguous") return "ambiguous-required-length";
      const words = countWords(answer);
      if (spec.minWords !== undefined && words < spec.minWords) return `words<${spec.minWords}`;
      if (spec.maxWords !== undefined && words > spec.maxWords) return `words>${spec.maxWords}`;
      if (spec.minLengthScore !== undefined && typeof required === "number" && lengthScore(required, words) < spec.minLengthScore) {
        return `length-score<${spec.minLengthScore}`;
      }
      return null;
    });
  }
  if (checks.length === 0) return undefined;
  return (record) => {
    for (const check of checks) {
      const reason = check(record);
      if (reason !== null) return reason;
    }
    return null;
  };
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
