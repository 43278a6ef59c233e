/**
 * @module entries/text — the `longwriter-toolkit/text` entry point: LongBench-Write's text metrics
 * without the rest of the library. Importing the main entry evaluates every layer and its dependencies
 * (the openai SDK, zod, Parquet, tokenizers: most of a second of start-up); this entry loads only
 * `src/text/` (and node:crypto for `recordId`). The same functions are exported from the main entry.
 */
export { countWords, countWordsUtf8 } from "../text/count-words.js";
export { countScripts, detectLanguage } from "../text/language.js";
export { lengthScore } from "../text/length-score.js";
export { extractRequiredLength, extractRequiredLengthDetailed } from "../text/required-length.js";
export { recordId } from "../text/record-id.js";
