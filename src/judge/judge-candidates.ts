/**
 * @module judge/judge-candidates — judges a stream of candidates through the cache: a candidate whose
 * (prompt, response, judge model, template) was judged before costs nothing; new verdicts are appended
 * to the cache as they arrive, so a killed run resumes where it stopped. Optionally judges twice
 * (an independent second pass) for an agreement report.
 */
import type { Candidate } from "../schemas/candidate.js";
import type { Judgement } from "../schemas/judgement.js";
import { mapOrdered } from "../util/map-ordered.js";
import type { JudgeCache } from "./judge-cache.js";
import { judgeResponse, type JudgeChatClient } from "./judge-response.js";
import { JudgeTransportError } from "./judge-transport.js";
import type { JudgeTemplate } from "./judge-template.js";

export interface JudgeCandidatesOptions {
  client: JudgeChatClient;
  candidates: AsyncIterable<Candidate> | Iterable<Candidate>;
  judgeModel: string;
  template: JudgeTemplate;
  cache: JudgeCache;
  /** @default 3 */
  maxAttempts?: number | undefined;
  /** @default 0.5 */
  temperature?: number | undefined;
  /** @default 1024 */
  maxTokens?: number | undefined;
  /** Also ask for a second, independent verdict (stored in `meta.secondJudgement`). @default false */
  twice?: boolean | undefined;
  /** Re-judge cached verdicts whose scores are null. @default false */
  retryFailed?: boolean | undefined;
  /** Candidates in flight at once. @default 16 */
  window?: number | undefined;
  signal?: AbortSignal | undefined;
}

export interface JudgedCandidate {
  /** The candidate with its `judgement` (unchanged, without one, when `failure` is set). */
  candidate: Candidate;
  /** True when every verdict for it came from the cache. */
  cached: boolean;
  second?: Judgement;
  /**
   * Set when a judge call failed in transport: the candidate has no verdict, nothing was cached for it,
   * and a re-run asks again. Callers must not write it as judged.
   */
  failure?: { kind: string; message: string };
}

/**
 * Adds a `judgement` to every candidate, in input order. A candidate whose judge call failed in transport
 * comes back with `failure` set instead (not cached, so a re-run asks again); other errors stop the run.
 *
 * @example
 * for await (const { candidate } of judgeCandidates({ client, candidates, judgeModel, template, cache })) write(candidate);
 */
export async function* judgeCandidates(options: JudgeCandidatesOptions): AsyncGenerator<JudgedCandidate> {
  const {
    client,
    candidates,
    judgeModel,
    template,
    cache,
    maxAttempts = 3,
    temperature = 0.5,
    maxTokens = 1024,
    twice = false,
    retryFailed = false,
    window = 16,
    signal,
  } = options;
  const verdict = async (candidate: Candidate, pass: number): Promise<{ judgement: Judgement; cached: boolean }> => {
    const key = { prompt: candidate.prompt, response: candidate.response, judgeModel, promptHash: template.hash, pass };
    const hit = cache.get(key);
    if (hit && !(retryFailed && hit.scores === null)) return { judgement: hit, cached: true };
    const judgement = await judgeResponse({
      client,
      prompt: candidate.prompt,
      response: candidate.response,
      judgeModel,
      template,
      maxAttempts,
      temperature,
      maxTokens,
      // The second pass is a different request (seeded) so neither a journal nor the server's cache merges it.
      retrySeedBase: 1 + pass * 1000,
      ...(pass > 0 ? { firstSeed: pass * 1000 } : {}),
      signal,
    });
    cache.set(key, judgement);
    return { judgement, cached: false };
  };
  yield* mapOrdered({
    source: candidates,
    window,
    map: async (candidate): Promise<JudgedCandidate> => {
      try {
        return await judgeOne(candidate);
      } catch (error) {
        if (!(error instanceof JudgeTransportError)) throw error;
        return { candidate, cached: false, failure: { kind: error.kind, message: error.message } };
      }
    },
  });

  async function judgeOne(candidate: Candidate): Promise<JudgedCandidate> {
    const first = await verdict(candidate, 0);
    const judged: Candidate = { ...candidate, judgement: first.judgement };
    if (!twice) return { candidate: judged, cached: first.cached };
    const second = await verdict(candidate, 1);
    return {
      candidate: { ...judged, meta: { ...judged.meta, secondJudgement: second.judgement } },
      cached: first.cached && second.cached,
      second: second.judgement,
    };
  }
}
