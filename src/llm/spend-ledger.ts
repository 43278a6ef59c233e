/**
 * @module llm/spend-ledger — what a client has spent: calls, tokens (cached prompt tokens apart), cost
 * from the price table (batch calls at batch prices), replays from the journal, a one-time warning when
 * a server reports no usage (its cost would silently read $0), and the `--max-cost` guard that refuses
 * to start a call once the spend so far plus the calls in flight could pass the budget.
 */
import type { Message } from "../schemas/message.js";
import { BudgetExceededError } from "./errors.js";
import { costOf, type PriceTable, type UsageCounts } from "./prices.js";

export interface LlmTotals {
  /** Calls answered over HTTP (directly or through a batch) in this run. */
  calls: number;
  /** Of `calls`, those answered through the Batch API. */
  batchCalls: number;
  /** Calls answered from the journal. */
  replayed: number;
  /** Calls that failed (after the SDK's retries), including calls refused by the budget. */
  failed: number;
  /** Tokens and cost paid in this run (HTTP calls, including failed calls that reported usage). */
  promptTokens: number;
  /** Of `promptTokens`, those the provider served from its prefix cache. */
  cachedTokens: number;
  completionTokens: number;
  costUsd: number;
  /** What the replayed calls cost when they were first made. */
  savedCostUsd: number;
  /** Answers that came without usage (their cost is counted as 0). */
  usageMissing: number;
  /** True once a call was refused because of `maxCostUsd`. */
  budgetReached: boolean;
}

export interface SpendLedgerOptions {
  prices?: PriceTable | undefined;
  /** Budget in USD for calls made by this client (replays are free). */
  maxCostUsd?: number | undefined;
  /** Output tokens assumed for an in-flight call that sets no max_tokens. @default 4096 */
  assumedOutputTokens?: number | undefined;
  /** Receives warnings (once each). */
  onWarning?: ((message: string) => void) | undefined;
}

export interface SpendLedger {
  readonly totals: LlmTotals;
  /** Counts an answered call; returns its cost. */
  charge(model: string, usage: UsageCounts, options: { batch: boolean; usageReported: boolean }): number;
  /** Counts a replay of a journaled call; returns what it cost originally. */
  replay(model: string, usage: UsageCounts, batch: boolean): number;
  /**
   * Reserves the worst-case cost of calls about to start; throws `BudgetExceededError` (and remembers
   * that the budget was reached) when it would pass `maxCostUsd`. Call the returned function when the
   * calls have been charged (or failed).
   */
  reserve(model: string, requests: ReadonlyArray<EstimableRequest>, batch: boolean): () => void;
  /** How many of `requests` (in order) fit in what is left of the budget. */
  fitting(model: string, requests: ReadonlyArray<EstimableRequest>, batch: boolean): number;
  snapshot(): LlmTotals;
}

/** What the budget guard needs to know about a request. */
export interface EstimableRequest {
  messages: Message[];
  maxTokens?: number | undefined;
}

/** A quick upper-side estimate of a prompt's tokens: UTF-8 bytes / 4 (about 1 token per CJK character / 4 Latin letters). */
export function approxPromptTokens(messages: ReadonlyArray<Message>): number {
  let bytes = 0;
  for (const message of messages) bytes += Buffer.byteLength(message.content, "utf8") + 16;
  return Math.ceil(bytes / 4);
}

export function emptyTotals(): LlmTotals {
  return {
    calls: 0,
    batchCalls: 0,
    replayed: 0,
    failed: 0,
    promptTokens: 0,
    cachedTokens: 0,
    completionTokens: 0,
    costUsd: 0,
    savedCostUsd: 0,
    usageMissing: 0,
    budgetReached: false,
  };
}

/** @example const ledger = createSpendLedger({ prices, maxCostUsd: 5 }); */
export function createSpendLedger(options: SpendLedgerOptions = {}): SpendLedger {
  const { prices, maxCostUsd, assumedOutputTokens = 4096, onWarning } = options;
  const totals = emptyTotals();
  let reserved = 0;
  let warnedNoUsage = false;
  const estimate = (model: string, request: EstimableRequest, batch: boolean): number =>
    costOf(prices, model, { promptTokens: approxPromptTokens(request.messages), completionTokens: request.maxTokens ?? assumedOutputTokens }, { batch });
  return {
    totals,
    charge(model, usage, { batch, usageReported }) {
      if (!usageReported) {
        totals.usageMissing += 1;
        if (!warnedNoUsage) {
          warnedNoUsage = true;
          onWarning?.(`the server reported no token usage for a call to ${model}: tokens and cost are counted as 0 for such calls`);
        }
      }
      const costUsd = costOf(prices, model, usage, { batch });
      totals.promptTokens += usage.promptTokens;
      totals.cachedTokens += Math.min(usage.cachedTokens ?? 0, usage.promptTokens);
      totals.completionTokens += usage.completionTokens;
      totals.costUsd += costUsd;
      return costUsd;
    },
    replay(model, usage, batch) {
      const costUsd = costOf(prices, model, usage, { batch });
      totals.replayed += 1;
      totals.savedCostUsd += costUsd;
      return costUsd;
    },
    reserve(model, requests, batch) {
      if (maxCostUsd === undefined) return () => undefined;
      let amount = 0;
      for (const request of requests) amount += estimate(model, request, batch);
      if (totals.budgetReached || totals.costUsd + reserved + amount > maxCostUsd) {
        totals.budgetReached = true;
        throw new BudgetExceededError({ model, maxCostUsd, spentUsd: totals.costUsd + reserved });
      }
      reserved += amount;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        reserved -= amount;
      };
    },
    fitting(model, requests, batch) {
      if (maxCostUsd === undefined) return requests.length;
      if (totals.budgetReached) return 0;
      let sum = totals.costUsd + reserved;
      let n = 0;
      for (const request of requests) {
        sum += estimate(model, request, batch);
        if (sum > maxCostUsd) break;
        n += 1;
      }
      return n;
    },
    snapshot: () => ({ ...totals }),
  };
}

/** The spend fields every LLM command's summary (and `--json`) carries. */
export interface SpendSummary {
  calls: number;
  batchCalls: number;
  replayed: number;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  costUsd: number;
  budgetReached: boolean;
}

export function spendSummary(totals: LlmTotals): SpendSummary {
  const { calls, batchCalls, replayed, promptTokens, cachedTokens, completionTokens, costUsd, budgetReached } = totals;
  return { calls, batchCalls, replayed, promptTokens, cachedTokens, completionTokens, costUsd, budgetReached };
}
