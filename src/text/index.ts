export * from "./count-words.js";
export * from "./length-score.js";
export * from "./record-id.js";
export { parseArabicNumber, parseChineseNumeral, parseEnglishNumber, parseNumeral } from "./parse-numeral.js";
export * from "./required-length.js";
export * from "./split-for-tokenizer.js";
export * from "./tokens.js";
export * from "./language.js";
export { fetchHubTokenizer, parseHubTokenizerId, type FetchedTokenizer, type HubTokenizerId, type HubTokenizerSettings } from "./hub-tokenizer.js";
