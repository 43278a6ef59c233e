/**
 * @module dpo/pairs-for-prompt — applies a pair policy to the candidates of one prompt: drops degenerate
 * candidates, normalises and weights the signals, applies gates, picks the chosen (best combined score,
 * ties per policy) and the rejected side(s) (random-other | worst | length-matched) subject to margins.
 * Every outcome names its reason: a pair says why it was made, a skipped prompt says why it was skipped.
 */
import { ToolkitError } from "../errors.js";
import { createRandom, type SeededRandom } from "../util/seeded-random.js";
import type { Candidate } from "../schemas/candidate.js";
import { messageSchema, type Message } from "../schemas/message.js";
import type { PairPolicy, PairSignal } from "../schemas/pair-policy.js";
import type { PreferencePair } from "../schemas/preference-pair.js";
import { recordId } from "../text/record-id.js";
import { rawSignalValue, valueAtPath } from "./signal-value.js";

/** One candidate as the policy sees it. */
export interface ScoredCandidate {
  candidate: Candidate;
  /** Normalised 0–100 value per signal name; null when missing (and ignored). */
  signals: Record<string, number | null>;
  /** Weighted mean of the present signals, 0–100. */
  combined: number;
}

/** What the policy made of one prompt. */
export interface PromptPairs {
  promptId: string;
  pairs: PreferencePair[];
  /** Why no pair was made (undefined when at least one pair was). */
  skipped?: string;
  /** Candidates left out before ranking, by reason (`empty-response`, `missing-quality`, `gate-quality`, ...). */
  excluded: Record<string, number>;
  /** Candidates that reached ranking. */
  eligible: number;
}

/**
 * Builds the pairs of one prompt. `candidates` are all the samples for `promptId`; the random choices
 * come from `(policy.seed, promptId)`, so the result does not depend on the order prompts arrive in.
 *
 * @example const { pairs, skipped } = pairsForPrompt({ promptId, candidates, policy });
 */
export function pairsForPrompt({
  promptId,
  candidates,
  policy,
  random,
}: {
  promptId: string;
  candidates: readonly Candidate[];
  policy: PairPolicy;
  /** Override the seeded stream (tests). */
  random?: SeededRandom;
}): PromptPairs {
  const excluded: Record<string, number> = {};
  const exclude = (reason: string): void => {
    excluded[reason] = (excluded[reason] ?? 0) + 1;
  };
  const result = (skipped: string | undefined, eligible: number, pairs: PreferencePair[] = []): PromptPairs =>
    skipped === undefined ? { promptId, pairs, excluded, eligible } : { promptId, pairs, skipped, excluded, eligible };

  // 1. Degenerate candidates: empty, or a repeat of an earlier sample's text (a pair of identical texts teaches nothing).
  const seenTexts = new Set<string>();
  const seenSamples = new Set<number>();
  let alive: Candidate[] = [];
  for (const candidate of [...candidates].sort((a, b) => a.sample - b.sample)) {
    if (seenSamples.has(candidate.sample)) {
      throw new ToolkitError(`prompt ${promptId}: two candidates have sample ${candidate.sample}; each sample index must be unique per prompt`);
    }
    seenSamples.add(candidate.sample);
    const text = candidate.response.trim();
    if (text === "") exclude("empty-response");
    else if (seenTexts.has(text)) exclude("duplicate-response");
    else {
      seenTexts.add(text);
      alive.push(candidate);
    }
  }

  // 2. Raw signal values; a missing value excludes the candidate unless the signal says ignore.
  const raw = new Map<Candidate, Record<string, number | null>>();
  alive = alive.filter((candidate) => {
    const values: Record<string, number | null> = {};
    for (const signal of policy.signals) {
      const value = rawSignalValue(candidate, signal.source);
      if (value === null && signal.ifMissing === "exclude") {
        exclude(`missing-${signal.name}`);
        return false;
      }
      values[signal.name] = value;
    }
    raw.set(candidate, values);
    return true;
  });

  // 3. Normalise to 0–100 (min–max over the prompt's remaining candidates where asked).
  const normalised = new Map<Candidate, Record<string, number | null>>();
  for (const candidate of alive) normalised.set(candidate, {});
  for (const signal of policy.signals) {
    const present = alive.map((c) => raw.get(c)![signal.name]).filter((v): v is number => v !== null);
    const lo = Math.min(...present);
    const hi = Math.max(...present);
    for (const candidate of alive) {
      const value = raw.get(candidate)![signal.name] ?? null;
      normalised.get(candidate)![signal.name] = value === null ? null : normalise(signal, value, lo, hi, candidate);
    }
  }

  // 4. Gates on normalised signals or raw fields.
  alive = alive.filter((candidate) => {
    for (const gate of policy.gates) {
      const value = gate.signal !== undefined ? normalised.get(candidate)![gate.signal] : valueAtPath(candidate, gate.field!);
      const ok = typeof value === "number" && (gate.min === undefined || value >= gate.min) && (gate.max === undefined || value <= gate.max);
      if (!ok) {
        exclude(`gate-${gate.signal ?? gate.field}`);
        return false;
      }
    }
    return true;
  });

  // 5. Combined score: weighted mean over the signals the candidate has.
  const scored: ScoredCandidate[] = [];
  for (const candidate of alive) {
    const signals = normalised.get(candidate)!;
    let sum = 0;
    let weights = 0;
    for (const signal of policy.signals) {
      const value = signals[signal.name];
      if (value === null || value === undefined || signal.weight === 0) continue;
      sum += signal.weight * value;
      weights += signal.weight;
    }
    if (weights === 0) exclude("no-weighted-signal");
    else scored.push({ candidate, signals, combined: sum / weights });
  }
  // A prompt whose every candidate was degenerate or gated out is told apart from one that merely has too few.
  if (scored.length === 0) return result("no-eligible-candidates", 0);
  if (scored.length < policy.minCandidates) return result("too-few-candidates", scored.length);

  // 6. Chosen: the best combined score; a shared best is dropped, drawn at random, or broken by a signal.
  const eps = policy.tieEpsilon;
  const rng = random ?? createRandom({ seed: policy.seed, label: `pairs:${promptId}` });
  scored.sort((a, b) => b.combined - a.combined || a.candidate.sample - b.candidate.sample);
  const best = scored[0]!.combined;
  const top = scored.filter((s) => best - s.combined <= eps);
  let chosen: ScoredCandidate;
  const breakBy = typeof policy.ties === "object" ? policy.ties.breakBy : undefined;
  if (top.length === 1) chosen = top[0]!;
  else if (policy.ties === "keep") chosen = top[rng.nextInt(top.length)]!;
  else if (breakBy !== undefined) {
    const key = (s: ScoredCandidate): number => s.signals[breakBy] ?? Number.NEGATIVE_INFINITY;
    const ordered = [...top].sort((a, b) => key(b) - key(a));
    if (key(ordered[0]!) - key(ordered[1]!) <= eps) return result("tied-best", scored.length);
    chosen = ordered[0]!;
  } else return result("tied-best", scored.length);

  // 7. The rejected pool: lower than chosen (ties per policy), then margins, then the length window.
  let pool = scored.filter((s) => s !== chosen);
  pool = pool.filter((s) => {
    const gap = chosen.combined - s.combined;
    if (gap > eps) return true;
    if (policy.ties === "keep") return gap >= -eps;
    if (breakBy !== undefined && gap >= -eps) return (chosen.signals[breakBy] ?? -Infinity) - (s.signals[breakBy] ?? -Infinity) > eps;
    return false;
  });
  if (pool.length === 0) return result("no-lower-candidate", scored.length);
  if (policy.minMargin > 0) {
    pool = pool.filter((s) => chosen.combined - s.combined >= policy.minMargin - eps);
    if (pool.length === 0) return result("below-min-margin", scored.length);
  }
  for (const signal of policy.signals) {
    if (signal.minMargin === undefined) continue;
    const margin = signal.minMargin;
    pool = pool.filter((s) => {
      const c = chosen.signals[signal.name];
      const r = s.signals[signal.name];
      return c !== null && c !== undefined && r !== null && r !== undefined && c - r >= margin - eps;
    });
    if (pool.length === 0) return result(`below-margin-${signal.name}`, scored.length);
  }
  const rule = policy.rejected;
  if (rule.strategy === "length-matched") {
    const target = chosen.candidate.lengthWords;
    const window = (rule.withinPercent / 100) * target;
    pool = pool.filter((s) => Math.abs(s.candidate.lengthWords - target) <= window);
    if (pool.length === 0) return result("no-length-matched-candidate", scored.length);
  }

  // 8. Pick the rejected side(s).
  const count = Math.min(policy.pairsPerPrompt, pool.length);
  let picked: ScoredCandidate[];
  if (rule.strategy === "random-other") {
    const order = [...pool];
    for (let i = 0; i < count; i++) {
      const j = i + rng.nextInt(order.length - i);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    picked = order.slice(0, count);
  } else {
    picked = [...pool].sort((a, b) => a.combined - b.combined || a.candidate.sample - b.candidate.sample).slice(0, count);
  }
  const pairs = picked.map((rejected) => makePair({ chosen, rejected, policy, promptId, of: scored.length }));
  return result(undefined, scored.length, pairs);
}

function normalise(signal: PairSignal, value: number, lo: number, hi: number, candidate: Candidate): number {
  let v: number;
  const how = signal.normalize;
  if (how === "none") {
    if (value < 0 || value > 100) {
      throw new ToolkitError(
        `signal "${signal.name}" (${signal.source}) of prompt ${candidate.promptId} sample ${candidate.sample} is ${value}, outside 0–100; give the signal a normalize range ({min, max}) or "minmax-per-prompt"`,
        { exitCode: 2 },
      );
    }
    v = value;
  } else if (how === "minmax-per-prompt") v = hi > lo ? ((value - lo) / (hi - lo)) * 100 : 50;
  else v = Math.min(100, Math.max(0, ((value - how.min) / (how.max - how.min)) * 100));
  return signal.higherIsBetter ? v : 100 - v;
}

function promptMessages(candidate: Candidate): Message[] {
  const given = candidate.meta?.promptMessages;
  if (Array.isArray(given) && given.length > 0 && given.every((m) => messageSchema.safeParse(m).success)) return given as Message[];
  return [{ role: "user", content: candidate.prompt }];
}

const round = (v: number): number => Math.round(v * 1000) / 1000;

function makePair({
  chosen,
  rejected,
  policy,
  promptId,
  of,
}: {
  chosen: ScoredCandidate;
  rejected: ScoredCandidate;
  policy: PairPolicy;
  promptId: string;
  of: number;
}): PreferencePair {
  const c = chosen.candidate;
  const r = rejected.candidate;
  if (c === r || c.response.trim() === r.response.trim()) {
    throw new ToolkitError(`internal: prompt ${promptId} paired a response with itself`);
  }
  const signals: Record<string, { chosen: number | null; rejected: number | null }> = {};
  for (const signal of policy.signals) {
    signals[signal.name] = { chosen: chosen.signals[signal.name] ?? null, rejected: rejected.signals[signal.name] ?? null };
  }
  const margin = chosen.combined - rejected.combined;
  const how = policy.rejected.strategy === "length-matched" ? `length-matched ±${policy.rejected.withinPercent}%` : policy.rejected.strategy;
  return {
    id: recordId({ promptId, chosen: c.sample, rejected: r.sample }),
    prompt: promptMessages(c),
    chosen: [{ role: "assistant", content: c.response }],
    rejected: [{ role: "assistant", content: r.response }],
    score_chosen: round(chosen.combined),
    score_rejected: round(rejected.combined),
    signals,
    reason: `${policy.name}: best of ${of} (sample ${c.sample}, ${round(chosen.combined)}) vs ${how} (sample ${r.sample}, ${round(rejected.combined)}), margin ${round(margin)}`,
    meta: {
      promptId,
      chosenSample: c.sample,
      rejectedSample: r.sample,
      chosenModel: c.model,
      rejectedModel: r.model,
      chosenLength: c.lengthWords,
      rejectedLength: r.lengthWords,
      requiredLength: c.requiredLength,
      margin: round(margin),
    },
  };
}
