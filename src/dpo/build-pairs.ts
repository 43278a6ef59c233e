/**
 * @module dpo/build-pairs — groups scored candidates by prompt and applies a pair policy to each group,
 * yielding each prompt's pairs (or the reason it was skipped) and keeping the counts a manifest needs.
 * Prompts may arrive interleaved. Without `groupSizes` every candidate is held until the stream ends; with
 * them (a cheap first pass over the file counts candidates per prompt), a prompt is paired as soon as its
 * last candidate arrives, so a file written prompt by prompt (as `sample` and `judge` write) streams with
 * about one prompt's candidates in memory. The output order is the same either way.
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
  groupSizes,
}: {
  candidates: AsyncIterable<Candidate> | Iterable<Candidate>;
  policy: PairPolicy;
  summary?: BuildPairsSummary;
  /** Candidates per promptId in the input, when known: lets finished prompts be paired while streaming. */
  groupSizes?: ReadonlyMap<string, number> | undefined;
}): AsyncGenerator<PromptPairs> {
  const groups = new Map<string, Candidate[]>();
  const firstSeen: string[] = []; // promptIds in order of first appearance
  let next = 0; // firstSeen[next] is the next prompt to pair
  const isComplete = (promptId: string): boolean => groups.get(promptId)!.length >= (groupSizes?.get(promptId) ?? Infinity);
  const pair = (promptId: string): PromptPairs => {
    const group = groups.get(promptId)!;
    groups.delete(promptId);
    return pairGroup({ promptId, group, policy, summary });
  };
  for await (const candidate of candidates) {
    summary.candidates += 1;
    const group = groups.get(candidate.promptId);
    if (group) group.push(candidate);
    else {
      groups.set(candidate.promptId, [candidate]);
      firstSeen.push(candidate.promptId);
    }
    if (groupSizes === undefined) continue;
    while (next < firstSeen.length && isComplete(firstSeen[next]!)) yield pair(firstSeen[next++]!);
  }
  while (next < firstSeen.length) yield pair(firstSeen[next++]!);
}

/** Applies the policy to one prompt's candidates and adds the outcome to `summary`. */
function pairGroup({
  promptId,
  group,
  policy,
  summary,
}: {
  promptId: string;
  group: Candidate[];
  policy: PairPolicy;
  summary: BuildPairsSummary;
}): PromptPairs {
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
  return outcome;
}
