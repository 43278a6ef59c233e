export * from "./seeded-random.js";
export * from "./limiter.js";
export * from "./map-ordered.js";
