/**
 * @module mix/build-mix-manifest — the mix part of manifest.json: the recipe and seed, per source its
 * location, input, drops by reason, candidates, amount and what was obtained, dedup and decontamination
 * counts, rows/words/tokens per split and in total, and whether every source's accounting balances.
 */
import type { MixRecipe } from "../schemas/mix-recipe.js";
import { TOOL_NAME, TOOL_VERSION } from "../version.js";
import type { AssembledSplits } from "./assemble-splits.js";
import type { CollectResult } from "./collect-candidates.js";
import type { TokenizerOf } from "./collect-sources.js";
import type { LoadedRecipe } from "./load-recipe.js";
import type { LocatedSource } from "./locate-source.js";
import type { MixManifest, MixSourceManifest } from "./mix-manifest.js";
import type { NearDedupSettings } from "./near-dedup-settings.js";
import type { PreparedDecontamination } from "./prepare-decontamination.js";
import type { AmountResult } from "./resolve-amounts.js";

export function buildMixManifest({
  loaded,
  seed,
  frozen,
  nearDedup,
  decontamination,
  located,
  collected,
  amounts,
  assembled,
  tokenizerOf,
}: {
  loaded: LoadedRecipe;
  seed: number;
  frozen: boolean;
  nearDedup: NearDedupSettings | null;
  decontamination: PreparedDecontamination | undefined;
  located: readonly LocatedSource[];
  collected: CollectResult;
  amounts: readonly AmountResult[];
  assembled: AssembledSplits;
  tokenizerOf: TokenizerOf;
}): MixManifest {
  const { recipe } = loaded;
  const sources = buildSourceManifests({ recipe, located, collected, amounts, tokenizerOf });
  const splitTotals: MixManifest["splitTotals"] = {};
  for (const split of assembled.splits) {
    let words = 0;
    for (const i of split.indices) words += collected.words.at(i);
    splitTotals[split.name] = { rows: split.indices.length, words, tokens: tokenTotal(collected, split.indices) };
  }
  return {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    kind: "mix",
    recipe: { name: recipe.name, file: loaded.file === "<recipe>" ? "<recipe>" : "recipe.yaml", sha256: loaded.hash },
    seed,
    frozen,
    tokenizer: recipe.tokenizer ?? null,
    sources,
    dedup: {
      exact: recipe.dedup?.exact ?? true,
      near: nearDedup,
      droppedExact: sum(sources.map((s) => s.dropped["duplicate:exact"] ?? 0)),
      droppedNear: sum(sources.map((s) => s.dropped["duplicate:near"] ?? 0)),
    },
    decontamination: decontamination
      ? {
          files: decontamination.files,
          ngram: decontamination.ngram,
          threshold: decontamination.threshold,
          evalPrompts: decontamination.decontaminator.prompts,
          dropped: collected.contaminated.length,
          matches: collected.contaminated,
        }
      : null,
    splitTotals,
    testSplit: assembled.testSplit,
    totals: {
      input: sum(sources.map((s) => s.input)),
      dropped: sum(sources.map((s) => sum(Object.values(s.dropped)))),
      candidates: sum(sources.map((s) => s.candidates)),
      notSampled: sum(sources.map((s) => s.notSampled)),
      rows: sum(assembled.splits.map((s) => s.indices.length)),
      words: sum(Object.values(splitTotals).map((s) => s.words)),
      tokens: sources.every((s) => s.obtained.tokens !== null) ? sum(sources.map((s) => s.obtained.tokens ?? 0)) : null,
    },
    balanced: sources.every((s) => s.input === sum(Object.values(s.dropped)) + s.candidates && s.candidates === s.obtained.uniqueRows + s.notSampled),
  };
}

function buildSourceManifests({
  recipe,
  located,
  collected,
  amounts,
  tokenizerOf,
}: {
  recipe: MixRecipe;
  located: readonly LocatedSource[];
  collected: CollectResult;
  amounts: readonly AmountResult[];
  tokenizerOf: TokenizerOf;
}): MixSourceManifest[] {
  const carved = recipe.splits?.test !== undefined;
  const testTags = new Set(recipe.splits?.testSources ?? []);
  return recipe.sources.map((spec, index) => {
    const source = collected.sources[index]!;
    const amount = amounts[index]!;
    const unique = new Set(amount.indices).size;
    let words = 0;
    let tokens: number | null = 0;
    for (const i of amount.indices) {
      words += collected.words.at(source.start + i);
      const t = collected.tokens.at(source.start + i);
      tokens = tokens === null || Number.isNaN(t) ? null : tokens + t;
    }
    if (amount.indices.length === 0 && tokenizerOf(spec, index) === undefined) tokens = null;
    const unit = amount.kind === "all" || amount.kind === "count" ? "rows" : amount.kind;
    const tokenizer = spec.amount?.tokens !== undefined ? tokenizerOf(spec, index) : undefined;
    return {
      source: source.tag,
      location: located[index]!.location,
      formats: source.formats,
      split: testTags.has(source.tag) ? "test" : carved ? "train+test" : "train",
      input: source.input,
      dropped: sortKeys(source.dropped),
      invalidExamples: source.invalidExamples,
      candidates: source.count,
      notSampled: source.count - unique,
      amount: { kind: amount.kind, requested: amount.requested, unit, ...(tokenizer ? { tokenizer } : {}) },
      obtained: { rows: amount.indices.length, uniqueRows: unique, words, tokens },
      copies: amount.copies,
      upsampleFactor: Math.round(amount.upsampleFactor * 1e6) / 1e6,
    };
  });
}

/** Tokens of these spooled rows, or null when any row's tokens were not counted. */
function tokenTotal(collected: CollectResult, indices: Uint32Array): number | null {
  let total = 0;
  for (const i of indices) {
    const t = collected.tokens.at(i);
    if (Number.isNaN(t)) return null;
    total += t;
  }
  return total;
}

function sortKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
