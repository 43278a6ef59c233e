import { describe, expect, it } from "vitest";
import type { Candidate } from "../schemas/candidate.js";
import { pairPolicySchema, type PairPolicyInput } from "../schemas/pair-policy.js";
import { pairsForPrompt } from "./pairs-for-prompt.js";

interface Spec {
  quality?: number | null;
  sl?: number | null;
  words?: number;
  text?: string;
  reward?: number;
}

function candidates(specs: Spec[], promptId = "p1"): Candidate[] {
  return specs.map((spec, sample) => ({
    promptId,
    prompt: "Write 1000 words about tides.",
    response: spec.text ?? `response ${sample} ` + "word ".repeat(spec.words ?? 100),
    model: "m",
    sample,
    lengthWords: spec.words ?? 100,
    requiredLength: 1000,
    lengthScore: spec.sl === undefined ? 50 : spec.sl,
    ...(spec.quality === undefined
      ? {}
      : {
          judgement: {
            scores: null,
            quality: spec.quality,
            judgeModel: "j",
            promptHash: "h",
            ...(spec.quality === null ? { error: "never parsed" } : {}),
          },
        }),
    ...(spec.reward === undefined ? {} : { meta: { reward: spec.reward } }),
  }));
}

const base: PairPolicyInput = {
  name: "t",
  signals: [{ name: "quality", source: "quality" }],
  rejected: { strategy: "worst" },
};
const policy = (over: Partial<PairPolicyInput> = {}) => pairPolicySchema.parse({ ...base, ...over });
const samples = (out: ReturnType<typeof pairsForPrompt>) => out.pairs.map((p) => [p.meta!.chosenSample, p.meta!.rejectedSample]);

describe("pairsForPrompt: choosing", () => {
  it("chosen = best combined score, rejected = worst, with scores, signals and a reason", () => {
    const out = pairsForPrompt({
      promptId: "p1",
      candidates: candidates([{ quality: 50 }, { quality: 90 }, { quality: 10 }, { quality: 70 }]),
      policy: policy(),
    });
    expect(samples(out)).toEqual([[1, 2]]);
    const pair = out.pairs[0]!;
    expect(pair.score_chosen).toBe(90);
    expect(pair.score_rejected).toBe(10);
    expect(pair.signals).toEqual({ quality: { chosen: 90, rejected: 10 } });
    expect(pair.prompt).toEqual([{ role: "user", content: "Write 1000 words about tides." }]);
    expect(pair.chosen[0]!.role).toBe("assistant");
    expect(pair.reason).toMatch(/best of 4 .*vs worst .*margin 80/);
  });

  it("combines signals as a weighted mean (paper: quality + S_l, equal weights)", () => {
    const paper = policy({
      signals: [
        { name: "quality", source: "quality" },
        { name: "length", source: "lengthScore" },
      ],
    });
    // combined: s0 = (80+20)/2 = 50, s1 = (60+100)/2 = 80, s2 = (40+40)/2 = 40
    const out = pairsForPrompt({
      promptId: "p1",
      candidates: candidates([
        { quality: 80, sl: 20 },
        { quality: 60, sl: 100 },
        { quality: 40, sl: 40 },
      ]),
      policy: paper,
    });
    expect(samples(out)).toEqual([[1, 2]]);
    expect(out.pairs[0]!.score_chosen).toBe(80);
    const weighted = policy({
      signals: [
        { name: "quality", source: "quality", weight: 3 },
        { name: "length", source: "lengthScore", weight: 1 },
      ],
    });
    // s0 = (240+20)/4 = 65, s1 = (180+100)/4 = 70
    expect(
      samples(
        pairsForPrompt({
          promptId: "p1",
          candidates: candidates([
            { quality: 80, sl: 20 },
            { quality: 60, sl: 100 },
            { quality: 40, sl: 40 },
          ]),
          policy: weighted,
        }),
      ),
    ).toEqual([[1, 2]]);
    const qualityHeavy = policy({
      signals: [
        { name: "quality", source: "quality", weight: 9 },
        { name: "length", source: "lengthScore", weight: 1 },
      ],
    });
    expect(
      samples(
        pairsForPrompt({
          promptId: "p1",
          candidates: candidates([
            { quality: 80, sl: 20 },
            { quality: 60, sl: 100 },
            { quality: 40, sl: 40 },
          ]),
          policy: qualityHeavy,
        }),
      ),
    ).toEqual([[0, 2]]);
  });

  it("normalises any numeric field: linear range, lower-is-better, min–max per prompt", () => {
    const ranged = policy({ signals: [{ name: "rm", source: "meta.reward", normalize: { min: -10, max: 10 } }] });
    const out = pairsForPrompt({ promptId: "p1", candidates: candidates([{ reward: -5 }, { reward: 5 }, { reward: 20 }]), policy: ranged });
    expect(samples(out)).toEqual([[2, 0]]);
    expect(out.pairs[0]!.signals!.rm).toEqual({ chosen: 100, rejected: 25 });
    const lowerBetter = policy({ signals: [{ name: "rm", source: "meta.reward", normalize: "minmax-per-prompt", higherIsBetter: false }] });
    const flipped = pairsForPrompt({ promptId: "p1", candidates: candidates([{ reward: -5 }, { reward: 5 }, { reward: 20 }]), policy: lowerBetter });
    expect(samples(flipped)).toEqual([[0, 2]]);
    expect(flipped.pairs[0]!.signals!.rm).toEqual({ chosen: 100, rejected: 0 });
  });

  it("refuses a 0–100 signal outside 0–100 instead of clamping silently", () => {
    const raw = policy({ signals: [{ name: "rm", source: "meta.reward" }] });
    expect(() => pairsForPrompt({ promptId: "p1", candidates: candidates([{ reward: 5 }, { reward: 250 }]), policy: raw })).toThrow(/outside 0–100.*normalize/);
  });
});

describe("pairsForPrompt: degenerate candidates and gates", () => {
  it("excludes empty, duplicate and unjudged candidates, and skips a prompt left with fewer than 2", () => {
    const out = pairsForPrompt({
      promptId: "p1",
      candidates: candidates([{ quality: 80, text: "  " }, { quality: 70, text: "same" }, { quality: 60, text: "same" }, { quality: null }]),
      policy: policy(),
    });
    expect(out.pairs).toEqual([]);
    expect(out.skipped).toBe("too-few-candidates");
    expect(out.excluded).toEqual({ "empty-response": 1, "duplicate-response": 1, "missing-quality": 1 });
    const none = pairsForPrompt({ promptId: "p1", candidates: candidates([{ quality: 80, text: "" }, { quality: null }]), policy: policy() });
    expect(none.skipped).toBe("no-eligible-candidates");
    expect(none.excluded).toEqual({ "empty-response": 1, "missing-quality": 1 });
  });

  it("ifMissing: ignore drops the signal's weight for candidates without it", () => {
    const p = policy({
      signals: [
        { name: "quality", source: "quality" },
        { name: "length", source: "lengthScore", ifMissing: "ignore" },
      ],
    });
    const out = pairsForPrompt({
      promptId: "p1",
      candidates: candidates([
        { quality: 80, sl: null },
        { quality: 20, sl: null },
      ]),
      policy: p,
    });
    expect(out.pairs[0]!.score_chosen).toBe(80);
    expect(out.pairs[0]!.signals!.length).toEqual({ chosen: null, rejected: null });
  });

  it("gates on a signal and on a raw field, before ranking", () => {
    const gated = policy({
      gates: [
        { signal: "quality", min: 30 },
        { field: "lengthWords", max: 500 },
      ],
    });
    const out = pairsForPrompt({
      promptId: "p1",
      candidates: candidates([{ quality: 90, words: 900 }, { quality: 60 }, { quality: 40 }, { quality: 10 }]),
      policy: gated,
    });
    expect(samples(out)).toEqual([[1, 2]]);
    expect(out.excluded).toEqual({ "gate-lengthWords": 1, "gate-quality": 1 });
  });
});

describe("pairsForPrompt: margins", () => {
  it("minMargin overall filters the rejected pool; none left → skipped with a reason", () => {
    const out = pairsForPrompt({
      promptId: "p1",
      candidates: candidates([{ quality: 70 }, { quality: 65 }, { quality: 40 }]),
      policy: policy({ minMargin: 20, rejected: { strategy: "random-other" } }),
    });
    expect(samples(out)).toEqual([[0, 2]]);
    const none = pairsForPrompt({ promptId: "p1", candidates: candidates([{ quality: 70 }, { quality: 65 }]), policy: policy({ minMargin: 20 }) });
    expect(none.skipped).toBe("below-min-margin");
    expect(none.pairs).toEqual([]);
  });

  it("a margin exactly at minMargin passes", () => {
    const out = pairsForPrompt({ promptId: "p1", candidates: candidates([{ quality: 70 }, { quality: 50 }]), policy: policy({ minMargin: 20 }) });
    expect(out.pairs).toHaveLength(1);
  });

  it("per-signal minMargin: chosen must beat rejected on that signal too", () => {
    const p = policy({
      signals: [
        { name: "quality", source: "quality", minMargin: 10 },
        { name: "length", source: "lengthScore" },
      ],
      rejected: { strategy: "worst" },
    });
    // combined: s0 = 90, s1 = (85+0)/2 = 42.5 (worst, but quality gap only 5), s2 = (60+60)/2 = 60
    const out = pairsForPrompt({
      promptId: "p1",
      candidates: candidates([
        { quality: 90, sl: 90 },
        { quality: 85, sl: 0 },
        { quality: 60, sl: 60 },
      ]),
      policy: p,
    });
    expect(samples(out)).toEqual([[0, 2]]);
    const none = pairsForPrompt({
      promptId: "p1",
      candidates: candidates([
        { quality: 90, sl: 90 },
        { quality: 85, sl: 0 },
      ]),
      policy: p,
    });
    expect(none.skipped).toBe("below-margin-quality");
  });
});

describe("pairsForPrompt: ties", () => {
  const tied = () => candidates([{ quality: 80, sl: 10 }, { quality: 80, sl: 90 }, { quality: 30 }]);

  it("drop: a shared best skips the prompt", () => {
    const out = pairsForPrompt({ promptId: "p1", candidates: tied(), policy: policy({ ties: "drop" }) });
    expect(out.skipped).toBe("tied-best");
  });

  it("drop: never pairs two equal scores", () => {
    const out = pairsForPrompt({
      promptId: "p1",
      candidates: candidates([{ quality: 90 }, { quality: 50 }, { quality: 50 }]),
      policy: policy({ pairsPerPrompt: 3 }),
    });
    expect(out.pairs).toHaveLength(2);
    for (const pair of out.pairs) expect(pair.score_chosen! - pair.score_rejected!).toBeGreaterThan(0);
    expect(
      pairsForPrompt({
        promptId: "p1",
        candidates: candidates([
          { quality: 50, text: "a" },
          { quality: 50, text: "b" },
        ]),
        policy: policy({ ties: "keep" }),
      }).pairs,
    ).toHaveLength(1);
  });

  it("keep: the shared best is drawn at random (seeded) and the other tied one may be rejected", () => {
    const picks = new Set<number>();
    for (let seed = 0; seed < 20; seed++) {
      const out = pairsForPrompt({
        promptId: "p1",
        candidates: tied(),
        policy: policy({ ties: "keep", seed, rejected: { strategy: "random-other" }, pairsPerPrompt: 2 }),
      });
      expect(out.pairs).toHaveLength(2);
      picks.add(out.pairs[0]!.meta!.chosenSample as number);
    }
    expect(picks).toEqual(new Set([0, 1]));
  });

  it("breakBy: the named signal orders a shared best; still tied → skipped", () => {
    const p = policy({
      signals: [
        { name: "quality", source: "quality" },
        { name: "length", source: "lengthScore", weight: 0 },
      ],
      ties: { breakBy: "length" },
    });
    const out = pairsForPrompt({ promptId: "p1", candidates: tied(), policy: p });
    expect(samples(out)).toEqual([[1, 2]]);
    const allTied = candidates([
      { quality: 80, sl: 50 },
      { quality: 80, sl: 50 },
    ]);
    expect(pairsForPrompt({ promptId: "p1", candidates: allTied, policy: p }).skipped).toBe("tied-best");
  });

  it("breakBy: a candidate tied on the combined score but lower on the tie signal can be rejected", () => {
    const p = policy({
      signals: [
        { name: "quality", source: "quality" },
        { name: "length", source: "lengthScore", weight: 0 },
      ],
      ties: { breakBy: "length" },
    });
    const out = pairsForPrompt({
      promptId: "p1",
      candidates: candidates([
        { quality: 80, sl: 10 },
        { quality: 80, sl: 90 },
      ]),
      policy: p,
    });
    expect(samples(out)).toEqual([[1, 0]]);
  });
});

describe("pairsForPrompt: rejected strategies", () => {
  it("length-matched: the rejected side is within ±k% of the chosen length and lower in score", () => {
    const p = policy({ rejected: { strategy: "length-matched", withinPercent: 10 } });
    const out = pairsForPrompt({
      promptId: "p1",
      candidates: candidates([
        { quality: 90, words: 1000 },
        { quality: 10, words: 300 },
        { quality: 50, words: 1080 },
        { quality: 60, words: 950 },
        { quality: 95, words: 980 },
      ]),
      policy: p,
    });
    // chosen = sample 4 (95, 980 words); window 882–1078: samples 0 (1000), 3 (950); worst of those = 3
    expect(samples(out)).toEqual([[4, 3]]);
    const rejectedWords = out.pairs[0]!.meta!.rejectedLength as number;
    expect(Math.abs(rejectedWords - 980)).toBeLessThanOrEqual(98);
    const none = pairsForPrompt({
      promptId: "p1",
      candidates: candidates([
        { quality: 90, words: 1000 },
        { quality: 10, words: 300 },
      ]),
      policy: p,
    });
    expect(none.skipped).toBe("no-length-matched-candidate");
  });

  it("random-other: uniform among the rest, reproducible per seed, independent of input order", () => {
    const cs = candidates([{ quality: 90 }, { quality: 60 }, { quality: 50 }, { quality: 40 }]);
    const p = (seed: number) => policy({ seed, rejected: { strategy: "random-other" } });
    const first = samples(pairsForPrompt({ promptId: "p1", candidates: cs, policy: p(7) }));
    expect(samples(pairsForPrompt({ promptId: "p1", candidates: [...cs].reverse(), policy: p(7) }))).toEqual(first);
    const counts = new Map<number, number>();
    for (let seed = 0; seed < 300; seed++) {
      const r = pairsForPrompt({ promptId: "p1", candidates: cs, policy: p(seed) }).pairs[0]!.meta!.rejectedSample as number;
      counts.set(r, (counts.get(r) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([1, 2, 3]);
    for (const n of counts.values()) expect(n).toBeGreaterThan(70); // ~100 each
  });

  it("pairsPerPrompt gives distinct rejected sides, fewer when fewer qualify", () => {
    const cs = candidates([{ quality: 90 }, { quality: 60 }, { quality: 50 }, { quality: 40 }]);
    const out = pairsForPrompt({ promptId: "p1", candidates: cs, policy: policy({ pairsPerPrompt: 2 }) });
    expect(samples(out)).toEqual([
      [0, 3],
      [0, 2],
    ]);
    const many = pairsForPrompt({ promptId: "p1", candidates: cs, policy: policy({ pairsPerPrompt: 10, rejected: { strategy: "random-other" } }) });
    expect(new Set(many.pairs.map((p) => p.meta!.rejectedSample))).toEqual(new Set([1, 2, 3]));
  });

  it("chosen ≠ rejected, always (random policies over random scores, duplicates included)", () => {
    for (let seed = 0; seed < 200; seed++) {
      const q = (i: number) => ((seed * 31 + i * 17) % 5) * 20;
      const cs = candidates(
        [0, 1, 2, 3].map((i) => ({
          quality: q(i),
          sl: q(i + 2),
          text: i === 3 && seed % 3 === 0 ? "response 0" : `r${i}`,
          words: 100 + ((seed + i) % 3) * 10,
        })),
      );
      const strategies = [{ strategy: "random-other" }, { strategy: "worst" }, { strategy: "length-matched", withinPercent: 15 }] as const;
      const ties = ["drop", "keep", { breakBy: "length" }] as const;
      const out = pairsForPrompt({
        promptId: `p${seed}`,
        candidates: cs,
        policy: policy({
          seed,
          signals: [
            { name: "quality", source: "quality" },
            { name: "length", source: "lengthScore" },
          ],
          rejected: strategies[seed % 3]!,
          ties: ties[(seed >> 2) % 3]!,
          pairsPerPrompt: 1 + (seed % 3),
        }),
      });
      for (const pair of out.pairs) {
        expect(pair.chosen[0]!.content).not.toBe(pair.rejected[0]!.content);
        expect(pair.meta!.chosenSample).not.toBe(pair.meta!.rejectedSample);
        expect(pair.score_chosen!).toBeGreaterThanOrEqual(pair.score_rejected!);
      }
      if (out.pairs.length === 0) expect(out.skipped).toBeTruthy();
    }
  });
});
