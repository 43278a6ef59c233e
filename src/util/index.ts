export * from "./seeded-random.js";
export * from "./limiter.js";
export * from "./map-ordered.js";
export * from "./format-bytes.js";
export * from "./markdown-table.js";
export * from "./quantile.js";
export * from "./sha256.js";
export * from "./match-glob.js";
