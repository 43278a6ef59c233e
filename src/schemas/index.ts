export * from "./message.js";
export * from "./sft-record.js";
export * from "./instruction.js";
export * from "./plan.js";
export * from "./judgement.js";
export * from "./candidate.js";
export * from "./preference-pair.js";
export * from "./pair-policy.js";
