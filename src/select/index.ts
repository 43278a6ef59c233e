/** @module select — long-output instruction selection and the SFT post-filters (keep | reason). */
export * from "./filter.js";
export * from "./sft-filters.js";
export * from "./run-filter.js";
export * from "./writing-cues.js";
export * from "./select-by-rules.js";
export * from "./classify-instruction.js";
export * from "./run-select.js";
export * from "./last-turn.js";
export * from "./role-check.js";
