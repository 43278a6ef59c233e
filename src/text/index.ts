export * from "./count-words.js";
export * from "./length-score.js";
export * from "./record-id.js";
