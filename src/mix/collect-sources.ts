/**
 * @module mix/collect-sources — what the first pass reads per recipe source: its files and format, its
 * filter chain (the recipe's filters, the source's own, then a caller's filter) and, where tokens are
 * counted, its token counter. Token counters are made once per tokenizer name; a tokenizer.json path
 * is relative to the recipe, like the sources.
 */
import { resolve } from "node:path";
import { ConfigError } from "../errors.js";
import type { SftFormat } from "../io/adapters/format.js";
import type { MixRecipe, MixSource } from "../schemas/mix-recipe.js";
import type { SftRecord } from "../schemas/sft-record.js";
import type { Filter } from "../select/filter.js";
import type { CollectSource } from "./collect-candidates.js";
import { toRowFilter } from "./filters/build-row-filter.js";
import type { LoadedRecipe } from "./load-recipe.js";
import type { LocatedSource } from "./locate-source.js";
import type { CountTokens, TokenCounterFactory } from "./token-counter.js";

/** The tokenizer each source's tokens are counted with (its tokens budget's, else the recipe's), or undefined. */
export type TokenizerOf = (spec: MixSource, index: number) => string | undefined;

/** Names the tokenizer of a source; a tokens budget without any tokenizer is a ConfigError naming the field. */
export function sourceTokenizers(recipe: MixRecipe, file: string): TokenizerOf {
  return (spec, index) => {
    if (spec.amount?.tokens !== undefined) {
      const name = spec.amount.tokenizer ?? recipe.tokenizer;
      if (!name)
        throw new ConfigError("a tokens budget needs a tokenizer (here or the recipe's `tokenizer`)", { file, field: `sources.${index}.amount.tokenizer` });
      return name;
    }
    return recipe.tokenizer;
  };
}

/** The first pass's input per source, in recipe order. */
export async function buildCollectSources({
  recipe,
  loaded,
  located,
  formats,
  tokenizerOf,
  tokenCounters,
  filter,
}: {
  recipe: MixRecipe;
  loaded: LoadedRecipe;
  located: readonly LocatedSource[];
  formats: ReadonlyArray<SftFormat | "auto">;
  tokenizerOf: TokenizerOf;
  tokenCounters: TokenCounterFactory;
  /** A caller's own filter, run after the recipe's. */
  filter: Filter<SftRecord> | undefined;
}): Promise<CollectSource[]> {
  const { file } = loaded;
  const counters = new Map<string, Promise<CountTokens>>();
  const counterFor = (name: string, field: string): Promise<CountTokens> => {
    let counter = counters.get(name);
    if (!counter) {
      const resolved = /[\\/]|\.json$/i.test(name) ? resolve(loaded.baseDir, name) : name;
      counter = tokenCounters(resolved, { file, field });
      counters.set(name, counter);
    }
    return counter;
  };
  const ownFilter = filter ? toRowFilter(filter) : undefined;
  const sources: CollectSource[] = [];
  for (const [index, spec] of recipe.sources.entries()) {
    const tokenizer = tokenizerOf(spec, index);
    sources.push({
      tag: located[index]!.tag,
      files: located[index]!.files,
      format: formats[index]!,
      filterSpecs: [recipe.filters, spec.filters],
      ownFilter,
      countTokens: tokenizer ? await counterFor(tokenizer, spec.amount?.tokenizer ? `sources.${index}.amount.tokenizer` : "tokenizer") : undefined,
    });
  }
  return sources;
}
