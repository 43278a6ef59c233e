/**
 * @module io/adapters/detect-format — the adapter registry and format auto-detection from a raw record's
 * fields. Detection looks at one record (the first of a file); an explicit format always wins.
 */
import { ConfigError } from "../../errors.js";
import { alpacaAdapter } from "./alpaca.js";
import { formatKind, type FormatAdapter, type FormatName, type PreferenceAdapter, type RawRecord, type RecordKind, type SftAdapter } from "./format.js";
import { messagesAdapter } from "./messages.js";
import { sharegptPreferenceAdapter } from "./sharegpt-preference.js";
import { sharegptAdapter } from "./sharegpt.js";
import { trlAdapter } from "./trl.js";
import { ultrafeedbackAdapter } from "./ultrafeedback.js";

/** Every adapter, in detection order (preference formats first: they are the more specific shapes). */
export const ADAPTERS: readonly FormatAdapter[] = [
  sharegptPreferenceAdapter,
  ultrafeedbackAdapter,
  trlAdapter,
  messagesAdapter,
  sharegptAdapter,
  alpacaAdapter,
];

/** The adapter for a format name. */
export function getAdapter(format: "messages" | "sharegpt" | "alpaca"): SftAdapter;
export function getAdapter(format: "sharegpt-preference" | "ultrafeedback" | "trl"): PreferenceAdapter;
export function getAdapter(format: FormatName): FormatAdapter;
export function getAdapter(format: FormatName): FormatAdapter {
  const adapter = ADAPTERS.find((a) => a.name === format);
  if (!adapter) throw new ConfigError(`no adapter for format "${format}"`);
  return adapter;
}

/** The format a raw record looks like (optionally only among formats of `kind`), or null. */
export function detectFormat(raw: RawRecord, kind?: RecordKind): FormatName | null {
  for (const adapter of ADAPTERS) {
    if (kind !== undefined && adapter.kind !== kind) continue;
    if (adapter.detect(raw)) return adapter.name;
  }
  return null;
}

/** Explains a failed detection: the fields seen and what each format needs. */
export function describeUndetected(raw: RawRecord, kind?: RecordKind): string {
  const keys = Object.keys(raw)
    .slice(0, 12)
    .map((k) => JSON.stringify(k))
    .join(", ");
  const wanted =
    kind === "preference"
      ? "conversations+chosen+rejected, prompt+chosen+rejected, or chosen/rejected conversations"
      : kind === "sft"
        ? "messages, conversations, or instruction+output"
        : "messages, conversations, instruction+output, or chosen+rejected";
  return `cannot detect the record format from fields {${keys || "none"}}; expected ${wanted} (or name the format explicitly)`;
}

/** Throws a usage error when an explicit format does not hold records of `kind`. */
export function assertFormatKind(format: FormatName, kind: RecordKind | undefined): void {
  if (kind !== undefined && formatKind(format) !== kind) {
    throw new ConfigError(`format "${format}" holds ${formatKind(format)} records, not ${kind} records`);
  }
}
