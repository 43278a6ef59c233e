/**
 * @module llm/prices — a per-model price table (USD per 1M tokens) and the cost of a call. Users pass
 * their own table as JSON: `{"gpt-4o": {"input": 2.5, "output": 10}}`. Unknown models cost 0.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { ConfigError, issuePath } from "../errors.js";

const priceSchema = z.object({ input: z.number().nonnegative(), output: z.number().nonnegative() }).strict();
export const priceTableSchema = z.record(z.string().min(1), priceSchema);
/** USD per 1M prompt (`input`) and completion (`output`) tokens, keyed by model name. */
export type PriceTable = z.infer<typeof priceTableSchema>;

/** Cost in USD of a call, looked up by exact model name, then by the longest table key the model starts with. */
export function costOf(prices: PriceTable | undefined, model: string, promptTokens: number, completionTokens: number): number {
  if (!prices) return 0;
  let price = prices[model];
  if (!price) {
    const key = Object.keys(prices)
      .filter((name) => model.startsWith(name))
      .sort((a, b) => b.length - a.length)[0];
    price = key === undefined ? undefined : prices[key];
  }
  if (!price) return 0;
  return (promptTokens * price.input + completionTokens * price.output) / 1_000_000;
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
    throw new ConfigError(`${first.message} (expected {"model": {"input": USD per 1M tokens, "output": ...}})`, {
      file,
      field: issuePath(first.path),
    });
  }
  return parsed.data;
}
