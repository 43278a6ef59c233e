/**
 * longwriter-toolkit — the data side of LongWriter as a library. Every stage is a function over
 * async iterables of validated records; the `longwriter` CLI is a thin layer over these exports.
 */
export * from "./errors.js";
export * from "./version.js";
export * from "./schemas/index.js";
export * from "./text/index.js";
export * from "./util/index.js";
export * from "./io/index.js";
export * from "./llm/index.js";
export * from "./agentwrite/index.js";
export * from "./judge/index.js";
export * from "./select/index.js";
export * from "./mix/index.js";
export * from "./dpo/index.js";
export * from "./hub/index.js";
export * from "./upstream/index.js";
export * from "./eval/index.js";
export * from "./report/index.js";
export * from "./stats/index.js";
