/**
 * @module mix/mix-datasets — `mixDatasets`: a recipe in, a dataset dir out. Two passes: the first reads
 * each source once (filters, decontamination, dedup) into a row spool keeping only offsets; amounts are
 * resolved on row indices and the mixture is shuffled as a typed array of indices; the second pass
 * streams rows back in shuffled order into Parquet shards, then writes the manifest, card and recipe.
 */
import { mkdir, readFile, stat } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { ConfigError } from "../errors.js";
import { resolveBenchFile } from "../eval/bench-files.js";
import { assertFormatKind } from "../io/adapters/detect-format.js";
import { parseFormatName, type SftFormat } from "../io/adapters/format.js";
import type { DataFormat, DatasetManifest } from "../io/dataset-dir.js";
import type { MixRecipe, MixSource } from "../schemas/mix-recipe.js";
import type { SftRecord } from "../schemas/sft-record.js";
import type { Filter } from "../select/filter.js";
import { TOOL_NAME, TOOL_VERSION } from "../version.js";
import { collectCandidates, type CollectProgress, type CollectSource } from "./collect-candidates.js";
import { createDecontaminator, readEvalPrompts } from "./decontaminate.js";
import { buildRowFilter, chainFilters, toRowFilter } from "./filters/build-row-filter.js";
import { loadRecipe, validateRecipe, type LoadedRecipe } from "./load-recipe.js";
import type { MixManifest, MixSourceManifest } from "./mix-manifest.js";
import { createMinHashDedup } from "./minhash-dedup.js";
import { resolveAmounts, type AmountResult } from "./resolve-amounts.js";
import { displayPath, resolveLocalFiles } from "./resolve-local-files.js";
import { hubPull, resolveHubSource, type HubPull, type HubPullSettings } from "./resolve-hub-source.js";
import { RowSpool } from "./row-spool.js";
import { resolveThreads } from "../io/row-group-pool.js";
import { assembleSplits } from "./assemble-splits.js";
import { removeStaleTempFiles, tempPathFor } from "../io/atomic-file.js";
import { defaultTokenCounterFactory, type CountTokens, type TokenCounterFactory } from "./token-counter.js";
import { writeMixOutput, type WriteProgress } from "./write-mix-output.js";
import { stableHash } from "../text/record-id.js";
import { sha256Hex } from "../util/sha256.js";

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
   * Threads for writing: worker threads parse, encode and compress Parquet row groups from the spooled
   * bytes. The output is byte-identical whatever the number. @default every core
   */
  threads?: number | undefined;
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
  const tokenCounters = options.tokenCounters ?? defaultTokenCounterFactory;
  const threads = options.threads !== undefined ? resolveThreads(options.threads) : undefined;

  // Recipe-level checks before anything is read or fetched.
  if (frozen) recipe.sources.forEach((spec, index) => checkFrozen(spec, index, file));
  const near = recipe.dedup?.near;
  const nearSpec = near === true ? {} : near;
  const nearOptions = nearSpec
    ? { threshold: nearSpec.threshold ?? 0.8, shingle: nearSpec.shingle ?? 5, permutations: nearSpec.permutations ?? 128, bands: nearSpec.bands ?? 16 }
    : null;
  if (nearOptions && nearOptions.permutations % nearOptions.bands !== 0) {
    throw new ConfigError(`permutations (${nearOptions.permutations}) must be divisible by bands (${nearOptions.bands})`, { file, field: "dedup.near" });
  }
  const formats = recipe.sources.map((spec, index) => sourceFormat(spec, index, file));

  // Resolve every source's files next, so a missing file fails before any rows are read.
  const located: LocatedSource[] = [];
  for (const [index, spec] of recipe.sources.entries()) {
    located.push(await locateSource({ spec, index, loaded, frozen, pull: options.pullDataset ?? hubPull(options.hub), onProgress: options.onProgress }));
  }

  const globalFilter = buildRowFilter({ spec: recipe.filters });
  const ownFilter = options.filter ? toRowFilter(options.filter) : undefined;
  const recipeTokenizer = recipe.tokenizer;
  const counters = new Map<string, Promise<CountTokens>>();
  const counterFor = (name: string, field: string): Promise<CountTokens> => {
    let counter = counters.get(name);
    if (!counter) {
      // A tokenizer.json path in a recipe is relative to the recipe, like the sources.
      const resolved = /[\\/]|\.json$/i.test(name) ? resolve(loaded.baseDir, name) : name;
      counter = tokenCounters(resolved, { file, field });
      counters.set(name, counter);
    }
    return counter;
  };
  const tokenizerOf = (spec: MixSource, index: number): string | undefined => {
    if (spec.amount?.tokens !== undefined) {
      const name = spec.amount.tokenizer ?? recipeTokenizer;
      if (!name)
        throw new ConfigError("a tokens budget needs a tokenizer (here or the recipe's `tokenizer`)", { file, field: `sources.${index}.amount.tokenizer` });
      return name;
    }
    return recipeTokenizer;
  };
  const collectSources: CollectSource[] = [];
  for (const [index, spec] of recipe.sources.entries()) {
    const tokenizer = tokenizerOf(spec, index);
    collectSources.push({
      tag: located[index]!.tag,
      files: located[index]!.files,
      format: formats[index]!,
      filter: chainFilters([globalFilter, buildRowFilter({ spec: spec.filters }), ownFilter]),
      countTokens: tokenizer ? await counterFor(tokenizer, spec.amount?.tokenizer ? `sources.${index}.amount.tokenizer` : "tokenizer") : undefined,
    });
  }

  const decontamination = await prepareDecontamination({ recipe, loaded, options });

  await mkdir(dirname(outDir), { recursive: true });
  // The spool sits beside the output under a temp name; spools of killed runs are removed first.
  await removeStaleTempFiles(outDir);
  const spool = RowSpool.create(tempPathFor(outDir));
  try {
    const collected = await collectCandidates({
      sources: collectSources,
      spool,
      exactDedup: recipe.dedup?.exact ?? true,
      nearDedup: nearOptions ? createMinHashDedup(nearOptions) : undefined,
      decontaminator: decontamination?.decontaminator,
      onProgress: options.onProgress,
    });

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

    const selected = sum(amounts.map((amount) => amount.indices.length));
    if (selected === 0) {
      const dropped = sum(collected.sources.map((source) => source.count)) === 0 ? " (the filters, dedup and decontamination dropped every row)" : "";
      throw new ConfigError(`the recipe yields 0 rows${dropped}; nothing to write`, { file, field: "sources" });
    }
    const testTags = new Set(recipe.splits?.testSources ?? []);
    const { splits, testSplit } = assembleSplits({
      sources: amounts.map((amount, index) => ({ tag: located[index]!.tag, start: collected.sources[index]!.start, indices: amount.indices })),
      seed,
      test: recipe.splits?.test,
      testSources: recipe.splits?.testSources,
      file,
    });

    const sourcesManifest = buildSourceManifests({ recipe, located, collected, amounts, testTags, tokenizerOf });
    const manifest: MixManifest = {
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      kind: "mix",
      recipe: { name: recipe.name, file: loaded.file === "<recipe>" ? "<recipe>" : "recipe.yaml", sha256: loaded.hash },
      seed,
      frozen,
      tokenizer: recipeTokenizer ?? null,
      sources: sourcesManifest,
      dedup: {
        exact: recipe.dedup?.exact ?? true,
        near: nearOptions,
        droppedExact: sum(sourcesManifest.map((s) => s.dropped["duplicate:exact"] ?? 0)),
        droppedNear: sum(sourcesManifest.map((s) => s.dropped["duplicate:near"] ?? 0)),
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
      splitTotals: {},
      testSplit,
      totals: { input: 0, dropped: 0, candidates: 0, notSampled: 0, rows: 0, words: 0, tokens: null },
      balanced: true,
    };
    const tokenTotal = (indices: Uint32Array): number | null => {
      let total = 0;
      for (const i of indices) {
        const t = collected.tokens.at(i);
        if (Number.isNaN(t)) return null;
        total += t;
      }
      return total;
    };
    for (const split of splits) {
      let words = 0;
      for (const i of split.indices) words += collected.words.at(i);
      manifest.splitTotals[split.name] = { rows: split.indices.length, words, tokens: tokenTotal(split.indices) };
    }
    manifest.totals = {
      input: sum(sourcesManifest.map((s) => s.input)),
      dropped: sum(sourcesManifest.map((s) => sum(Object.values(s.dropped)))),
      candidates: sum(sourcesManifest.map((s) => s.candidates)),
      notSampled: sum(sourcesManifest.map((s) => s.notSampled)),
      rows: sum(splits.map((s) => s.indices.length)),
      words: sum(Object.values(manifest.splitTotals).map((s) => s.words)),
      tokens: sourcesManifest.every((s) => s.obtained.tokens !== null) ? sum(sourcesManifest.map((s) => s.obtained.tokens ?? 0)) : null,
    };
    manifest.balanced = sourcesManifest.every(
      (s) => s.input === sum(Object.values(s.dropped)) + s.candidates && s.candidates === s.obtained.uniqueRows + s.notSampled,
    );

    const written = await writeMixOutput({
      outDir,
      recipe,
      recipeText: loaded.text,
      manifest,
      splits,
      spool,
      answerWords: collected.answerWords,
      ids: collected.ids,
      textBytes: collected.textBytes,
      toolRows: collected.toolRows,
      threads,
      onProgress: options.onProgress,
      dataFormat: options.format,
    });
    return { outDir, manifest, dataset: written };
  } finally {
    spool.dispose();
  }
}

async function loadInput(options: MixDatasetsOptions): Promise<LoadedRecipe> {
  if (options.recipePath !== undefined) return loadRecipe({ path: options.recipePath });
  if (options.recipe === undefined) throw new ConfigError("mixDatasets needs recipePath or recipe");
  const recipe = validateRecipe({ value: options.recipe });
  const { stringify } = await import("yaml");
  return { recipe, file: "<recipe>", baseDir: resolve(options.baseDir ?? process.cwd()), hash: stableHash(recipe), text: stringify(recipe) };
}

interface LocatedSource {
  tag: string;
  files: Array<{ path: string; display: string }>;
  location: MixSourceManifest["location"];
}

async function locateSource({
  spec,
  index,
  loaded,
  frozen,
  pull,
  onProgress,
}: {
  spec: MixSource;
  index: number;
  loaded: LoadedRecipe;
  frozen: boolean;
  pull: HubPull | undefined;
  onProgress: ((event: MixProgress) => void) | undefined;
}): Promise<LocatedSource> {
  const { file, baseDir } = loaded;
  if (spec.path !== undefined) {
    const files = await resolveLocalFiles({ pattern: spec.path, baseDir });
    const missing: string[] = [];
    for (const path of files) {
      const info = await stat(path).catch(() => undefined);
      if (!info || !(info.isFile() || info.isDirectory())) missing.push(path);
    }
    if (files.length === 0 || missing.length > 0) {
      throw new ConfigError(
        files.length === 0 ? `no file matches "${spec.path}" (relative to ${displayPath(baseDir, process.cwd()) || "."})` : `file not found: ${missing[0]}`,
        {
          file,
          field: `sources.${index}.path`,
          exitCode: 1,
        },
      );
    }
    const display = files.map((path) => displayPath(path, baseDir));
    const tag = spec.source ?? defaultTag(spec.path);
    return {
      tag,
      files: files.map((path, i) => ({ path, display: display[i]! })),
      location: { kind: "local", path: isAbsolute(spec.path) ? displayPath(spec.path, baseDir) : spec.path, files: display },
    };
  }
  const repo = spec.repo!;
  if (frozen) checkFrozen(spec, index, file);
  onProgress?.({ phase: "resolve", source: spec.source ?? repo });
  const pulled = await resolveHubSource({
    repo,
    revision: spec.revision ?? "main",
    files: spec.files,
    split: spec.split,
    pull,
    file,
    field: `sources.${index}`,
  });
  const tag = spec.source ?? repo;
  return {
    tag,
    files: pulled.files.map((f) => ({ path: f.localPath, display: f.path })),
    location: { kind: "hub", repo, revision: spec.revision ?? "main", sha: pulled.sha, files: pulled.files.map((f) => f.path) },
  };
}

async function defaultEvalFile(): Promise<string> {
  return (await resolveBenchFile({ name: "longbench_write.jsonl" })).path;
}

/** The source's format: "auto" or a known SFT format name (aliases accepted), else a ConfigError naming the field. */
function sourceFormat(spec: MixSource, index: number, file: string): SftFormat | "auto" {
  if (spec.format === undefined || spec.format.trim().toLowerCase() === "auto") return "auto";
  try {
    const format = parseFormatName(spec.format);
    assertFormatKind(format, "sft");
    return format as SftFormat;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(reason, { file, field: `sources.${index}.format`, cause: error });
  }
}

/** Under --frozen a Hub source must name a 40-hex commit. */
function checkFrozen(spec: MixSource, index: number, file: string): void {
  if (spec.repo === undefined || /^[0-9a-f]{40}$/.test(spec.revision ?? "")) return;
  throw new ConfigError(
    spec.revision === undefined
      ? "--frozen needs every Hub source pinned to a commit: add revision: <40-hex sha>"
      : `--frozen needs a 40-hex commit sha, not "${spec.revision}"`,
    { file, field: `sources.${index}.revision` },
  );
}

function defaultTag(path: string): string {
  const base =
    path
      .split(/[\\/]/)
      .filter((p) => p && !/[*?{[]/.test(p))
      .at(-1) ?? path;
  return base.replace(/\.(jsonl|ndjson|json|parquet)$/i, "");
}

async function prepareDecontamination({ recipe, loaded, options }: { recipe: MixRecipe; loaded: LoadedRecipe; options: MixDatasetsOptions }) {
  const spec = recipe.decontaminate;
  if (!spec && !options.decontaminateWith) return undefined;
  const settings = typeof spec === "object" ? spec : {};
  let files: string[];
  if (options.decontaminateWith && options.decontaminateWith.length > 0) files = options.decontaminateWith.map((f) => resolve(f));
  else if (settings.files && settings.files.length > 0) files = settings.files.map((f) => resolve(loaded.baseDir, f));
  else files = [await (options.defaultEvalFile ?? defaultEvalFile)()];
  const ngram = settings.ngram ?? 8;
  const threshold = settings.threshold ?? 0.5;
  const prompts = await readEvalPrompts({ files });
  const hashes = await Promise.all(files.map(async (path) => sha256Hex(await readFile(path))));
  return {
    decontaminator: createDecontaminator({ prompts, ngram, threshold }),
    files: files.map((path, i) => ({ path: displayPath(path, loaded.baseDir), sha256: hashes[i]! })),
    ngram,
    threshold,
  };
}

function buildSourceManifests({
  recipe,
  located,
  collected,
  amounts,
  testTags,
  tokenizerOf,
}: {
  recipe: MixRecipe;
  located: LocatedSource[];
  collected: Awaited<ReturnType<typeof collectCandidates>>;
  amounts: AmountResult[];
  testTags: Set<string>;
  tokenizerOf: (spec: MixSource, index: number) => string | undefined;
}): MixSourceManifest[] {
  const carved = recipe.splits?.test !== undefined;
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

function sortKeys(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
