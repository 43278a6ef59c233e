/** @module stats — dataset statistics (lengths, languages, required-length coverage, S_l) and their report. */
export * from "./summarize.js";
export * from "./dataset-stats.js";
export * from "./render-stats-table.js";
