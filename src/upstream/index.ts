/** @module upstream — LongWriter's own files at the pinned commit (resolved, never shipped) and the Python string rules its scripts use. */
export * from "./upstream-files.js";
export * from "./python-text.js";
