/**
 * @module util/run-date — the time a run records. `SOURCE_DATE_EPOCH` (seconds since 1970, the
 * reproducible-builds convention) fixes it, so a rerun on the same inputs writes byte-identical
 * `scores.json` and `report.html`; otherwise it is now.
 */
import { ConfigError } from "../errors.js";

/**
 * `SOURCE_DATE_EPOCH` as a Date when set, else the current time.
 * @throws ConfigError when SOURCE_DATE_EPOCH is set but is not a whole number of seconds ≥ 0.
 * @example
 * runDate({ SOURCE_DATE_EPOCH: "1700000000" }).toISOString() // "2023-11-14T22:13:20.000Z"
 */
export function runDate(env: Record<string, string | undefined> = process.env): Date {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === "") return new Date();
  if (!/^\d{1,15}$/.test(raw.trim())) {
    throw new ConfigError(`SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, got ${JSON.stringify(raw)}`, { field: "SOURCE_DATE_EPOCH" });
  }
  return new Date(Number(raw.trim()) * 1000);
}
