/** @module cli/help-width — the width `--help` is laid out in (shared by the parser and the pre-rendered help). */

/** The terminal's width, at most 110 columns; 100 when stdout is not a terminal. */
export function helpWidth(columns: number | undefined = process.stdout.columns): number {
  return Math.min(110, columns || 100);
}
