/**
 * @module mix/token-counter — token counters for budgets and token statistics, by tokenizer name, from
 * the text module's tokenizers (o200k_base, cl100k_base, a Hub model id, or a tokenizer.json path).
 */
import { ConfigError, ToolkitError } from "../errors.js";
import { createTokenCounter } from "../text/tokens.js";

/** Counts tokens of a text. */
export type CountTokens = (text: string) => number;

/** Makes a counter for a tokenizer name; `where` names the recipe field in errors. */
export type TokenCounterFactory = (name: string, where: { file: string; field: string }) => Promise<CountTokens>;

/** The text module's createTokenCounter, with errors naming the recipe file and field. */
export const defaultTokenCounterFactory: TokenCounterFactory = async (name, where) => {
  try {
    const counter = await createTokenCounter(name);
    return (text) => counter.count(text);
  } catch (error) {
    if (ToolkitError.isInstance(error)) throw new ConfigError(error.message, { ...where, cause: error });
    throw error;
  }
};
