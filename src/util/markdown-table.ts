/** @module util/markdown-table — a GitHub-flavoured Markdown table from headers and rows, cells escaped. */

export type Align = "left" | "right" | "center";

/** Escapes a cell: pipes, and newlines turned into spaces. */
export function markdownCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/**
 * Renders a Markdown table. `align` defaults to left for the first column and right for the others.
 *
 * @example markdownTable(["model", "S"], [["a", "80.1"]]) // "| model | S |\n|:--|--:|\n| a | 80.1 |\n"
 */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[], align?: readonly Align[]): string {
  const aligns = headers.map((_, i) => align?.[i] ?? (i === 0 ? "left" : "right"));
  const rule = aligns.map((a) => (a === "left" ? ":--" : a === "right" ? "--:" : ":-:"));
  const line = (cells: readonly string[]) => `| ${headers.map((_, i) => markdownCell(cells[i] ?? "")).join(" | ")} |`;
  return [line(headers), `|${rule.join("|")}|`, ...rows.map(line)].join("\n") + "\n";
}
