/** @module report — SVG charts HTML/Markdown tables, no browser needed to make them. */
export * from "./histogram-svg.js";
export * from "./svg-text.js";
export * from "./scatter-svg.js";
export * from "./bar-chart-svg.js";
export * from "./html-table.js";
