/**
 * Judging through the real openai SDK against the loopback server: a run aborted midway keeps every
 * verdict it finished in the cache, and the resumed run asks only for the rest; --twice gives an
 * independent second verdict and an agreement report; --retry-failed re-asks only null verdicts.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { judgeAgreement } from "../src/judge/judge-agreement.js";
import { openJudgeCache } from "../src/judge/judge-cache.js";
import { judgeCandidates } from "../src/judge/judge-candidates.js";
import { loadJudgeTemplate, type JudgeTemplate } from "../src/judge/judge-template.js";
import { createLlmClient } from "../src/llm/client.js";
import type { Candidate } from "../src/schemas/candidate.js";
import { JUDGE_DIMENSIONS } from "../src/schemas/judgement.js";
import { startOpenAiServer, type OpenAiServer } from "./helpers/openai-server.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const dir = makeTmpDir("dpo-judge-");
let server: OpenAiServer;
let template: JudgeTemplate;
let refuse = true;

const candidates: Candidate[] = Array.from({ length: 20 }, (_, i) => ({
  promptId: `p${i >> 2}`,
  prompt: `Write about topic ${i >> 2}.`,
  response: `Answer number ${i} with some words.`,
  model: "m",
  sample: i % 4,
  lengthWords: 6,
  requiredLength: null,
  lengthScore: null,
}));

beforeAll(async () => {
  template = await loadJudgeTemplate();
  server = await startOpenAiServer({
    latencyMs: 10,
    respond: (body) => {
      const content = body.messages[0]!.content;
      if (refuse && content.includes("Answer number 7 ")) return "No verdict from me.";
      const n = Number(/Answer number (\d+)/.exec(content)?.[1] ?? 0);
      const shift = body.seed !== undefined && Number(body.seed) >= 1000 ? 1 : 0; // second opinion differs a little
      const scores = Object.fromEntries(JUDGE_DIMENSIONS.map((d, i) => [d, Math.min(5, 1 + ((n + i) % 5) + (i === 0 ? shift : 0))]));
      return JSON.stringify(scores);
    },
  });
});
afterAll(() => server.close());

async function drain<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("judgeCandidates on the test server", () => {
  it("an aborted run keeps finished verdicts; the resumed run asks only for the rest", async () => {
    const cachePath = join(dir, "cache.jsonl");
    const controller = new AbortController();
    const client = createLlmClient({ baseURL: server.baseURL, model: "judge", concurrency: 2, maxRetries: 0 });
    const cache = openJudgeCache({ path: cachePath });
    let seen = 0;
    const first = drain(
      (async function* () {
        for await (const judged of judgeCandidates({ client, candidates, judgeModel: "judge", template, cache, window: 4, signal: controller.signal })) {
          seen += 1;
          if (seen === 8) controller.abort();
          yield judged;
        }
      })(),
    );
    await expect(first).rejects.toThrow(/abort/i);
    cache.close();
    await client.close();
    const afterFirst = server.requestCount();
    const finished = openJudgeCache({ path: cachePath }).size;
    expect(finished).toBeGreaterThanOrEqual(7);
    expect(finished).toBeLessThan(20);

    const again = openJudgeCache({ path: cachePath });
    const client2 = createLlmClient({ baseURL: server.baseURL, model: "judge", concurrency: 2 });
    const judged = await drain(judgeCandidates({ client: client2, candidates, judgeModel: "judge", template, cache: again }));
    again.close();
    expect(judged).toHaveLength(20);
    expect(judged.filter((j) => j.cached)).toHaveLength(finished);
    // 20 − finished new candidates, the refusing one asked 3 times (unless it was already finished as null)
    const refusedCached = judged.find((j) => j.candidate.response.startsWith("Answer number 7 "))!.cached;
    expect(server.requestCount() - afterFirst).toBe(20 - finished + (refusedCached ? 0 : 2));
    const nulls = judged.filter((j) => j.candidate.judgement!.scores === null);
    expect(nulls.map((j) => j.candidate.sample)).toEqual([3]);
    expect(nulls[0]!.candidate.judgement!.error).toMatch(/no usable verdict after 3 attempts/);

    // retry-failed re-asks only the null verdict; it now parses
    refuse = false;
    const mark = server.requestCount();
    const cache3 = openJudgeCache({ path: cachePath });
    const retried = await drain(judgeCandidates({ client: client2, candidates, judgeModel: "judge", template, cache: cache3, retryFailed: true }));
    cache3.close();
    expect(server.requestCount() - mark).toBe(1);
    expect(retried.every((j) => j.candidate.judgement!.scores !== null)).toBe(true);
    expect(openJudgeCache({ path: cachePath }).size).toBe(20);
    await client2.close();
  });

  it("--twice: a second, different request per candidate and an agreement report", async () => {
    const client = createLlmClient({ baseURL: server.baseURL, model: "judge", concurrency: 4 });
    const cache = openJudgeCache({ path: join(dir, "twice.jsonl") });
    const mark = server.requestCount();
    const judged = await drain(judgeCandidates({ client, candidates: candidates.slice(0, 10), judgeModel: "judge", template, cache, twice: true }));
    expect(server.requestCount() - mark).toBe(20);
    const agreement = judgeAgreement(judged.map((j) => [j.candidate.judgement!, j.second!] as const));
    expect(agreement.items).toBe(10);
    expect(agreement.dimensions.Accuracy!.exact).toBe(1);
    expect(agreement.dimensions.Relevance!.exact).toBeLessThan(1);
    expect(agreement.dimensions.Relevance!.withinOne).toBe(1);
    expect(agreement.quality!.meanAbsDiff).toBeGreaterThan(0);
    expect(judged[0]!.candidate.meta!.secondJudgement).toEqual(judged[0]!.second);
    // both passes are cached
    const again = await drain(judgeCandidates({ client, candidates: candidates.slice(0, 10), judgeModel: "judge", template, cache, twice: true }));
    expect(again.every((j) => j.cached)).toBe(true);
    expect(server.requestCount() - mark).toBe(20);
    cache.close();
    await client.close();
  });
});
