/**
 * @module dpo/pair-columns — the flat table layout of a DPO dataset dir: TRL's conversational
 * explicit-prompt columns (`prompt`, `chosen`, `rejected` as message lists, `score_chosen`,
 * `score_rejected`), one `<signal>_chosen` / `<signal>_rejected` column per signal, lengths, margin,
 * the reason, and the rest of the pair as JSON in `meta`. Converts pairs to rows and back.
 */
import type { ColumnSpec } from "../io/column-spec.js";
import type { Message } from "../schemas/message.js";
import type { PreferencePair } from "../schemas/preference-pair.js";
import { completionLength } from "./audit-pairs.js";
import { ConfigError } from "../errors.js";

const FIXED: readonly ColumnSpec[] = [
  { name: "prompt", type: "messages" },
  { name: "chosen", type: "messages" },
  { name: "rejected", type: "messages" },
  { name: "score_chosen", type: "double", nullable: true },
  { name: "score_rejected", type: "double", nullable: true },
];
const TAIL: readonly ColumnSpec[] = [
  { name: "chosen_length", type: "int32" },
  { name: "rejected_length", type: "int32" },
  { name: "margin", type: "double", nullable: true },
  { name: "reason", type: "string", nullable: true },
  { name: "prompt_id", type: "string", nullable: true },
  { name: "id", type: "string" },
  { name: "source", type: "string", nullable: true },
  { name: "meta", type: "json", nullable: true },
];
const RESERVED = new Set([...FIXED, ...TAIL].map((c) => c.name));

/** Column names a signal takes; throws when they would clash with a fixed column. */
export function signalColumns(signal: string): [string, string] {
  const names: [string, string] = [`${signal}_chosen`, `${signal}_rejected`];
  for (const name of names)
    if (RESERVED.has(name)) throw new ConfigError(`signal "${signal}" would produce column "${name}", which is reserved`, { field: "signals" });
  return names;
}

/** The columns of a pairs table with these signals. */
export function pairColumns(signals: readonly string[]): ColumnSpec[] {
  const columns: ColumnSpec[] = [...FIXED];
  for (const signal of signals) {
    const [c, r] = signalColumns(signal);
    columns.push({ name: c, type: "double", nullable: true }, { name: r, type: "double", nullable: true });
  }
  return [...columns, ...TAIL];
}

/** Signal names in a set of columns (the inverse of `pairColumns`). */
export function signalNamesFromColumns(columns: ReadonlyArray<{ name: string }>): string[] {
  const names = new Set(columns.map((c) => c.name));
  return columns
    .map((c) => c.name)
    .filter((n) => n.endsWith("_chosen") && !RESERVED.has(n))
    .map((n) => n.slice(0, -"_chosen".length))
    .filter((s) => names.has(`${s}_rejected`));
}

const META_KEYS_IN_COLUMNS = new Set(["chosenLength", "rejectedLength", "margin", "promptId"]);

/** One table row for a pair. */
export function pairToRow(pair: PreferencePair, signals: readonly string[]): Record<string, unknown> {
  const meta = { ...pair.meta };
  const chosenLength = typeof meta.chosenLength === "number" ? meta.chosenLength : completionLength(pair.chosen);
  const rejectedLength = typeof meta.rejectedLength === "number" ? meta.rejectedLength : completionLength(pair.rejected);
  const margin = pair.score_chosen !== null && pair.score_rejected !== null ? pair.score_chosen - pair.score_rejected : null;
  const promptId = typeof meta.promptId === "string" ? meta.promptId : null;
  for (const key of META_KEYS_IN_COLUMNS) delete meta[key];
  const row: Record<string, unknown> = {
    prompt: pair.prompt,
    chosen: pair.chosen,
    rejected: pair.rejected,
    score_chosen: pair.score_chosen,
    score_rejected: pair.score_rejected,
  };
  for (const signal of signals) {
    const [c, r] = signalColumns(signal);
    row[c] = pair.signals?.[signal]?.chosen ?? null;
    row[r] = pair.signals?.[signal]?.rejected ?? null;
  }
  row.chosen_length = chosenLength;
  row.rejected_length = rejectedLength;
  row.margin = margin === null ? null : Math.round(margin * 1000) / 1000;
  row.reason = pair.reason ?? null;
  row.prompt_id = promptId;
  row.id = pair.id;
  row.source = pair.source ?? null;
  row.meta = Object.keys(meta).length > 0 ? meta : null;
  return row;
}

/** A pair from a table row (as `readDatasetDir(...).rows()` yields it). */
export function pairFromRow(row: Record<string, unknown>, signals: readonly string[]): PreferencePair {
  const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : typeof v === "bigint" ? Number(v) : null);
  const messages = (v: unknown): Message[] => (Array.isArray(v) ? (v as Message[]).map(({ role, content }) => ({ role, content })) : []);
  const pairSignals: NonNullable<PreferencePair["signals"]> = {};
  for (const signal of signals) {
    const [c, r] = signalColumns(signal);
    pairSignals[signal] = { chosen: num(row[c]), rejected: num(row[r]) };
  }
  const rawMeta = row.meta;
  const meta: Record<string, unknown> =
    typeof rawMeta === "string"
      ? (JSON.parse(rawMeta) as Record<string, unknown>)
      : rawMeta && typeof rawMeta === "object"
        ? { ...(rawMeta as Record<string, unknown>) }
        : {};
  if (typeof row.prompt_id === "string") meta.promptId = row.prompt_id;
  const chosenLength = num(row.chosen_length);
  const rejectedLength = num(row.rejected_length);
  if (chosenLength !== null) meta.chosenLength = chosenLength;
  if (rejectedLength !== null) meta.rejectedLength = rejectedLength;
  return {
    id: String(row.id),
    prompt: messages(row.prompt),
    chosen: messages(row.chosen),
    rejected: messages(row.rejected),
    score_chosen: num(row.score_chosen),
    score_rejected: num(row.score_rejected),
    ...(signals.length > 0 ? { signals: pairSignals } : {}),
    ...(typeof row.reason === "string" ? { reason: row.reason } : {}),
    ...(typeof row.source === "string" ? { source: row.source } : {}),
    ...(Object.keys(meta).length > 0 ? { meta } : {}),
  };
}
