/**
 * @module cli/spend-text — how LLM commands say what they spent: tokens (with the cached share), calls
 * through the Batch API, cost, and the message when the `--max-cost` budget stopped the run.
 */
import type { SpendSummary } from "../llm/spend-ledger.js";

/** "12,000 prompt tokens (40% cached) + 3,000 completion tokens, 20 batch calls, $0.0123". */
export function spendText(totals: SpendSummary): string {
  const cached = totals.promptTokens > 0 && totals.cachedTokens > 0 ? ` (${((totals.cachedTokens / totals.promptTokens) * 100).toFixed(0)}% cached)` : "";
  const batch = totals.batchCalls > 0 ? `, ${totals.batchCalls} through the Batch API` : "";
  return `${totals.promptTokens} prompt tokens${cached} + ${totals.completionTokens} completion tokens${batch}, $${totals.costUsd.toFixed(4)}`;
}

/** Numeric fields for item progress lines: tokens so far and cost. */
export function spendFields(totals: SpendSummary): Record<string, number> {
  return { tokens: totals.promptTokens + totals.completionTokens, usd: Math.round(totals.costUsd * 10_000) / 10_000 };
}

/** The stderr line when the budget stopped a run. */
export function budgetMessage(totals: SpendSummary, maxCostUsd: number): string {
  return (
    `budget reached: $${totals.costUsd.toFixed(4)} spent of --max-cost $${maxCostUsd}; calls that could pass it were not started. ` +
    `What finished is written and journaled: re-run with a higher --max-cost to continue.\n`
  );
}
