/** @module util/format-bytes — a byte count for people: SI units (1 kB = 1,000 B), one decimal above 1 kB. */

/**
 * @example formatBytes(999) // "999 B"; formatBytes(1_234_567) // "1.2 MB"
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
