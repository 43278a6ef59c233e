/**
 * @module judge/judge-cost — `judge --dry-run`: one judge call per candidate (two with `twice`) that the
 * verdict cache does not hold, the rendered judge prompt counted with o200k_base, priced direct and batch.
 */
import { costEstimator, type CostEstimate } from "../llm/cost-estimate.js";
import type { PriceTable } from "../llm/prices.js";
import { readJsonl } from "../io/jsonl.js";
import { candidateSchema } from "../schemas/candidate.js";
import { createTokenCounter } from "../tokenizers/tokens.js";
import { openJudgeCache } from "./judge-cache.js";
import { renderJudgePrompt, type JudgeTemplate } from "./judge-template.js";

/** Tokens assumed for a verdict (a short analysis and the JSON scores). */
export const JUDGE_REPLY_TOKENS = 300;

export async function estimateJudgeCost(options: {
  input: string;
  cachePath: string;
  judgeModel: string;
  template: JudgeTemplate;
  twice: boolean;
  retryFailed: boolean;
  prices?: PriceTable | undefined;
  skipInvalid?: boolean | undefined;
}): Promise<CostEstimate> {
  const { input, cachePath, judgeModel, template, twice, retryFailed, prices, skipInvalid = false } = options;
  const cache = openJudgeCache({ path: cachePath });
  const counter = await createTokenCounter("o200k_base");
  const estimator = costEstimator(prices);
  try {
    for await (const { record } of readJsonl(input, { schema: candidateSchema, skipInvalid, issues: [] })) {
      const inputTokens = counter.count(renderJudgePrompt(template, { prompt: record.prompt, response: record.response }));
      for (let pass = 0; pass < (twice ? 2 : 1); pass++) {
        const hit = cache.get({ prompt: record.prompt, response: record.response, judgeModel, promptHash: template.hash, pass });
        if (hit && !(retryFailed && hit.scores === null)) estimator.replayed();
        else estimator.add({ model: judgeModel, inputTokens, outputTokens: JUDGE_REPLY_TOKENS });
      }
    }
  } finally {
    counter.free();
    cache.close();
  }
  return estimator.result([
    "judge prompts counted with o200k_base",
    `a verdict is ${JUDGE_REPLY_TOKENS} tokens; replies that do not parse are asked again (not counted)`,
  ]);
}
