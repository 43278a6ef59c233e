/**
 * @module io/adapters/preference-fields — fields every preference adapter shares: scores, signals,
 * reason, the chosen ≠ rejected check, and the id/source/meta envelope.
 */
import { z } from "zod";
import { issuePath } from "../../errors.js";
import type { Message } from "../../schemas/message.js";
import { signalPairSchema, type PreferencePair } from "../../schemas/preference-pair.js";
import { describeJson } from "../jsonl.js";
import { jsonEqual } from "../../util/json-equal.js";
import type { AdapterContext, RawRecord } from "./format.js";
import { fail, isObject, optionalString, readId, readSourceAndMeta } from "./turns.js";

const signalsSchema = z.record(z.string(), signalPairSchema);

/** Keys the canonical pair itself uses; anything else on the row goes to `meta`. */
export const PAIR_KEYS = ["prompt", "chosen", "rejected", "score_chosen", "score_rejected", "signals", "reason"] as const;

function readScore(raw: RawRecord, key: string, context: AdapterContext): number | null {
  const value = raw[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isFinite(value)) fail(context, key, `expected a number or null, got ${describeJson(value)}`);
  return value;
}

/**
 * Builds the canonical pair from its turns plus the row's optional fields, rejecting a pair whose chosen
 * and rejected completions are identical (it teaches nothing).
 */
export function buildPair(
  raw: RawRecord,
  context: AdapterContext,
  turns: { prompt: Message[]; chosen: Message[]; rejected: Message[] },
  options: { known: readonly string[]; idKey?: string },
): PreferencePair {
  if (jsonEqual(turns.chosen, turns.rejected)) {
    fail(context, "rejected", "chosen and rejected are identical");
  }
  let signals: PreferencePair["signals"];
  if (raw.signals !== undefined && raw.signals !== null) {
    if (!isObject(raw.signals)) fail(context, "signals", `expected an object, got ${describeJson(raw.signals)}`);
    const parsed = signalsSchema.safeParse(raw.signals);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      fail(context, `signals.${issuePath(issue.path)}`, issue.message);
    }
    signals = parsed.data;
  }
  const reason = optionalString(raw, "reason", context);
  return {
    id: readId(raw, context, turns, options.idKey),
    ...turns,
    score_chosen: readScore(raw, "score_chosen", context),
    score_rejected: readScore(raw, "score_rejected", context),
    ...(signals !== undefined ? { signals } : {}),
    ...(reason !== undefined ? { reason } : {}),
    ...readSourceAndMeta(raw, [...PAIR_KEYS, ...options.known], context),
  };
}

/** The optional canonical fields of a pair, for writers: scores when set, then signals, reason. */
export function pairExtras(pair: PreferencePair): RawRecord {
  const out: RawRecord = {};
  if (pair.score_chosen !== null) out.score_chosen = pair.score_chosen;
  if (pair.score_rejected !== null) out.score_rejected = pair.score_rejected;
  if (pair.signals !== undefined) out.signals = pair.signals;
  if (pair.reason !== undefined) out.reason = pair.reason;
  return out;
}
