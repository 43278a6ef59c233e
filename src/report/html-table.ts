/** @module report/html-table — an HTML table from headers and rows; cells are escaped unless marked raw. */
import { escapeXml } from "./svg-text.js";

/** A cell: plain text (escaped), or `{ html }` already escaped, with an optional class and title. */
export type HtmlCell = string | { text?: string; html?: string; className?: string; title?: string };

export interface HtmlTableOptions {
  headers: readonly HtmlCell[];
  rows: readonly (readonly HtmlCell[])[];
  caption?: string | undefined;
  /** Class of the <table>. */
  className?: string | undefined;
  /** Per-row classes (e.g. "published"). */
  rowClasses?: readonly (string | undefined)[] | undefined;
}

function cell(tag: "td" | "th", value: HtmlCell): string {
  if (typeof value === "string") return `<${tag}>${escapeXml(value)}</${tag}>`;
  const attrs = `${value.className ? ` class="${escapeXml(value.className)}"` : ""}${value.title ? ` title="${escapeXml(value.title)}"` : ""}`;
  return `<${tag}${attrs}>${value.html ?? escapeXml(value.text ?? "")}</${tag}>`;
}

/** Renders a table; the first column of each body row is a row header. */
export function renderHtmlTable({ headers, rows, caption, className, rowClasses }: HtmlTableOptions): string {
  const out: string[] = [`<table${className ? ` class="${escapeXml(className)}"` : ""}>`];
  if (caption) out.push(`<caption>${escapeXml(caption)}</caption>`);
  out.push(`<thead><tr>${headers.map((h) => cell("th", h)).join("")}</tr></thead><tbody>`);
  rows.forEach((row, i) => {
    const cls = rowClasses?.[i];
    out.push(`<tr${cls ? ` class="${escapeXml(cls)}"` : ""}>${row.map((c, j) => cell(j === 0 ? "th" : "td", c)).join("")}</tr>`);
  });
  out.push(`</tbody></table>`);
  return out.join("");
}
