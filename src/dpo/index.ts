export * from "./signal-value.js";
export * from "./pairs-for-prompt.js";
export * from "./build-pairs.js";
export * from "./load-pair-policy.js";
export * from "./audit-pairs.js";
export * from "./map-ordered.js";
export * from "./sample-prompts.js";
export * from "./sample-candidates.js";
