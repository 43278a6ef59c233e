export * from "./parse-judge-reply.js";
export * from "./judge-template.js";
export * from "./judge-response.js";
export * from "./judge-cache.js";
