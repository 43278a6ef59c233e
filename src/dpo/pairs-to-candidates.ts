/**
 * @module dpo/pairs-to-candidates — turns existing preference pairs (LLaMA-Factory, UltraFeedback, TRL)
 * into candidates, so a pair policy can re-pair them: each side becomes a candidate of the prompt (pairs
 * sharing a prompt share a group), with its score in `meta.score`, its signals in `meta.signals.<name>`
 * and `meta.preferred` (1 chosen, 0 rejected) for policies that keep the original labels.
 */
import type { Candidate } from "../schemas/candidate.js";
import type { PreferencePair } from "../schemas/preference-pair.js";
import { countWords } from "../text/count-words.js";
import { lengthScore } from "../text/length-score.js";
import { recordId } from "../text/record-id.js";
import { extractRequiredLength } from "../text/required-length.js";

/**
 * Yields two candidates per pair. The prompt text is the last user turn (used for the required length
 * and the judge); the full prompt turns ride along in `meta.promptMessages` and come back in new pairs.
 */
export async function* pairsToCandidates(pairs: AsyncIterable<PreferencePair> | Iterable<PreferencePair>): AsyncGenerator<Candidate> {
  const nextSample = new Map<string, number>();
  for await (const pair of pairs as AsyncIterable<PreferencePair>) {
    const promptId = recordId(pair.prompt.map(({ role, content }) => ({ role, content })));
    const lastUser = [...pair.prompt].reverse().find((m) => m.role === "user")?.content ?? pair.prompt[pair.prompt.length - 1]!.content;
    const requiredLength = extractRequiredLength(lastUser);
    for (const side of ["chosen", "rejected"] as const) {
      const response = pair[side][pair[side].length - 1]?.content ?? "";
      const sample = nextSample.get(promptId) ?? 0;
      nextSample.set(promptId, sample + 1);
      const words = countWords(response);
      const signals: Record<string, number | null> = {};
      for (const [name, value] of Object.entries(pair.signals ?? {})) signals[name] = value[side];
      yield {
        promptId,
        prompt: lastUser,
        response,
        model: String(pair.meta?.[`${side}Model`] ?? pair.source ?? "imported"),
        sample,
        lengthWords: words,
        requiredLength,
        lengthScore: requiredLength === null ? null : lengthScore(requiredLength, words),
        meta: {
          promptMessages: pair.prompt,
          score: side === "chosen" ? pair.score_chosen : pair.score_rejected,
          preferred: side === "chosen" ? 1 : 0,
          signals,
          pairId: pair.id,
          ...(pair.source !== undefined ? { source: pair.source } : {}),
        },
      };
    }
  }
}
