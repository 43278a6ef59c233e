/**
 * @module io/adapters/sft-adapters — the SFT adapters in detection order, on their own: reading SFT rows
 * needs neither the preference adapters nor zod (which they load), so a reader thread starts lighter.
 * `detect-format` lists them after the preference adapters.
 */
import { alpacaAdapter } from "./alpaca.js";
import type { RawRecord, SftAdapter, SftFormat } from "./format.js";
import { messagesAdapter } from "./messages.js";
import { sharegptAdapter } from "./sharegpt.js";

/** The SFT adapters, in detection order. */
export const SFT_ADAPTERS: readonly SftAdapter[] = [messagesAdapter, sharegptAdapter, alpacaAdapter];

/** The SFT format a raw record looks like, or null (what `detectFormat(raw, "sft")` answers). */
export function detectSftFormat(raw: RawRecord): SftFormat | null {
  for (const adapter of SFT_ADAPTERS) if (adapter.detect(raw)) return adapter.name;
  return null;
}

/** The adapter of an SFT format. */
export function getSftAdapter(format: SftFormat): SftAdapter {
  return SFT_ADAPTERS.find((adapter) => adapter.name === format)!;
}
