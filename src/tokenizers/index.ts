/** @module tokenizers — token counts for budgets and stats: offline tokenizers, and Hub model tokenizers fetched once into the cache. */
export * from "./tokens.js";
export { fetchHubTokenizer, parseHubTokenizerId, type FetchedTokenizer, type HubTokenizerId, type HubTokenizerSettings } from "./hub-tokenizer.js";
