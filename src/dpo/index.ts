export * from "./signal-value.js";
export * from "./pairs-for-prompt.js";
export * from "./build-pairs.js";
export * from "./load-pair-policy.js";
export * from "./audit-pairs.js";
