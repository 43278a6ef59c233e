/** @module hub — Hugging Face Hub: dataset cards, publishing dataset dirs, pulling dataset files. */
export * from "./dataset-card.js";
export * from "./merge-dataset-card.js";
export * from "./hub-config.js";
export * from "./hub-fetch.js";
export * from "./hub-error.js";
export * from "./hash-file.js";
export * from "./pull-dataset.js";
export * from "./scan-dataset-dir.js";
export * from "./plan-commit.js";
export * from "./publish-dataset.js";
