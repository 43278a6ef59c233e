export {};
export * from "./histogram-svg.js";
