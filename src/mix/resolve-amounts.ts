/**
 * @module mix/resolve-amounts — turns each source's amount into the rows it contributes, at random and
 * seeded (never the head). Semantics:
 * - `count: N` — N rows; `fraction: f` — round(f × rows). Above the source's size both upsample as whole
 *   copies plus a seeded random remainder without replacement (2.5× = 2 copies + a random half).
 * - `words: W` / `tokens: T` — rows in a random order until the budget is reached (the last row may
 *   overshoot by less than one row); a budget above the source's total upsamples the same way.
 * - `share: p` — p of the final mixture's rows. Fixed amounts resolve first (F rows); the mixture then has
 *   N = F / (1 − Σp) rows and each share source round(p × N). With only share sources the shares are
 *   normalised and N is the largest mixture no source must upsample for. A share needing more rows than
 *   the source holds is an error unless the source sets `allowUpsample: true`.
 * - no amount — every row once.
 */
import { ConfigError, OptionError } from "../errors.js";
import { MAX_ROWS_PER_SOURCE, type MixAmount } from "../schemas/mix-recipe.js";
import { parseQuantity } from "./parse-quantity.js";
import { createRandom, randomPermutation, sampleIndices, type SeededRandom } from "../util/seeded-random.js";

/** What the sampler knows about one source's candidate rows (after filters, dedup, decontamination). */
export interface AmountInput {
  amount: MixAmount | undefined;
  /** Candidate rows. */
  rows: number;
  /** Words per candidate row (needed for `words`). */
  words?: ArrayLike<number>;
  /** Tokens per candidate row (needed for `tokens`). */
  tokens?: ArrayLike<number>;
  /** Field path used in errors, e.g. "sources.1.amount". */
  field: string;
}

export type AmountKind = "all" | "count" | "fraction" | "share" | "words" | "tokens";

export interface AmountResult {
  kind: AmountKind;
  /** What was asked for, in the amount's own unit (rows, a fraction, a share, words or tokens). */
  requested: number;
  /** Candidate row indices taken, in ascending order; an upsampled row appears once per copy. */
  indices: Uint32Array;
  /** Whole copies of the source included (0 when not upsampled). */
  copies: number;
  /** Rows taken ÷ candidate rows (2.5 = two copies + a random half); 0 for an empty source. */
  upsampleFactor: number;
}

/**
 * Resolves every source's amount. `seed` drives one random stream per source (`source:<i>`), so changing
 * one source's amount does not change which rows another source contributes.
 *
 * @example resolveAmounts({ inputs: [{ amount: { count: 100 }, rows: 40, field: "sources.0.amount" }], seed: 1 })
 */
export function resolveAmounts({ inputs, seed, file }: { inputs: readonly AmountInput[]; seed: number; file?: string }): AmountResult[] {
  const results: Array<AmountResult | undefined> = new Array(inputs.length);
  const rng = (index: number): SeededRandom => createRandom({ seed, label: `source:${index}:amount` });
  const shareSources: number[] = [];
  inputs.forEach((input, index) => {
    const amount = input.amount;
    if (amount?.share !== undefined) {
      shareSources.push(index);
      return;
    }
    results[index] = resolveFixed(input, rng(index), file);
  });
  if (shareSources.length > 0) {
    const fixedRows = results.reduce((sum, r) => sum + (r?.indices.length ?? 0), 0);
    const shareSum = shareSources.reduce((sum, i) => sum + inputs[i]!.amount!.share!, 0);
    let total: number;
    const weights = new Map<number, number>();
    if (shareSources.length === inputs.length) {
      for (const i of shareSources) weights.set(i, inputs[i]!.amount!.share! / shareSum);
      // The largest mixture that no source has to upsample for (sources allowed to upsample don't limit it).
      const limiting = shareSources.filter((i) => !inputs[i]!.amount!.allowUpsample);
      total = Math.min(...(limiting.length > 0 ? limiting : shareSources).map((i) => inputs[i]!.rows / weights.get(i)!));
      total = Math.floor(total + 1e-9);
    } else {
      if (shareSum >= 1) {
        throw new ConfigError(`the shares add up to ${round(shareSum)}, but other sources have fixed amounts: shares must add up to less than 1`, {
          file,
          field: inputs[shareSources[0]!]!.field.replace(/\.\d+\.amount$/, ""),
        });
      }
      for (const i of shareSources) weights.set(i, inputs[i]!.amount!.share!);
      total = fixedRows / (1 - shareSum);
    }
    for (const i of shareSources) {
      const input = inputs[i]!;
      const share = input.amount!.share!;
      const needed = Math.round(weights.get(i)! * total);
      if (needed > input.rows && !input.amount!.allowUpsample) {
        throw new ConfigError(
          `share ${share} of the mixture (${Math.round(total)} rows) needs ${needed} rows, but the source has ${input.rows} after filters and dedup; ` +
            "lower the share, shrink the other sources, or set allowUpsample: true",
          { file, field: `${input.field}.share` },
        );
      }
      results[i] = { ...takeRows(input.rows, needed, rng(i)), kind: "share", requested: share };
    }
  }
  return results as AmountResult[];
}

function resolveFixed(input: AmountInput, rng: SeededRandom, file: string | undefined): AmountResult {
  const { amount, rows } = input;
  if (amount === undefined) return { ...takeRows(rows, rows, rng), kind: "all", requested: rows };
  if (amount.count !== undefined) return { ...takeRows(rows, amount.count, rng), kind: "count", requested: amount.count };
  if (amount.fraction !== undefined) {
    const target = Math.round(amount.fraction * rows);
    if (target > MAX_ROWS_PER_SOURCE) {
      throw new ConfigError(
        `fraction ${amount.fraction} of ${rows} rows is ${target} rows; at most ${MAX_ROWS_PER_SOURCE.toLocaleString("en-US")} rows per source`,
        {
          file,
          field: `${input.field}.fraction`,
        },
      );
    }
    return { ...takeRows(rows, target, rng), kind: "fraction", requested: amount.fraction };
  }
  const kind = amount.words !== undefined ? "words" : "tokens";
  const budget = parseQuantity((amount.words ?? amount.tokens)!);
  const weights = kind === "words" ? input.words : input.tokens;
  if (budget === undefined) throw new ConfigError("not a quantity", { file, field: `${input.field}.${kind}` });
  if (!weights) throw new OptionError(`resolveAmounts: ${kind} per row are needed for ${input.field}`, { field: kind });
  // A budget far past the source (a typo like `words: 1000B`) would upsample into billions of rows.
  let total = 0;
  for (let i = 0; i < rows; i++) total += weights[i]!;
  const upsampledRows = total > 0 ? Math.floor(budget / total) * rows : 0;
  if (upsampledRows > MAX_ROWS_PER_SOURCE) {
    throw new ConfigError(
      `${budget.toLocaleString("en-US")} ${kind} is ${upsampledRows.toLocaleString("en-US")} rows of this source (${total.toLocaleString("en-US")} ${kind} in ${rows.toLocaleString("en-US")} rows); at most ${MAX_ROWS_PER_SOURCE.toLocaleString("en-US")} rows per source`,
      { file, field: `${input.field}.${kind}` },
    );
  }
  return { ...takeBudget(rows, weights, budget, rng), kind, requested: budget };
}

/** `target` rows out of `rows`: whole copies plus a random remainder without replacement. */
export function takeRows(rows: number, target: number, rng: SeededRandom): Omit<AmountResult, "kind" | "requested"> {
  if (rows === 0 || target === 0) return { indices: new Uint32Array(0), copies: 0, upsampleFactor: 0 };
  const copies = Math.floor(target / rows);
  const remainder = sampleIndices(rows, target - copies * rows, rng);
  const indices = new Uint32Array(target);
  for (let c = 0; c < copies; c++) for (let i = 0; i < rows; i++) indices[c * rows + i] = i;
  indices.set(remainder, copies * rows);
  return { indices: indices.sort(), copies, upsampleFactor: target / rows };
}

/** Rows in random order until their weights reach `budget`; whole copies first when the budget exceeds the total. */
export function takeBudget(rows: number, weights: ArrayLike<number>, budget: number, rng: SeededRandom): Omit<AmountResult, "kind" | "requested"> {
  let total = 0;
  for (let i = 0; i < rows; i++) total += weights[i]!;
  if (rows === 0 || total === 0) return { indices: new Uint32Array(0), copies: 0, upsampleFactor: 0 };
  const copies = Math.floor(budget / total);
  let rest = budget - copies * total;
  const order = randomPermutation(rows, rng);
  const picked: number[] = [];
  for (let k = 0; k < rows && rest > 0; k++) {
    const row = order[k]!;
    picked.push(row);
    rest -= weights[row]!;
  }
  const indices = new Uint32Array(copies * rows + picked.length);
  for (let c = 0; c < copies; c++) for (let i = 0; i < rows; i++) indices[c * rows + i] = i;
  indices.set(picked, copies * rows);
  indices.sort();
  return { indices, copies, upsampleFactor: indices.length / rows };
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
