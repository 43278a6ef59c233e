/**
 * @module dpo/build-pairs — groups scored candidates by prompt and applies a pair policy to each group,
 * yielding each prompt's pairs (or the reason it was skipped) and keeping the counts a manifest needs.
 * Candidates are held per prompt until the stream ends (prompts may arrive interleaved).
 */
import type { Candidate } from "../schemas/candidate.js";
import type { PairPolicy } from "../schemas/pair-policy.js";
import { pairsForPrompt, type PromptPairs } from "./pairs-for-prompt.js";

/** Counts over a whole `buildPairs` run. */
export interface BuildPairsSummary {
  candidates: number;
  prompts: number;
  promptsWithPairs: number;
  pairs: number;
  /** Prompts that gave no pair, by reason. */
  skipped: Record<string, number>;
  /** Candidates left out before ranking, by reason. */
  excludedCandidates: Record<string, number>;
}

export function emptyBuildPairsSummary(): BuildPairsSummary {
  return { candidates: 0, prompts: 0, promptsWithPairs: 0, pairs: 0, skipped: {}, excludedCandidates: {} };
}

/**
 * Applies `policy` to every prompt's candidates, in the order prompts first appear. Fills `summary`
 * as it goes (pass one in to read the counts afterwards).
 *
 * @example
 * const summary = emptyBuildPairsSummary();
 * for await (const { pairs } of buildPairs({ candidates, policy, summary })) await write(pairs);
 */
export async function* buildPairs({
  candidates,
  policy,
  summary = emptyBuildPairsSummary(),
}: {
  candidates: AsyncIterable<Candidate> | Iterable<Candidate>;
  policy: PairPolicy;
  summary?: BuildPairsSummary;
}): AsyncGenerator<PromptPairs> {
  const groups = new Map<string, Candidate[]>();
  for await (const candidate of candidates) {
    summary.candidates += 1;
    const group = groups.get(candidate.promptId);
    if (group) group.push(candidate);
    else groups.set(candidate.promptId, [candidate]);
  }
  for (const [promptId, group] of groups) {
    groups.delete(promptId);
    const outcome = pairsForPrompt({ promptId, candidates: group, policy });
    summary.prompts += 1;
    for (const [reason, n] of Object.entries(outcome.excluded)) {
      summary.excludedCandidates[reason] = (summary.excludedCandidates[reason] ?? 0) + n;
    }
    if (outcome.skipped !== undefined) summary.skipped[outcome.skipped] = (summary.skipped[outcome.skipped] ?? 0) + 1;
    else {
      summary.promptsWithPairs += 1;
      summary.pairs += outcome.pairs.length;
    }
    yield outcome;
  }
}
