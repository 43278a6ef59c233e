export * from "./parse-judge-reply.js";
export * from "./judge-template.js";
export * from "./judge-response.js";
export * from "./judge-cache.js";
export * from "./judge-candidates.js";
export * from "./judge-agreement.js";
export * from "./run-judge.js";
