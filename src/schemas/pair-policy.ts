/**
 * @module schemas/pair-policy — a declarative DPO pair policy (`recipes/dpo-*.yaml`, `longwriter pairs`):
 * which signals score a candidate (each normalised to 0–100 and weighted), which candidates may take part
 * (gates), how the rejected side is picked, margins, ties and the seed. Every object is strict, so a
 * misspelt field is an error instead of being ignored.
 */
import { z } from "zod";

const NAME = /^[a-z][a-z0-9_]*$/;

/** How a raw signal value becomes 0–100. */
export const signalNormalizeSchema = z.union([
  /** The value is already on 0–100 (judge quality, length score); anything outside is an input error. */
  z.literal("none"),
  /** Min–max within each prompt's eligible candidates (best 100, worst 0; all equal → 50). */
  z.literal("minmax-per-prompt"),
  /** Linear from [min, max] onto [0, 100], clamped (e.g. a reward model's −10…10, judge dimensions 1…5). */
  z.strictObject({ min: z.number(), max: z.number() }).refine((range) => range.max > range.min, { message: "max must be greater than min" }),
]);

/** One score a candidate is ranked by. */
export const pairSignalSchema = z.strictObject({
  /** Column-safe name (used in output columns `<name>_chosen` / `<name>_rejected`). */
  name: z.string().regex(NAME, "lowercase letters, digits and _; starting with a letter"),
  /**
   * Where the value comes from: `quality` (the judge's 0–100 quality), `lengthScore` (S_l), or a dotted
   * path into the candidate record (`meta.reward`, `judgement.scores.Coherence`, `lengthWords`).
   */
  source: z.string().min(1),
  /** Weight in the combined score (a weighted mean of the normalised signals). @default 1 */
  weight: z.number().nonnegative().default(1),
  /** @default "none" */
  normalize: signalNormalizeSchema.default("none"),
  /** Set false for signals where lower is better (the normalised value is flipped: 100 − v). @default true */
  higherIsBetter: z.boolean().default(true),
  /** The chosen side must beat the rejected side on this signal by at least this much (0–100 scale). */
  minMargin: z.number().nonnegative().optional(),
  /**
   * A candidate without a value (judge never parsed, prompt states no length): `exclude` it (counted as
   * `missing-<name>`), or `ignore` the signal for it (its weight drops out of the combined mean). @default "exclude"
   */
  ifMissing: z.enum(["exclude", "ignore"]).default("exclude"),
});
export type PairSignal = z.infer<typeof pairSignalSchema>;

/** A bound a candidate must meet before ranking: on a signal (0–100) or on a raw field. */
export const pairGateSchema = z
  .strictObject({
    /** A signal name from `signals` (its normalised 0–100 value). */
    signal: z.string().min(1).optional(),
    /** A dotted path into the candidate (raw value), e.g. `lengthWords`. */
    field: z.string().min(1).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .superRefine((gate, ctx) => {
    if ((gate.signal === undefined) === (gate.field === undefined)) {
      ctx.addIssue({ code: "custom", message: "a gate names exactly one of signal or field" });
    }
    if (gate.min === undefined && gate.max === undefined) ctx.addIssue({ code: "custom", message: "a gate needs min, max or both" });
  });
export type PairGate = z.infer<typeof pairGateSchema>;

/** How the rejected side is picked among the candidates that score below the chosen one. */
export const rejectedRuleSchema = z.discriminatedUnion("strategy", [
  /** Uniform (seeded) among the other eligible candidates — the LongWriter paper's rule. */
  z.strictObject({ strategy: z.literal("random-other") }),
  /** The lowest combined score. */
  z.strictObject({ strategy: z.literal("worst") }),
  /**
   * The lowest-scoring candidate whose length is within ±`withinPercent` % of the chosen one's, so the
   * pair does not just teach "longer is better".
   */
  z.strictObject({
    strategy: z.literal("length-matched"),
    /** @default 20 */
    withinPercent: z.number().positive().max(1000).default(20),
  }),
]);
export type RejectedRule = z.infer<typeof rejectedRuleSchema>;

/** What to do when scores tie (within `tieEpsilon`). */
export const tieRuleSchema = z.union([
  /** Skip a prompt whose best score is shared; never pair equal scores. */
  z.literal("drop"),
  /** Break a shared best at random (seeded); equal-score rejected candidates are allowed (minMargin still applies). */
  z.literal("keep"),
  /** Order tied candidates by this signal (higher wins); still tied → as `drop`. */
  z.strictObject({ breakBy: z.string().min(1) }),
]);
export type TieRule = z.infer<typeof tieRuleSchema>;

export const pairPolicySchema = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    /** Seed of every random choice (per prompt, independent of input order). @default 0 */
    seed: z.number().int().default(0),
    signals: z.array(pairSignalSchema).min(1),
    /** Bounds candidates must meet before ranking (e.g. quality ≥ 60). */
    gates: z.array(pairGateSchema).default([]),
    rejected: rejectedRuleSchema.default({ strategy: "random-other" }),
    /** Distinct rejected candidates paired with the chosen one, per prompt (fewer when fewer qualify). @default 1 */
    pairsPerPrompt: z.number().int().positive().default(1),
    /** Minimum combined-score gap between chosen and rejected (0–100 scale). @default 0 */
    minMargin: z.number().nonnegative().default(0),
    /** @default "drop" */
    ties: tieRuleSchema.default("drop"),
    /** Scores closer than this count as equal. @default 1e-9 */
    tieEpsilon: z.number().nonnegative().default(1e-9),
    /** A prompt needs at least this many eligible candidates (after exclusions and gates). @default 2 */
    minCandidates: z.number().int().min(2).default(2),
  })
  .superRefine((policy, ctx) => {
    const names = new Set<string>();
    policy.signals.forEach((signal, index) => {
      if (names.has(signal.name)) ctx.addIssue({ code: "custom", path: ["signals", index, "name"], message: `duplicate signal name "${signal.name}"` });
      names.add(signal.name);
    });
    if (!policy.signals.some((s) => s.weight > 0)) ctx.addIssue({ code: "custom", path: ["signals"], message: "at least one signal needs a weight > 0" });
    policy.gates.forEach((gate, index) => {
      if (gate.signal !== undefined && !names.has(gate.signal)) {
        ctx.addIssue({ code: "custom", path: ["gates", index, "signal"], message: `unknown signal "${gate.signal}" (signals: ${[...names].join(", ")})` });
      }
    });
    if (typeof policy.ties === "object" && !names.has(policy.ties.breakBy)) {
      ctx.addIssue({ code: "custom", path: ["ties", "breakBy"], message: `unknown signal "${policy.ties.breakBy}" (signals: ${[...names].join(", ")})` });
    }
  });
export type PairPolicy = z.infer<typeof pairPolicySchema>;
/** A policy as written in YAML (defaults not yet applied). */
export type PairPolicyInput = z.input<typeof pairPolicySchema>;
