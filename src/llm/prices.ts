/**
 * @module llm/prices — a per-model price table (USD per 1M tokens) and the cost of a call as the provider
 * bills it: cached prompt tokens (`usage.prompt_tokens_details.cached_tokens`) at the cached-input price,
 * and calls made through the Batch API at the batch prices. Users pass their own table as JSON:
 * `{"gpt-4o": {"input": 2.5, "cachedInput": 1.25, "output": 10}}`. Unknown models cost 0.
 *
 * Defaults for the optional prices: `cachedInput` = `input` (no discount unless the table says so);
 * `batchInput` / `batchOutput` / `batchCachedInput` = half the direct price (OpenAI's Batch API discount).
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { ConfigError, issuePath } from "../errors.js";

const usd = z.number().nonnegative();
const priceSchema = z
  .object({
    input: usd,
    output: usd,
    cachedInput: usd.optional(),
    batchInput: usd.optional(),
    batchOutput: usd.optional(),
    batchCachedInput: usd.optional(),
  })
  .strict();
export const priceTableSchema = z.record(z.string().min(1), priceSchema);
/** USD per 1M prompt (`input`), cached prompt (`cachedInput`) and completion (`output`) tokens, by model. */
export type PriceTable = z.infer<typeof priceTableSchema>;
export type ModelPrice = z.infer<typeof priceSchema>;

/** The discount the Batch API gives when a table names no batch price (OpenAI: 50%). */
export const DEFAULT_BATCH_FACTOR = 0.5;

/** Token counts of one call as the server reported them. */
export interface UsageCounts {
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens served from the provider's prefix cache (a part of `promptTokens`). */
  cachedTokens?: number;
}

/** The row of `prices` for `model`: exact name first, then the longest key the model name starts with. */
export function priceFor(prices: PriceTable | undefined, model: string): ModelPrice | undefined {
  if (!prices) return undefined;
  const exact = prices[model];
  if (exact) return exact;
  const key = Object.keys(prices)
    .filter((name) => model.startsWith(name))
    .sort((a, b) => b.length - a.length)[0];
  return key === undefined ? undefined : prices[key];
}

/** Per-1M-token rates of one model on the direct or the batch path, defaults filled in. */
export function ratesFor(price: ModelPrice, batch: boolean): { input: number; cachedInput: number; output: number } {
  const cachedInput = price.cachedInput ?? price.input;
  if (!batch) return { input: price.input, cachedInput, output: price.output };
  return {
    input: price.batchInput ?? price.input * DEFAULT_BATCH_FACTOR,
    cachedInput: price.batchCachedInput ?? cachedInput * DEFAULT_BATCH_FACTOR,
    output: price.batchOutput ?? price.output * DEFAULT_BATCH_FACTOR,
  };
}

/**
 * Cost in USD of a call. `usage` may be the token counts, or (older form) the prompt token count with
 * the completion count as the next argument.
 * @example costOf(table, "gpt-4o", { promptTokens: 1000, cachedTokens: 800, completionTokens: 200 }, { batch: true })
 */
export function costOf(prices: PriceTable | undefined, model: string, usage: UsageCounts, options?: { batch?: boolean }): number;
export function costOf(prices: PriceTable | undefined, model: string, promptTokens: number, completionTokens: number): number;
export function costOf(
  prices: PriceTable | undefined,
  model: string,
  usageOrPrompt: UsageCounts | number,
  completionOrOptions?: number | { batch?: boolean },
): number {
  const usage: UsageCounts =
    typeof usageOrPrompt === "number" ? { promptTokens: usageOrPrompt, completionTokens: completionOrOptions as number } : usageOrPrompt;
  const batch = typeof completionOrOptions === "object" && completionOrOptions.batch === true;
  const price = priceFor(prices, model);
  if (!price) return 0;
  const rates = ratesFor(price, batch);
  const cached = Math.min(Math.max(0, usage.cachedTokens ?? 0), usage.promptTokens);
  return ((usage.promptTokens - cached) * rates.input + cached * rates.cachedInput + usage.completionTokens * rates.output) / 1_000_000;
}

/** Reads and validates a price table file; errors name the file and the bad field. */
export async function loadPrices(file: string): Promise<PriceTable> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    throw new ConfigError(`cannot read price table (${(cause as NodeJS.ErrnoException).code ?? "error"})`, { file, cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(`invalid JSON: ${(cause as Error).message}`, { file, cause });
  }
  const parsed = priceTableSchema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new ConfigError(
      `${first.message} (expected {"model": {"input": USD per 1M tokens, "output": ..., optional "cachedInput", "batchInput", "batchOutput", "batchCachedInput"}})`,
      { file, field: issuePath(first.path) },
    );
  }
  return parsed.data;
}
