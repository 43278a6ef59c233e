/**
 * @module select/select-by-rules — keeps instructions that need long answers: a stated length at or
 * above the threshold, or (no length stated) a writing task with a long-output cue.
 */
import { extractRequiredLength } from "../text/required-length.js";
import { longOutputCue, writingTaskCue } from "./writing-cues.js";

export interface RuleVerdict {
  keep: boolean;
  /** "length", "cues", "short_length", "no_cue" — the counted reason. */
  rule: "length" | "cues" | "short_length" | "no_cue";
  /** Human-readable why. */
  reason: string;
  requiredLength: number | null;
  /** True when rules cannot tell (no length stated): an LLM classifier may decide. */
  undecided: boolean;
}

/**
 * Judges one prompt by rules.
 * @example selectByRules({ prompt: "写一篇3000字的小说" }) // { keep: true, rule: "length", ... }
 */
export function selectByRules({ prompt, minLength = 2000 }: { prompt: string; minLength?: number }): RuleVerdict {
  const requiredLength = extractRequiredLength(prompt);
  if (requiredLength !== null) {
    return requiredLength >= minLength
      ? { keep: true, rule: "length", reason: `asks for ${requiredLength} ≥ ${minLength}`, requiredLength, undecided: false }
      : { keep: false, rule: "short_length", reason: `asks for ${requiredLength} < ${minLength}`, requiredLength, undecided: false };
  }
  const task = writingTaskCue(prompt);
  const long = longOutputCue(prompt);
  if (task && long) {
    return { keep: true, rule: "cues", reason: `writing task ("${task}") with a long-output cue ("${long}")`, requiredLength, undecided: true };
  }
  const why = task ? `writing task ("${task}") but no length stated and no long-output cue` : "no stated length and no writing-task cue";
  return { keep: false, rule: "no_cue", reason: why, requiredLength, undecided: true };
}
