/**
 * @module dpo/sample-cost — `sample --dry-run`: the calls `runSample` would make (k per prompt, those in
 * the journal replayed for free), their input tokens (o200k_base) and expected output, priced direct
 * and batch.
 */
import { existsSync } from "node:fs";
import { costEstimator, expectedOutputTokens, TOKENS_PER_WORD, DEFAULT_OUTPUT_TOKENS, type CostEstimate } from "../llm/cost-estimate.js";
import { openJournal } from "../llm/journal.js";
import type { PriceTable } from "../llm/prices.js";
import { requestKey } from "../llm/request-key.js";
import { createTokenCounter } from "../tokenizers/tokens.js";
import { readSamplePrompts } from "./sample-prompts.js";

export async function estimateSampleCost(options: {
  input: string;
  model: string;
  n: number;
  temperature: number;
  topP?: number | undefined;
  maxTokens?: number | undefined;
  seed: number;
  journalPath: string;
  prices?: PriceTable | undefined;
  skipInvalid?: boolean | undefined;
}): Promise<CostEstimate> {
  const { input, model, n, temperature, topP, maxTokens, seed, journalPath, prices, skipInvalid = false } = options;
  const journal = existsSync(journalPath) ? await openJournal({ path: journalPath }) : undefined;
  const counter = await createTokenCounter("o200k_base");
  const estimator = costEstimator(prices);
  try {
    for await (const prompt of readSamplePrompts(input, { skipInvalid, issues: [] })) {
      const messages = [{ role: "user" as const, content: prompt.prompt }];
      const inputTokens = counter.count(prompt.prompt);
      for (let sample = 0; sample < n; sample++) {
        const key = requestKey({ model, messages, temperature, topP, maxTokens, seed: seed + sample });
        if (journal?.has(key)) estimator.replayed();
        else estimator.add({ model, inputTokens, outputTokens: expectedOutputTokens(maxTokens, prompt.requiredLength) });
      }
    }
  } finally {
    counter.free();
    journal?.close();
  }
  return estimator.result([
    "input tokens counted with o200k_base (other tokenizers differ by a few percent)",
    maxTokens !== undefined
      ? `every response uses its full --max-tokens ${maxTokens} (an upper bound)`
      : `a response is ${TOKENS_PER_WORD} tokens per required word, ${DEFAULT_OUTPUT_TOKENS} tokens when the prompt states no length`,
  ]);
}
