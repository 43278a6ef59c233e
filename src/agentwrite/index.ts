/** @module agentwrite — long outputs by plan-then-write (LongWriter's AgentWrite), resumable via the LLM journal. */
export * from "./errors.js";
export * from "./parse-plan.js";
export * from "./strip-section-label.js";
export * from "./prompts.js";
export * from "./call-with-retries.js";
export * from "./plan-instruction.js";
export * from "./write-sections.js";
export * from "./upstream-prompts.js";
export * from "./write-upstream.js";
export * from "./agent-write.js";
export * from "./read-instructions.js";
export * from "./run-agentwrite.js";
