/**
 * @module dpo/sample-candidates — draws k responses per prompt from an OpenAI-compatible model and turns
 * each into a Candidate with its length (countWords), required length and S_l. Sample i is sent with
 * `seed = seed + i`, which keeps the k requests distinct (and their journal keys distinct), so a re-run
 * through a journaled client replays every finished sample and asks only for the missing ones.
 */
import type { LlmClient } from "../llm/client.js";
import { LlmCallError } from "../llm/errors.js";
import type { Candidate } from "../schemas/candidate.js";
import { countWords } from "../text/count-words.js";
import { lengthScore } from "../text/length-score.js";
import { mapOrdered } from "../util/map-ordered.js";
import type { SamplePrompt } from "./sample-prompts.js";
import { OptionError } from "../errors.js";

/** Upper bound of samples per prompt: the paper used 4; a typo like `-n 1e6` must not exhaust memory or the budget. */
export const MAX_SAMPLES_PER_PROMPT = 1000;

export interface SampleCandidatesOptions {
  client: Pick<LlmClient, "chat">;
  prompts: AsyncIterable<SamplePrompt> | Iterable<SamplePrompt>;
  /** Model to sample from (recorded in each candidate). */
  model: string;
  /** Responses per prompt. @default 4 (the LongWriter paper) */
  n?: number | undefined;
  /** @default 0.8 */
  temperature?: number | undefined;
  topP?: number | undefined;
  maxTokens?: number | undefined;
  /** Base seed; sample i uses seed + i. @default 0 */
  seed?: number | undefined;
  /** Prompts in flight at once (each has n calls; the client's own limit still applies). @default 8 */
  window?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** One sample that did not produce a candidate, and why. */
export interface SampleFailure {
  promptId: string;
  sample: number;
  /** Short stable code (`length`, `content_filter`, `http`, ...). */
  kind: string;
  message: string;
}

/** Everything drawn for one prompt. */
export interface SampledPrompt {
  prompt: SamplePrompt;
  candidates: Candidate[];
  failures: SampleFailure[];
  /** Samples answered from the journal rather than over HTTP. */
  replayed: number;
}

/** HTTP statuses that mean the whole run is misconfigured (bad key, unknown model): stop at once. */
const FATAL_STATUSES = new Set([400, 401, 403, 404]);

/**
 * Samples `n` responses for every prompt, yielding prompts in input order. A failed sample (cut off at
 * max tokens, filtered, empty, a server error after retries) is reported in `failures`, never written as
 * a candidate; an authentication or unknown-model error stops the run.
 *
 * @example
 * for await (const { candidates } of sampleCandidates({ client, prompts, model: "m", n: 4 })) write(candidates);
 */
export async function* sampleCandidates(options: SampleCandidatesOptions): AsyncGenerator<SampledPrompt> {
  const { client, prompts, model, n = 4, temperature = 0.8, topP, maxTokens, seed = 0, window = 8, signal } = options;
  if (!Number.isInteger(n) || n < 1 || n > MAX_SAMPLES_PER_PROMPT) {
    throw new OptionError(`n must be a whole number of samples per prompt in 1–${MAX_SAMPLES_PER_PROMPT}, got ${n}`, { field: "n" });
  }
  yield* mapOrdered({
    source: prompts,
    window,
    map: async (prompt): Promise<SampledPrompt> => {
      const results = await Promise.all(
        Array.from({ length: n }, async (_, sample): Promise<{ candidate: Candidate; replayed: boolean } | { failure: SampleFailure }> => {
          try {
            const reply = await client.chat(
              {
                model,
                messages: [{ role: "user", content: prompt.prompt }],
                temperature,
                topP,
                maxTokens,
                seed: seed + sample,
                tag: `sample ${prompt.promptId}#${sample}`,
              },
              signal ? { signal } : undefined,
            );
            const lengthWords = countWords(reply.text);
            const candidate: Candidate = {
              promptId: prompt.promptId,
              prompt: prompt.prompt,
              response: reply.text,
              model,
              sample,
              lengthWords,
              requiredLength: prompt.requiredLength,
              lengthScore: prompt.requiredLength === null ? null : lengthScore(prompt.requiredLength, lengthWords),
              meta: { seed: seed + sample, finishReason: reply.finishReason },
            };
            return { candidate, replayed: reply.replayed };
          } catch (error) {
            if (!LlmCallError.isLlmCallError(error)) throw error;
            if (error.kind === "aborted" || (error.status !== undefined && FATAL_STATUSES.has(error.status))) throw error;
            const failure: SampleFailure = { promptId: prompt.promptId, sample, kind: error.kind, message: error.message };
            return { failure };
          }
        }),
      );
      const out: SampledPrompt = { prompt, candidates: [], failures: [], replayed: 0 };
      for (const result of results) {
        if ("failure" in result) out.failures.push(result.failure);
        else {
          out.candidates.push(result.candidate);
          if (result.replayed) out.replayed += 1;
        }
      }
      return out;
    },
  });
}
