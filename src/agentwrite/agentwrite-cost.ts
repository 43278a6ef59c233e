/**
 * @module agentwrite/agentwrite-cost — `agentwrite --dry-run`: a plan call per instruction, then one
 * write call per planned section whose prompt holds the instruction, the plan and the text so far.
 * The sections are not known before the plans exist, so the estimate assumes one section per
 * `SECTION_WORDS` required words; write prompts are counted from the real template with o200k_base.
 */
import { costEstimator, TOKENS_PER_WORD, type CostEstimate } from "../llm/cost-estimate.js";
import type { PriceTable } from "../llm/prices.js";
import { createTokenCounter } from "../tokenizers/tokens.js";
import { fillTemplate, type AgentWritePrompts } from "./prompts.js";
import { readInstructions } from "./read-instructions.js";
import { upstreamPlanRequest, upstreamWriteRequest, type UpstreamAgentWritePrompts } from "./upstream-prompts.js";

/** Words per section assumed (upstream plans run ~200–1000 words a paragraph). */
export const SECTION_WORDS = 500;
/** Required length assumed for instructions that state none. */
export const DEFAULT_WORDS = 2000;
/** Tokens a plan spends per section line. */
const PLAN_TOKENS_PER_SECTION = 60;

export async function estimateAgentWriteCost(options: {
  input: string;
  model: string;
  prompts: AgentWritePrompts | UpstreamAgentWritePrompts;
  prices?: PriceTable | undefined;
  skipInvalid?: boolean | undefined;
}): Promise<CostEstimate> {
  const { input, model, prompts, prices, skipInvalid = false } = options;
  const counter = await createTokenCounter("o200k_base");
  const estimator = costEstimator(prices);
  try {
    for await (const { record } of readInstructions(input, { skipInvalid, issues: [] })) {
      const words = record.requiredLength ?? DEFAULT_WORDS;
      const sections = Math.max(1, Math.round(words / SECTION_WORDS));
      const sectionTokens = Math.ceil((words / sections) * TOKENS_PER_WORD);
      const planTokens = sections * PLAN_TOKENS_PER_SECTION;
      const planPrompt =
        prompts.preset === "upstream"
          ? upstreamPlanRequest(prompts, record.prompt)
          : fillTemplate(prompts.plan, { instruction: record.prompt, length: String(words) });
      const writePrompt =
        prompts.preset === "upstream"
          ? upstreamWriteRequest(prompts, { instruction: record.prompt, plan: "", text: "", step: "" })
          : fillTemplate(prompts.write, { instruction: record.prompt, plan: "", text: "", step: "" });
      estimator.add({ model, inputTokens: counter.count(planPrompt), outputTokens: planTokens });
      const base = counter.count(writePrompt) + planTokens;
      for (let k = 0; k < sections; k++) estimator.add({ model, inputTokens: base + k * sectionTokens + 30, outputTokens: sectionTokens });
    }
  } finally {
    counter.free();
  }
  return estimator.result([
    `one section per ${SECTION_WORDS} required words (${DEFAULT_WORDS} words when an instruction states none), ${TOKENS_PER_WORD} tokens a word`,
    "templates counted with o200k_base; retries, replans and journal replays are not counted",
  ]);
}
