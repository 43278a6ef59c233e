/**
 * @module llm/cost-estimate — what a run would cost before it runs (`--dry-run`): the calls it would
 * make, their input tokens counted with the toolkit's own tokenizer (o200k_base), their output tokens
 * (the requested max tokens or a stated assumption) and the price on the direct and the batch path from
 * the price table. Calls already in the journal are free and counted apart.
 */
import { costOf, type PriceTable } from "./prices.js";

/** One call the run would make. */
export interface PlannedCall {
  model: string;
  inputTokens: number;
  outputTokens: number;
}

export interface CostEstimate {
  calls: number;
  /** Calls the journal (or a verdict cache) already holds: replayed for free. */
  replayed: number;
  inputTokens: number;
  outputTokens: number;
  /** null when no price table covers the model(s). */
  directUsd: number | null;
  batchUsd: number | null;
  /** How the numbers were made (token counter, output assumption). */
  assumptions: string[];
}

/** Running sums of planned calls. */
export interface CostEstimator {
  add(call: PlannedCall): void;
  replayed(): void;
  result(assumptions: string[]): CostEstimate;
}

/** @example const e = costEstimator(prices); e.add({ model, inputTokens: 900, outputTokens: 1000 }); e.result([]) */
export function costEstimator(prices: PriceTable | undefined): CostEstimator {
  let calls = 0;
  let replayed = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let direct = 0;
  let batch = 0;
  let priced = true;
  return {
    add(call) {
      calls += 1;
      inputTokens += call.inputTokens;
      outputTokens += call.outputTokens;
      const usage = { promptTokens: call.inputTokens, completionTokens: call.outputTokens };
      const one = costOf(prices, call.model, usage);
      if (one === 0 && call.inputTokens + call.outputTokens > 0 && !hasPrice(prices, call.model)) priced = false;
      direct += one;
      batch += costOf(prices, call.model, usage, { batch: true });
    },
    replayed() {
      replayed += 1;
    },
    result(assumptions) {
      return {
        calls,
        replayed,
        inputTokens,
        outputTokens,
        directUsd: priced && prices ? direct : null,
        batchUsd: priced && prices ? batch : null,
        assumptions,
      };
    },
  };
}

function hasPrice(prices: PriceTable | undefined, model: string): boolean {
  return prices !== undefined && Object.keys(prices).some((name) => model === name || model.startsWith(name));
}

/** The `--dry-run` report for humans. */
export function costEstimateText(label: string, estimate: CostEstimate): string {
  const usd = (value: number | null): string => (value === null ? "unknown (no --prices entry for the model)" : `$${value.toFixed(2)}`);
  return (
    `${label} dry run: ${estimate.calls} calls (${estimate.replayed} more replayed from the journal/cache for free)\n` +
    `  input tokens  ~${estimate.inputTokens}\n` +
    `  output tokens ~${estimate.outputTokens}\n` +
    `  price direct  ${usd(estimate.directUsd)}\n` +
    `  price batch   ${usd(estimate.batchUsd)} (--batch)\n` +
    estimate.assumptions.map((line) => `  assumes: ${line}\n`).join("") +
    "  nothing was sent.\n"
  );
}

/** Output tokens assumed for a response asked to be `words` long (≈1.4 tokens per English word / CJK character). */
export const TOKENS_PER_WORD = 1.4;
/** Output tokens assumed when neither max tokens nor a required length is known. */
export const DEFAULT_OUTPUT_TOKENS = 1000;

/** The output assumption for one call: max tokens when given, else the required length, else the default. */
export function expectedOutputTokens(maxTokens: number | undefined, requiredLength: number | null | undefined): number {
  if (maxTokens !== undefined) return maxTokens;
  if (requiredLength !== null && requiredLength !== undefined) return Math.ceil(requiredLength * TOKENS_PER_WORD);
  return DEFAULT_OUTPUT_TOKENS;
}
