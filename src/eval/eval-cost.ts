/**
 * @module eval/eval-cost — `eval --dry-run`: a generation call per benchmark item (those in the run's
 * journal replayed for free) and a judge call per item, prompts counted with o200k_base, priced direct
 * and batch for the model under test and the judge.
 */
import { existsSync } from "node:fs";
import { costEstimator, expectedOutputTokens, TOKENS_PER_WORD, type CostEstimate } from "../llm/cost-estimate.js";
import { openJournal } from "../llm/journal.js";
import type { PriceTable } from "../llm/prices.js";
import { requestKey } from "../llm/request-key.js";
import { JUDGE_REPLY_TOKENS } from "../judge/judge-cost.js";
import { renderJudgePrompt, type JudgeTemplate } from "../judge/judge-template.js";
import { createTokenCounter } from "../tokenizers/tokens.js";
import type { BenchItem } from "./bench-item.js";

export async function estimateEvalCost(options: {
  items: BenchItem[];
  generator?: { model: string; temperature: number; maxTokens?: number | undefined; journalPath: string } | undefined;
  judge?: { model: string; template: JudgeTemplate } | undefined;
  prices?: PriceTable | undefined;
}): Promise<CostEstimate> {
  const { items, generator, judge, prices } = options;
  const journal = generator && existsSync(generator.journalPath) ? await openJournal({ path: generator.journalPath }) : undefined;
  const counter = await createTokenCounter("o200k_base");
  const estimator = costEstimator(prices);
  try {
    for (const item of items) {
      const outputTokens = expectedOutputTokens(generator?.maxTokens, item.requiredLength);
      if (generator) {
        const messages = [{ role: "user" as const, content: item.prompt }];
        const key = requestKey({ model: generator.model, messages, temperature: generator.temperature, maxTokens: generator.maxTokens });
        if (journal?.has(key)) estimator.replayed();
        else estimator.add({ model: generator.model, inputTokens: counter.count(item.prompt), outputTokens });
      }
      if (judge) {
        const inputTokens = counter.count(renderJudgePrompt(judge.template, { prompt: item.prompt, response: "" })) + outputTokens;
        estimator.add({ model: judge.model, inputTokens, outputTokens: JUDGE_REPLY_TOKENS });
      }
    }
  } finally {
    counter.free();
    journal?.close();
  }
  return estimator.result([
    `responses are ${TOKENS_PER_WORD} tokens per required word (or --max-tokens), and the judge reads them`,
    `a verdict is ${JUDGE_REPLY_TOKENS} tokens; prompts counted with o200k_base; judge replays are not counted`,
  ]);
}
