/**
 * @module mix/token-counter — token counters for budgets and token statistics, by tokenizer name. The
 * default factory uses the text module's offline tokenizers when present, else tiktoken's OpenAI encodings.
 */
import { ConfigError } from "../errors.js";

/** Counts tokens of a text. */
export type CountTokens = (text: string) => number;

/** Makes a counter for a tokenizer name; `where` names the recipe field in errors. */
export type TokenCounterFactory = (name: string, where: { file: string; field: string }) => Promise<CountTokens>;

const TIKTOKEN_ENCODINGS = new Set(["cl100k_base", "o200k_base", "p50k_base", "r50k_base", "gpt2"]);

/** tiktoken's OpenAI encodings (cl100k_base, o200k_base, ...), offline. */
export const defaultTokenCounterFactory: TokenCounterFactory = async (name, where) => {
  if (!TIKTOKEN_ENCODINGS.has(name)) {
    throw new ConfigError(`unknown tokenizer "${name}"; expected one of ${[...TIKTOKEN_ENCODINGS].join(", ")}`, where);
  }
  const { get_encoding } = await import("tiktoken");
  const encoding = get_encoding(name as Parameters<typeof get_encoding>[0]);
  // Special-token text inside data ("<|endoftext|>") is counted as ordinary text, never rejected.
  return (text) => encoding.encode_ordinary(text).length;
};
