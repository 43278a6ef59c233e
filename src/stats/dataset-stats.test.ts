import { describe, expect, it } from "vitest";
import type { PreferencePair } from "../schemas/preference-pair.js";
import type { SftRecord } from "../schemas/sft-record.js";
import { lengthScore } from "../text/length-score.js";
import { computeDatasetStats } from "./dataset-stats.js";
import { renderStatsTable } from "./render-stats-table.js";
import { bucketize, summarize } from "./summarize.js";

const words = (n: number) => Array.from({ length: n }, () => "word").join(" ");
const sft = (id: string, prompt: string, answer: string, system?: string): SftRecord => ({
  id,
  messages: [...(system ? [{ role: "system" as const, content: system }] : []), { role: "user", content: prompt }, { role: "assistant", content: answer }],
});

describe("summarize / bucketize", () => {
  it("gives numpy-style linear quantiles", () => {
    const s = summarize([4, 1, 3, 2, 5])!;
    expect(s).toMatchObject({ count: 5, sum: 15, mean: 3, min: 1, median: 3, p25: 2, p75: 4, max: 5 });
    expect(summarize([1, 2])!.median).toBe(1.5);
    expect(summarize([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])!.p90).toBeCloseTo(9.1);
    expect(summarize([])).toBeNull();
  });

  it("counts into open-ended buckets", () => {
    expect(bucketize([0, 499, 500, 2000, 50_000], [0, 500, 2000]).map((b) => [b.lower, b.upper, b.count])).toEqual([
      [0, 500, 2],
      [500, 2000, 1],
      [2000, null, 2],
    ]);
  });
});

describe("computeDatasetStats", () => {
  const records = [
    sft("1", "Write a 3000-word essay about rivers.", words(3000)),
    sft("2", "写一篇5000字的小说。", "字".repeat(4500), "你是作家"),
    sft("3", "Tell me a joke.", words(12)),
    sft("4", "Write an 11000-word report.", words(10_500)),
  ];

  it("measures the final assistant turn, languages, long-output shares and S_l", async () => {
    const { stats, lengths } = await computeDatasetStats(records, { countTokens: (t) => t.length, tokenizer: "chars" });
    expect(stats.rows).toBe(4);
    expect(stats.kind).toBe("sft");
    expect(stats.withSystem).toBe(1);
    expect(stats.languages).toEqual({ en: 3, zh: 1 });
    expect(lengths.words).toEqual([3000, 4500, 12, 10_500]);
    expect(stats.words).toMatchObject({ min: 12, max: 10_500, sum: 18_012 });
    expect(stats.tokens).toMatchObject({ tokenizer: "chars", max: words(10_500).length });
    expect(stats.over).toEqual([
      { words: 2000, count: 3, share: 0.75 },
      { words: 4000, count: 2, share: 0.5 },
      { words: 10000, count: 1, share: 0.25 },
    ]);
    expect(stats.wordBuckets.map((b) => b.count)).toEqual([1, 0, 0, 1, 1, 1, 0]);
    expect(stats.tokenBuckets!.map((b) => b.count)).toEqual([1, 0, 0, 0, 1, 1, 1]); // tokens = characters here
    expect(stats.requiredLength.stated).toBe(3);
    expect(stats.requiredLength.required).toMatchObject({ min: 3000, max: 11_000 });
    const expectedSl = [lengthScore(3000, 3000), lengthScore(5000, 4500), lengthScore(11_000, 10_500)];
    expect(stats.requiredLength.sl!.sum).toBeCloseTo(expectedSl.reduce((a, b) => a + b, 0));
    expect(stats.requiredLength.sl!.max).toBe(100);
  });

  it("measures the chosen side of preference pairs", async () => {
    const pair: PreferencePair = {
      id: "p",
      prompt: [{ role: "user", content: "Write 100 words." }],
      chosen: [{ role: "assistant", content: words(100) }],
      rejected: [{ role: "assistant", content: words(10) }],
      score_chosen: null,
      score_rejected: null,
    };
    const { stats } = await computeDatasetStats([pair]);
    expect(stats).toMatchObject({ kind: "preference", measured: "chosen final assistant turn", tokens: null, tokenBuckets: null });
    expect(stats.words!.max).toBe(100);
    expect(stats.requiredLength.sl!.mean).toBe(100);
  });

  it("renders a readable table, and handles no rows", async () => {
    const { stats } = await computeDatasetStats(records);
    const table = renderStatsTable({ stats, file: "x.jsonl", formats: ["messages"], skipped: 2 });
    expect(table).toContain("rows            4 SFT records (+2 skipped as invalid)");
    expect(table).toContain("languages       en 3 (75.0%), zh 1 (25.0%)");
    expect(table).toContain("2,000 words: 3 (75.0%)");
    expect(table).toMatch(/stated {8}3 of 4 \(75\.0%\)/);
    const empty = await computeDatasetStats([]);
    expect(empty.stats).toMatchObject({ rows: 0, kind: null, words: null });
    expect(renderStatsTable({ stats: empty.stats, file: "e", formats: [] })).toBe("file            e\nrows            0\n");
  });
});
