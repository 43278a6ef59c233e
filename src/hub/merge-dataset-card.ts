/**
 * @module hub/merge-dataset-card — merges our generated card into the card a repo already holds:
 * metadata the user put there is kept, our `configs`/`data_files` (and computed sizes) win, and only
 * the generated body between our markers is replaced.
 */
import { parse } from "yaml";
import { stableStringify } from "../text/record-id.js";
import { CARD_BEGIN_MARKER, CARD_END_MARKER, renderFrontMatter } from "./dataset-card.js";
import { InputError } from "../errors.js";

/** A card split into its front-matter object and its markdown body. */
export interface ParsedDatasetCard {
  metadata: Record<string, unknown>;
  body: string;
}

/** Splits README text into front matter (parsed YAML) and body. Throws on invalid YAML. */
export function parseDatasetCard(text: string): ParsedDatasetCard {
  const normalized = text.replace(/^\uFEFF/, "");
  const match = /^---[ \t]*\r?\n([\s\S]*?)\r?\n?---[ \t]*(?:\r?\n|$)/.exec(normalized);
  if (!match) return { metadata: {}, body: normalized };
  const parsed: unknown = match[1]!.trim() === "" ? {} : parse(match[1]!);
  if (parsed !== null && (typeof parsed !== "object" || Array.isArray(parsed))) {
    throw new InputError({ file: "README.md", field: "front matter" }, "the dataset card front matter is not a YAML mapping");
  }
  return { metadata: (parsed ?? {}) as Record<string, unknown>, body: normalized.slice(match[0].length) };
}

/** Keys we compute from the data: ours replace the user's. */
const OURS_WIN = new Set(["configs", "size_categories", "dataset_info"]);
/** List keys merged as a union (user's first). */
const UNION = new Set(["tags"]);

interface ConfigEntry {
  config_name?: unknown;
  default?: unknown;
  [key: string]: unknown;
}

function mergeConfigs(existing: unknown, ours: unknown): unknown {
  if (!Array.isArray(ours)) return existing ?? ours;
  if (!Array.isArray(existing)) return ours;
  const ourNames = new Set((ours as ConfigEntry[]).map((c) => c.config_name ?? "default"));
  const oursHasDefault = (ours as ConfigEntry[]).some((c) => c.default === true);
  const kept = (existing as ConfigEntry[])
    .filter((c) => c && typeof c === "object" && !ourNames.has(c.config_name ?? "default"))
    .map((c) => {
      if (!oursHasDefault || c.default !== true) return c;
      const { default: _dropped, ...rest } = c;
      return rest;
    });
  return [...(ours as ConfigEntry[]), ...kept];
}

function mergeDatasetInfo(existing: unknown, ours: unknown): unknown {
  // dataset_info may be one mapping or a list keyed by config_name; replace ours, keep the others.
  const asList = (v: unknown): ConfigEntry[] => (Array.isArray(v) ? (v as ConfigEntry[]) : v && typeof v === "object" ? [v as ConfigEntry] : []);
  const mine = asList(ours);
  const names = new Set(mine.map((c) => c.config_name ?? "default"));
  const kept = asList(existing).filter((c) => !names.has(c.config_name ?? "default"));
  const all = [...mine, ...kept];
  return all.length === 1 ? all[0] : all;
}

function mergeMetadata(existing: Record<string, unknown>, ours: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  // Keep the existing key order, then add ours that are new.
  for (const [key, value] of Object.entries(existing)) {
    if (!(key in ours)) result[key] = value;
    else if (key === "configs") result[key] = mergeConfigs(value, ours[key]);
    else if (key === "dataset_info") result[key] = mergeDatasetInfo(value, ours[key]);
    else if (OURS_WIN.has(key)) result[key] = ours[key];
    else if (UNION.has(key) && Array.isArray(value) && Array.isArray(ours[key])) {
      result[key] = [...value, ...(ours[key] as unknown[]).filter((v) => !value.includes(v))];
    } else result[key] = value;
  }
  for (const [key, value] of Object.entries(ours)) if (!(key in result)) result[key] = value;
  return result;
}

function generatedRegion(body: string): { before: string; region: string; after: string } | undefined {
  const begin = body.indexOf(CARD_BEGIN_MARKER);
  if (begin < 0) return undefined;
  const end = body.indexOf(CARD_END_MARKER, begin);
  if (end < 0) return undefined;
  return {
    before: body.slice(0, begin),
    region: body.slice(begin, end + CARD_END_MARKER.length),
    after: body.slice(end + CARD_END_MARKER.length),
  };
}

/**
 * Merges `generated` (our full card) into `existing` (the repo's README text, or undefined/empty).
 * Front matter: the user's keys are kept (license, language, pretty_name, …), `tags` are unioned,
 * and `configs` (by config_name), `dataset_info` and `size_categories` come from ours.
 * Body: our generated region replaces the one in `existing`; a hand-written body without markers
 * is kept and our region is appended after it. When that changes nothing, `existing` is returned
 * verbatim (its formatting and YAML comments kept). Merging twice gives the same text (idempotent).
 */
export function mergeDatasetCard(existing: string | undefined | null, generated: string): string {
  if (existing === undefined || existing === null || existing.trim() === "") return generated;
  const theirs = parseDatasetCard(existing);
  const ours = parseDatasetCard(generated);
  const metadata = mergeMetadata(theirs.metadata, ours.metadata);
  const ourRegion = generatedRegion(ours.body);
  let body: string;
  if (!ourRegion) body = ours.body;
  else {
    const theirRegion = generatedRegion(theirs.body);
    if (theirRegion) body = `${theirRegion.before}${ourRegion.region}${theirRegion.after}`;
    else if (theirs.body.trim() === "") body = ours.body;
    else body = `${theirs.body.replace(/\s+$/, "")}\n\n${ourRegion.region}\n`;
  }
  // Nothing to change: keep the repo's text as it is (the user's YAML formatting and comments too).
  if (stableStringify(metadata) === stableStringify(theirs.metadata) && body === theirs.body) return existing;
  return `${renderFrontMatter(metadata)}${body.startsWith("\n") ? "" : "\n"}${body}`;
}
