/** @module bench/lib/markdown — small formatters for benchmark sections: tables, ratios, sizes. */

/**
 * A GitHub-flavoured markdown table. Columns whose header ends with a space-free numeric hint are not
 * special-cased: pass `align` ("l" | "r") per column when numbers should be right-aligned.
 *
 * @example markdownTable(["job", "wall"], [["ours", "1.2 s"]], ["l", "r"])
 */
export function markdownTable(headers: string[], rows: Array<Array<string | number>>, align: Array<"l" | "r"> = []): string {
  const cell = (value: string | number) => String(value).replace(/\|/g, "\\|").replace(/\n/g, " ");
  const lines = [
    `| ${headers.map(cell).join(" | ")} |`,
    `|${headers.map((_, i) => (align[i] === "r" ? "---:" : "---")).join("|")}|`,
    ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
  ];
  return lines.join("\n");
}

/** `value / anchor` as "1.23×" (two significant decimals). */
export function ratio(value: number, anchor: number): string {
  if (!Number.isFinite(value) || !Number.isFinite(anchor) || anchor === 0) return "n/a";
  return `${(value / anchor).toFixed(2)}×`;
}

/** Milliseconds as "850 ms" or "12.3 s". */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** Megabytes with one decimal ("243.1 MB"). */
export function formatMb(mb: number): string {
  return `${mb.toFixed(1)} MB`;
}

/** Bytes as MB with one decimal. */
export function formatBytes(bytes: number): string {
  return formatMb(bytes / 1024 / 1024);
}

/** CPU time with its system (kernel) part: "14.68 s (2.60 s)". */
export function formatCpu(m: { cpuMs: number; systemMs?: number | undefined }): string {
  return m.systemMs === undefined ? formatMs(m.cpuMs) : `${formatMs(m.cpuMs)} (${formatMs(m.systemMs)})`;
}

/** Minor page faults in thousands ("185k"), "n/a" where not measured. */
export function formatFaults(m: { minorFaults?: number | undefined }): string {
  return m.minorFaults === undefined ? "n/a" : `${(m.minorFaults / 1000).toFixed(0)}k`;
}

/** CPU time outside the kernel (what page faults and syscalls do not inflate); NaN where not measured. */
export function userCpuMs(m: { cpuMs: number; systemMs?: number | undefined }): number {
  return m.cpuMs - (m.systemMs ?? Number.NaN);
}
