/**
 * @module mix/mix-datasets — `mixDatasets`: a recipe in, a dataset dir out. Two passes: the first reads
 * each source once (filters, decontamination, dedup) into a row spool keeping only offsets; amounts are
 * resolved on row indices and the mixture is shuffled as a typed array of indices; the second pass
 * streams rows back in shuffled order into Parquet shards, then writes the manifest, card and recipe.
 * Each step is a function of its own (locate-source, collect-sources, prepare-decontamination,
 * collect-candidates, resolve-amounts, assemble-splits, build-mix-manifest, write-mix-output).
 */
import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { stringify } from "yaml";
import { ConfigError } from "../errors.js";
import { removeStaleTempFiles, tempPathFor } from "../io/atomic-file.js";
import { directIoAllowed } from "../io/direct-output.js";
import type { DataFormat, DatasetManifest } from "../io/dataset-dir.js";
import { resolveThreads } from "../io/row-group-pool.js";
import { acquireSnappyHelper } from "../io/snappy-helper.js";
import type { MixRecipe } from "../schemas/mix-recipe.js";
import type { SftRecord } from "../schemas/sft-record.js";
import type { Filter } from "../select/filter.js";
import { stableHash } from "../text/record-id.js";
import { assembleSplits } from "./assemble-splits.js";
import { buildMixManifest } from "./build-mix-manifest.js";
import { collectCandidates, type CollectProgress, type CollectResult } from "./collect-candidates.js";
import { buildCollectSources, sourceTokenizers } from "./collect-sources.js";
import { loadRecipe, validateRecipe, type LoadedRecipe } from "./load-recipe.js";
import { checkFrozen, locateSources } from "./locate-source.js";
import type { MixManifest } from "./mix-manifest.js";
import { createMinHashDedup } from "./minhash-dedup.js";
import { nearDedupSettings } from "./near-dedup-settings.js";
import { prepareDecontamination } from "./prepare-decontamination.js";
import { resolveAmounts, type AmountResult } from "./resolve-amounts.js";
import { hubPull, type HubPull, type HubPullSettings } from "./resolve-hub-source.js";
import { RowSpool } from "./row-spool.js";
import { wantsSnappyHelper } from "./snappy-helper-policy.js";
import { sourceFormat } from "./source-format.js";
import { defaultTokenCounterFactory, type TokenCounterFactory } from "./token-counter.js";
import { writeMixOutput, type WriteProgress } from "./write-mix-output.js";

export type MixProgress = CollectProgress | WriteProgress | { phase: "resolve"; source: string };

export interface MixDatasetsOptions {
  /** A recipe file (YAML/JSON); relative source paths resolve against its directory. */
  recipePath?: string | undefined;
  /**
   * Or an in-memory recipe; relative paths resolve against `baseDir`. It is validated here all the same
   * (a recipe built from untyped data gets the same field-naming errors as a recipe file).
   */
  recipe?: MixRecipe | undefined;
  /** @default process.cwd() (only with `recipe`) */
  baseDir?: string | undefined;
  /** Output dataset dir (created; existing data files of ours are replaced). */
  outDir: string;
  /** Overrides the recipe's seed. */
  seed?: number | undefined;
  /** Require every Hub source to pin a 40-hex commit. @default false */
  frozen?: boolean | undefined;
  /** Eval prompt files for decontamination (override the recipe's `decontaminate.files`; turn it on). */
  decontaminateWith?: string[] | undefined;
  /** Data file format; overrides the recipe's `output.format`. @default "parquet" */
  format?: DataFormat | undefined;
  /**
   * A filter of your own, run on every source's rows after the recipe's filters; its drops are counted
   * in the manifest under their reason. Stateful filters (dedup) see rows source by source, in order.
   */
  filter?: Filter<SftRecord> | undefined;
  /** Progress events (the CLI renders them). */
  onProgress?: ((event: MixProgress) => void) | undefined;
  /** Hub connection for Hub sources (endpoint, token, cacheDir, fetch, offline, ...); default from the environment. */
  hub?: HubPullSettings | undefined;
  /** Fetches Hub sources (test seam; default: the hub module's pullDataset with `hub`). */
  pullDataset?: HubPull | undefined;
  /** Makes token counters by tokenizer name (test seam). */
  tokenCounters?: TokenCounterFactory | undefined;
  /**
   * Resolves the default decontamination file when no path is given. @default LongBench-Write's prompts via
   * `resolveBenchFile` (pinned, checksummed, downloaded once into the cache; the toolkit ships no copy).
   */
  defaultEvalFile?: (() => Promise<string>) | undefined;
  /**
   * Threads for reading and writing: worker threads read JSONL sources in byte ranges and Parquet files in
   * ranges of rows (parse, convert, filter, serialise; a big enough input only), and parse, encode and
   * compress Parquet row groups from the spooled bytes (or, for an output of one group, compress pages beside
   * this thread while it encodes them: io/snappy-helper). The output is byte-identical whatever the number.
   * @default every core
   */
  threads?: number | undefined;
  /**
   * Bytes per range when JSONL and Parquet sources are read by worker threads (test seam: when given,
   * threads read the sources whatever their size). @default 2 MiB of JSONL, 8 MiB of a Parquet row group's
   * uncompressed size; threads only on enough input (Parquet counted at twice its file size): 192 MiB divided by
   * the threads the cores can run at once, at least 16 MiB (see `parallelReadingFrom`)
   */
  readRangeBytes?: number | undefined;
  /**
   * Stops the mix when aborted (the CLI's Ctrl-C): it throws the signal's reason at the next row, removes its
   * spool and temp dir, and leaves any earlier output at `outDir` as it was.
   */
  signal?: AbortSignal | undefined;
}

export interface MixResult {
  outDir: string;
  /** The mix part of manifest.json. */
  manifest: MixManifest;
  /** The whole manifest.json as written (files, sha256 sums, codec, columns + the mix part). */
  dataset: DatasetManifest;
}

/**
 * Builds the mixture a recipe describes and writes it as a dataset dir (`data/*.parquet`, `manifest.json`,
 * `README.md`, `recipe.yaml`, `length-histogram.svg`). Byte-deterministic for a given recipe, seed and inputs.
 *
 * @example
 * const { manifest } = await mixDatasets({ recipePath: "recipes/quickstart.yaml", outDir: "out/quickstart" });
 */
export async function mixDatasets(options: MixDatasetsOptions): Promise<MixResult> {
  const loaded = await loadInput(options);
  const { recipe, file } = loaded;
  const seed = options.seed ?? recipe.seed ?? 0;
  const frozen = options.frozen ?? false;
  const outDir = resolve(options.outDir);
  const threads = options.threads !== undefined ? resolveThreads(options.threads) : undefined;

  // Recipe-level checks before anything is read or fetched.
  if (frozen) recipe.sources.forEach((spec, index) => checkFrozen(spec, index, file));
  directIoAllowed(); // a bad LONGWRITER_DIRECT_IO fails here, not after the first pass
  const nearDedup = nearDedupSettings(recipe.dedup?.near, file);
  const formats = recipe.sources.map((spec, index) => sourceFormat(spec, index, file));
  // Every source's files next, so a missing file fails before any rows are read.
  const located = await locateSources({
    recipe,
    loaded,
    frozen,
    pull: options.pullDataset ?? hubPull(options.hub),
    onResolve: (source) => options.onProgress?.({ phase: "resolve", source }),
  });
  const tokenizerOf = sourceTokenizers(recipe, file);
  const sources = await buildCollectSources({
    recipe,
    loaded,
    located,
    formats,
    tokenizerOf,
    tokenCounters: options.tokenCounters ?? defaultTokenCounterFactory,
    filter: options.filter,
  });
  const decontamination = await prepareDecontamination({
    recipe,
    loaded,
    decontaminateWith: options.decontaminateWith,
    defaultEvalFile: options.defaultEvalFile,
  });

  await mkdir(dirname(outDir), { recursive: true });
  // The spool sits beside the output under a temp name; spools of killed runs are removed first.
  await removeStaleTempFiles(outDir);
  const spool = RowSpool.create(tempPathFor(outDir));
  let releaseSnappyHelper: (() => void) | undefined;
  try {
    const collected = await collectCandidates({
      sources,
      spool,
      exactDedup: recipe.dedup?.exact ?? true,
      nearDedup: nearDedup ? createMinHashDedup(nearDedup) : undefined,
      decontaminator: decontamination?.decontaminator,
      onProgress: options.onProgress,
      threads,
      rangeBytes: options.readRangeBytes,
      signal: options.signal,
      // The second core idles through a first pass read here: a SNAPPY helper thread warms up on it meanwhile.
      onReadingHere: (inputBytes) => {
        if (wantsSnappyHelper(recipe.output?.compression, resolveThreads(threads), inputBytes)) releaseSnappyHelper = acquireSnappyHelper();
      },
    });
    const amounts = resolveSourceAmounts({ recipe, collected, seed, file });
    const assembled = assembleSplits({
      sources: amounts.map((amount, index) => ({ tag: located[index]!.tag, start: collected.sources[index]!.start, indices: amount.indices })),
      seed,
      test: recipe.splits?.test,
      testSources: recipe.splits?.testSources,
      file,
    });
    const manifest = buildMixManifest({ loaded, seed, frozen, nearDedup, decontamination, located, collected, amounts, assembled, tokenizerOf });
    const written = await writeMixOutput({
      outDir,
      recipe,
      recipeText: loaded.text,
      manifest,
      splits: assembled.splits,
      spool,
      answerWords: collected.answerWords,
      ids: collected.ids,
      textBytes: collected.textBytes,
      toolRows: collected.toolRows,
      threads,
      onProgress: options.onProgress,
      dataFormat: options.format,
      signal: options.signal,
    });
    return { outDir, manifest, dataset: written };
  } finally {
    releaseSnappyHelper?.();
    spool.dispose();
  }
}

async function loadInput(options: MixDatasetsOptions): Promise<LoadedRecipe> {
  if (options.recipePath !== undefined) return loadRecipe({ path: options.recipePath });
  if (options.recipe === undefined) throw new ConfigError("mixDatasets needs recipePath or recipe");
  const recipe = validateRecipe({ value: options.recipe });
  return { recipe, file: "<recipe>", baseDir: resolve(options.baseDir ?? process.cwd()), hash: stableHash(recipe), text: stringify(recipe) };
}

/** Each source's amount resolved on its candidates (row indices); a mix that selects no row is a ConfigError. */
function resolveSourceAmounts({ recipe, collected, seed, file }: { recipe: MixRecipe; collected: CollectResult; seed: number; file: string }): AmountResult[] {
  const amounts = resolveAmounts({
    seed,
    file,
    inputs: recipe.sources.map((spec, index) => {
      const source = collected.sources[index]!;
      return {
        amount: spec.amount,
        rows: source.count,
        words: collected.words.view(source.start, source.start + source.count),
        tokens: collected.tokens.view(source.start, source.start + source.count),
        field: `sources.${index}.amount`,
      };
    }),
  });
  if (amounts.every((amount) => amount.indices.length === 0)) {
    const dropped = collected.sources.every((source) => source.count === 0) ? " (the filters, dedup and decontamination dropped every row)" : "";
    throw new ConfigError(`the recipe yields 0 rows${dropped}; nothing to write`, { file, field: "sources" });
  }
  return amounts;
}
