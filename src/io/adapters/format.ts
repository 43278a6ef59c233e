/**
 * @module io/adapters/format — the on-disk record formats the toolkit reads and writes, and the shape of
 * an adapter that maps one of them to the canonical records (SftRecord, PreferencePair) and back.
 */
import { ConfigError, ToolkitError } from "../../errors.js";
import { hasCandidateShape } from "../../schemas/candidate-shape.js";
import type { PreferencePair } from "../../schemas/preference-pair.js";
import type { SftRecord } from "../../schemas/sft-record.js";

/** Supervised fine-tuning formats. */
export const SFT_FORMATS = ["messages", "sharegpt", "alpaca"] as const;
/** Preference (DPO) formats. */
export const PREFERENCE_FORMATS = ["sharegpt-preference", "ultrafeedback", "trl"] as const;
export const FORMATS = [...SFT_FORMATS, ...PREFERENCE_FORMATS] as const;

export type SftFormat = (typeof SFT_FORMATS)[number];
export type PreferenceFormat = (typeof PREFERENCE_FORMATS)[number];
export type FormatName = SftFormat | PreferenceFormat;
export type RecordKind = "sft" | "preference";
export type CanonicalRecord = SftRecord | PreferencePair;

/** Other names users know these formats by. */
export const FORMAT_ALIASES: Readonly<Record<string, FormatName>> = {
  openai: "messages",
  "longwriter-6k": "messages",
  "llama-factory-preference": "sharegpt-preference",
  "llamafactory-preference": "sharegpt-preference",
  "ultrafeedback-binarized": "ultrafeedback",
  "trl-implicit": "ultrafeedback",
};

/** A raw record as read from disk: one JSON object or Parquet row. */
export type RawRecord = Record<string, unknown>;

/** Where the raw record came from, for error messages. */
export interface AdapterContext {
  file: string;
  /** 1-based JSONL line, JSON-array element start line, or Parquet row. */
  line: number;
}

interface AdapterBase<F extends FormatName> {
  name: F;
  /** One line for `--help` and docs. */
  description: string;
  /** True when `raw` has this format's distinguishing fields (used by auto-detection). */
  detect(raw: RawRecord): boolean;
}

export interface SftAdapter extends AdapterBase<SftFormat> {
  kind: "sft";
  /** Maps a raw record to an SftRecord, or throws an InputError naming file, line, field and reason. */
  toCanonical(raw: RawRecord, context: AdapterContext): SftRecord;
  /** Maps an SftRecord to this format; throws a ToolkitError when the record cannot be expressed in it. */
  fromCanonical(record: SftRecord): RawRecord;
}

export interface PreferenceAdapter extends AdapterBase<PreferenceFormat> {
  kind: "preference";
  toCanonical(raw: RawRecord, context: AdapterContext): PreferencePair;
  fromCanonical(record: PreferencePair): RawRecord;
}

export type FormatAdapter = SftAdapter | PreferenceAdapter;

/** The kind of records a format holds. */
export function formatKind(format: FormatName): RecordKind {
  return (SFT_FORMATS as readonly string[]).includes(format) ? "sft" : "preference";
}

/** Resolves a user-given format name (or alias); throws a usage error naming the valid choices. */
export function parseFormatName(name: string, what = "format"): FormatName {
  const key = name.trim().toLowerCase();
  if ((FORMATS as readonly string[]).includes(key)) return key as FormatName;
  const alias = FORMAT_ALIASES[key];
  if (alias) return alias;
  throw new ConfigError(`unknown ${what} "${name}"; expected one of ${FORMATS.join(", ")} (aliases: ${Object.keys(FORMAT_ALIASES).join(", ")})`);
}

/** True for a PreferencePair, false for an SftRecord (by shape). */
export function isPreferencePair(record: CanonicalRecord): record is PreferencePair {
  return "chosen" in record && "rejected" in record;
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
  // Candidates (sample / judge output) are no record format: say which commands take them.
  const candidates = hasCandidateShape(raw) ? "; this looks like candidates from `sample` / `judge`, which `stats`, `judge` and `pairs` read" : "";
  return `cannot detect the record format from fields {${keys || "none"}}; expected ${wanted} (or name the format explicitly)${candidates}`;
}

/** Why `fromCanonical` could not write a record in `format`, as a bad row's reason (the record's id prefix dropped). */
export function unwritableReason(format: FormatName, error: unknown): string {
  const reason = ToolkitError.isInstance(error) ? error.message.replace(/^record [^:]*: /, "") : String(error);
  return `cannot be written as ${format}: ${reason}`;
}
