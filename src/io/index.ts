export * from "./atomic-file.js";
export * from "./read-lines.js";
export * from "./input-issue.js";
export * from "./jsonl.js";
export * from "./json-array.js";
