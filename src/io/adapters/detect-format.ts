/**
 * @module io/adapters/detect-format — the adapter registry and format auto-detection from a raw record's
 * fields. Detection looks at one record (the first of a file); an explicit format always wins.
 */
import { ConfigError } from "../../errors.js";
import {
  describeUndetected,
  formatKind,
  type FormatAdapter,
  type FormatName,
  type PreferenceAdapter,
  type RawRecord,
  type RecordKind,
  type SftAdapter,
} from "./format.js";
import { sharegptPreferenceAdapter } from "./sharegpt-preference.js";
import { SFT_ADAPTERS } from "./sft-adapters.js";
import { trlAdapter } from "./trl.js";
import { ultrafeedbackAdapter } from "./ultrafeedback.js";

export { describeUndetected };

/** Every adapter, in detection order (preference formats first: they are the more specific shapes). */
export const ADAPTERS: readonly FormatAdapter[] = [sharegptPreferenceAdapter, ultrafeedbackAdapter, trlAdapter, ...SFT_ADAPTERS];

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

/** Throws a usage error when an explicit format does not hold records of `kind`. */
export function assertFormatKind(format: FormatName, kind: RecordKind | undefined): void {
  if (kind !== undefined && formatKind(format) !== kind) {
    throw new ConfigError(`format "${format}" holds ${formatKind(format)} records, not ${kind} records`);
  }
}
