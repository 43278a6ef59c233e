import { describe, expect, it } from "vitest";
import type { Candidate } from "../schemas/candidate.js";
import { validatePairPolicy } from "./load-pair-policy.js";
import { buildPairs, emptyBuildPairsSummary } from "./build-pairs.js";

const policy = validatePairPolicy({
  value: { name: "t", seed: 3, signals: [{ name: "quality", source: "quality", weight: 1 }], rejected: { strategy: "random-other" } },
});

function candidate(promptId: string, sample: number, quality: number): Candidate {
  const response = `answer ${promptId} ${sample} `.repeat(sample + 1);
  return {
    promptId,
    prompt: `prompt ${promptId}`,
    response,
    model: "m",
    sample,
    lengthWords: sample + 1,
    requiredLength: null,
    lengthScore: null,
    judgement: {
      scores: null,
      quality,
      judgeModel: "j",
      promptHash: "h",
    },
  };
}

const contiguous = ["a", "b", "c"].flatMap((p, i) => [0, 1, 2, 3].map((s) => candidate(p, s, 20 * s + i)));
const interleaved = [0, 1, 2, 3].flatMap((s) => ["a", "b", "c"].map((p, i) => candidate(p, s, 20 * s + i)));
const sizes = new Map([
  ["a", 4],
  ["b", 4],
  ["c", 4],
]);

async function run(candidates: Candidate[], groupSizes?: Map<string, number>, consumed?: number[]) {
  const summary = emptyBuildPairsSummary();
  let read = 0;
  async function* source() {
    for (const c of candidates) {
      read += 1;
      yield c;
    }
  }
  const outcomes = [];
  for await (const outcome of buildPairs({ candidates: source(), policy, summary, groupSizes })) {
    consumed?.push(read);
    outcomes.push(outcome);
  }
  return { outcomes, summary };
}

describe("buildPairs with group sizes", () => {
  it("pairs each prompt as soon as its last candidate arrives when the input is grouped", async () => {
    const consumed: number[] = [];
    await run(contiguous, sizes, consumed);
    expect(consumed).toEqual([4, 8, 12]);
  });

  it("gives the same pairs, order and counts with or without group sizes, grouped or interleaved", async () => {
    const reference = await run(contiguous);
    expect(reference.summary.pairs).toBe(3);
    for (const [input, groupSizes] of [
      [contiguous, sizes],
      [interleaved, sizes],
      [interleaved, undefined],
    ] as const) {
      const other = await run(input as Candidate[], groupSizes);
      expect(other.outcomes.map((o) => o.pairs.map((p) => p.id))).toEqual(reference.outcomes.map((o) => o.pairs.map((p) => p.id)));
      expect(other.summary).toEqual(reference.summary);
    }
  });

  it("holds a prompt whose count was overestimated until the end, still in first-seen order", async () => {
    const consumed: number[] = [];
    const { outcomes } = await run(
      contiguous,
      new Map([
        ["a", 5],
        ["b", 4],
        ["c", 4],
      ]),
      consumed,
    );
    expect(consumed).toEqual([12, 12, 12]);
    expect(outcomes.map((o) => o.promptId)).toEqual(["a", "b", "c"]);
  });
});
