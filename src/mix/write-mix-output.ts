/**
 * @module mix/write-mix-output — the mixer's second pass: streams each split's rows from the spool in
 * shuffled order into the dataset dir (Parquet shards, manifest, card with a per-source table and a
 * length histogram, the recipe itself).
 */
import { isLongWriterSource, LONGWRITER_BIBTEX } from "../hub/citations.js";
import { renderDatasetCard, summarizeLengths, type CardColumn, type CardSource } from "../hub/dataset-card.js";
import { rowTextBytes, SFT_TOOL_COLUMNS, sftColumns } from "../io/column-spec.js";
import { writeDatasetDir, type DataFormat, type DatasetManifest } from "../io/dataset-dir.js";
import type { ParquetCodec } from "../io/parquet-codecs.js";
import { renderHistogramSvg } from "../report/histogram-svg.js";
import type { MixRecipe } from "../schemas/mix-recipe.js";
import { JsonRow } from "../io/json-row.js";
import { localFileLabel, publishableRecipe } from "./publishable-recipe.js";
import type { MixManifest, MixSourceManifest } from "./mix-manifest.js";
import type { NumberColumn, RowSpool } from "./row-spool.js";
import { markdownTable } from "../util/markdown-table.js";

export interface WriteProgress {
  phase: "write";
  split: string;
  rows: number;
  total: number;
}

const CODECS: Record<NonNullable<NonNullable<MixRecipe["output"]>["compression"]>, ParquetCodec> = {
  snappy: "SNAPPY",
  zstd: "ZSTD",
  gzip: "GZIP",
  none: "UNCOMPRESSED",
};

/** Estimated bytes of a plain row's null `tools` cell in the tool-call layout (its other cells cost the same). */
const NULL_TOOLS_BYTES = rowTextBytes(
  SFT_TOOL_COLUMNS.filter((c) => c.name === "tools"),
  [null],
);

export const HISTOGRAM_FILE = "length-histogram.svg";
export const RECIPE_FILE = "recipe.yaml";
const MB = 1024 * 1024;

/** Writes the dataset dir; returns the dir's manifest (core fields + the mix manifest). */
export async function writeMixOutput({
  outDir,
  recipe,
  recipeText,
  manifest,
  splits,
  spool,
  answerWords,
  ids,
  textBytes,
  toolRows,
  threads,
  onProgress,
  dataFormat,
  signal,
}: {
  /** Overrides the recipe's `output.format`. */
  dataFormat?: DataFormat | undefined;
  outDir: string;
  recipe: MixRecipe;
  recipeText: string;
  manifest: MixManifest;
  splits: Array<{ name: string; indices: Uint32Array }>;
  spool: RowSpool;
  answerWords: NumberColumn;
  /** Per spooled row: its id and `rowTextBytes` as written (from the first pass). */
  ids: readonly string[];
  textBytes: NumberColumn;
  /** Spool indices of rows with tool content: the output gets the tool-call columns when one is written. */
  toolRows: ReadonlySet<number>;
  /** Threads encoding the Parquet row groups. @default every core */
  threads?: number | undefined;
  onProgress?: ((event: WriteProgress) => void) | undefined;
  /** Stops the write (its reason thrown at the next row; the temp dir is removed) when aborted. */
  signal?: AbortSignal | undefined;
}): Promise<DatasetManifest> {
  const output = recipe.output ?? {};
  const lengths: number[] = [];
  for (const split of splits) for (const i of split.indices) lengths.push(answerWords.at(i));
  const totals = new Map(splits.map((s) => [s.name, s.indices.length]));
  const { tool: _tool, ...extra } = manifest;
  void _tool;
  // A mixture without tool-call rows keeps the plain SFT columns (byte-identical to a toolkit without tools).
  const tools = toolRows.size > 0 && splits.some((split) => split.indices.some((i) => toolRows.has(i)));
  const rowBytes = (index: number): number => textBytes.at(index) + (tools && !toolRows.has(index) ? NULL_TOOLS_BYTES : 0);
  return writeDatasetDir({
    dir: outDir,
    columns: sftColumns(tools),
    splits: splits.map((split) => ({
      name: split.name,
      rows: spoolRows(spool, split.indices, ids, rowBytes, signal),
      textBytes: split.indices.reduce((sum, index) => sum + rowBytes(index), 0),
    })),
    threads,
    codec: CODECS[output.compression ?? "snappy"],
    dataFormat: dataFormat ?? output.format ?? "parquet",
    ...(output.rowGroupMB !== undefined ? { rowGroupBytes: output.rowGroupMB * MB } : {}),
    maxRowGroupRows: output.rowGroupRows,
    ...(output.shardMB !== undefined ? { maxShardBytes: output.shardMB * MB } : {}),
    manifest: extra,
    onProgress: ({ split, rows }) => onProgress?.({ phase: "write", split, rows, total: totals.get(split) ?? 0 }),
    extraFiles: {
      [RECIPE_FILE]: publishableRecipe(recipeText),
      [HISTOGRAM_FILE]: renderHistogramSvg({
        title: `${recipe.name}: length of the final answer`,
        values: lengths.filter((v) => v > 0),
        xLabel: "words (English words + CJK characters)",
        logX: true,
      }),
    },
    card: (summary) =>
      renderDatasetCard({
        title: recipe.card?.prettyName ?? recipe.name,
        description:
          recipe.card?.description ??
          `A supervised fine-tuning mixture built by \`longwriter mix\` from the recipe \`${RECIPE_FILE}\` (seed ${manifest.seed}).`,
        splits: Object.entries(summary.splits).map(([name, s]) => ({ name, rows: s.rows })),
        ...(recipe.card?.license ? { license: recipe.card.license } : {}),
        ...(recipe.card?.licenseName ? { licenseName: recipe.card.licenseName } : {}),
        ...(recipe.card?.licenseLink ? { licenseLink: recipe.card.licenseLink } : {}),
        ...(recipe.card?.language ? { language: recipe.card.language } : {}),
        tags: ["longwriter", "sft", ...(recipe.card?.tags ?? [])],
        sources: manifest.sources.map((source, index) => cardSource(source, recipe.sources[index]?.license)),
        sourceDatasets: hubRepos(manifest),
        ...(citesLongWriter(manifest) ? { citations: [LONGWRITER_BIBTEX] } : {}),
        columns: tools ? SFT_TOOL_CARD_COLUMNS : SFT_CARD_COLUMNS,
        lengthStats: summarizeLengths(lengths, "words", "final answer length"),
        histogramFile: HISTOGRAM_FILE,
        trainer: "sft",
        extraSections: [sourceTable(manifest)],
      }),
  });
}

/**
 * Rows in the given order, as the spooled bytes (JSON or packed, read by whichever thread encodes them). An upsampled
 * row's second and later copies get the id `<id>#copy<k>`, so ids stay unique within the dataset while still
 * naming the row they copy.
 */
function* spoolRows(
  spool: RowSpool,
  indices: Uint32Array,
  ids: readonly string[],
  textBytes: (index: number) => number,
  signal: AbortSignal | undefined,
): Generator<JsonRow> {
  const seen = new Uint32Array(spool.size);
  for (const index of indices) {
    signal?.throwIfAborted();
    const copy = seen[index]!;
    seen[index] = copy + 1;
    // A row the spool holds in memory is handed over as a view that stays valid (the writer keeps it, no
    // copy); one read from the file goes into a reused buffer, which the writer copies before the next row.
    const held = spool.heldView(index);
    const bytes = held ?? spool.readView(index);
    if (copy === 0) yield new JsonRow(bytes, textBytes(index), undefined, held !== undefined);
    else {
      const suffix = `#copy${copy}`;
      yield new JsonRow(bytes, textBytes(index) + suffix.length, { id: `${ids[index]}${suffix}` }, held !== undefined);
    }
  }
}

/** The columns of an SFT mixture, as the card describes them. */
const SFT_CARD_COLUMNS: CardColumn[] = [
  { name: "messages", type: "list<struct<role, content>>", description: "The conversation (system/user/assistant turns), TRL's conversational format" },
  { name: "id", type: "string", description: "Row id (stable across runs; `#copyN` marks an upsampled copy)" },
  { name: "source", type: "string", description: "Tag of the recipe source the row came from" },
  { name: "meta", type: "string (JSON)", description: "Other fields the source row carried" },
];

/** The columns of an SFT mixture with tool-call rows. */
const SFT_TOOL_CARD_COLUMNS: CardColumn[] = [
  {
    name: "messages",
    type: "list<struct<role, content, tool_calls, tool_call_id, name>>",
    description:
      "The conversation; assistant turns may carry `tool_calls` ({type, function: {name, arguments}}, arguments as JSON text) answered by `tool` turns; fields a turn lacks are null",
  },
  {
    name: "tools",
    type: "string (JSON)",
    description:
      "The functions the row may call, as JSON text of OpenAI-style tools (TRL's SFTTrainer parses it for `apply_chat_template(tools=...)`); null when none",
  },
  ...SFT_CARD_COLUMNS.slice(1),
];

/** Hub dataset repos the mixture draws from (the card's `source_datasets`). */
function hubRepos(manifest: MixManifest): string[] {
  return manifest.sources.flatMap((s) => (s.location.kind === "hub" ? [s.location.repo] : []));
}

/** LongWriter's data or its benchmark is involved: a LongWriter source, or decontamination against LongBench-Write. */
function citesLongWriter(manifest: MixManifest): boolean {
  const names = manifest.sources.flatMap((s) => (s.location.kind === "hub" ? [s.location.repo, ...s.location.files] : s.location.files));
  const evalFiles = manifest.decontamination?.files.map((f) => f.path) ?? [];
  return [...names, ...evalFiles].some(isLongWriterSource);
}

function cardSource(source: MixSourceManifest, license: string | undefined): CardSource {
  const location = source.location;
  return {
    ...(license ? { license } : {}),
    repo: location.kind === "hub" ? location.repo : [...new Set(location.files.map(localFileLabel))].join(", "),
    ...(location.kind === "hub" ? { revision: location.sha } : {}),
    rows: source.obtained.rows,
    note: `${source.source}: ${describeAmount(source)}`,
  };
}

function describeAmount(source: MixSourceManifest): string {
  const { kind, requested } = source.amount;
  const asked =
    kind === "all"
      ? "all rows"
      : kind === "count"
        ? `${requested} rows`
        : kind === "fraction"
          ? `fraction ${requested}`
          : kind === "share"
            ? `share ${requested}`
            : `${requested} ${kind}`;
  return source.upsampleFactor > 1 ? `${asked}, upsampled ×${source.upsampleFactor}` : asked;
}

/** The per-source table of the card: requested vs obtained, drops by reason. */
export function sourceTable(manifest: MixManifest): string {
  const lines = [
    "## Mixture",
    "",
    `Recipe \`${manifest.recipe.name}\` (sha256 \`${manifest.recipe.sha256.slice(0, 12)}\`), seed ${manifest.seed}. Every input row is accounted for: input = dropped + not sampled + taken (distinct).`,
    "",
    markdownTable(
      ["source", "input rows", "dropped", "candidates", "amount", "rows taken", "distinct", "words", "upsampling"],
      manifest.sources.map((s) => [
        s.source,
        String(s.input),
        String(Object.values(s.dropped).reduce((a, b) => a + b, 0)),
        String(s.candidates),
        describeAmount(s),
        String(s.obtained.rows),
        String(s.obtained.uniqueRows),
        String(s.obtained.words),
        s.upsampleFactor > 1
          ? `×${s.upsampleFactor} (${s.copies} whole ${s.copies === 1 ? "copy" : "copies"}${Number.isInteger(s.upsampleFactor) ? "" : " + a random remainder"})`
          : "–",
      ]),
      ["left", "right", "right", "right", "left", "right", "right", "right", "left"],
    ).trimEnd(),
  ];
  const reasons = new Map<string, number>();
  for (const s of manifest.sources) for (const [reason, n] of Object.entries(s.dropped)) reasons.set(reason, (reasons.get(reason) ?? 0) + n);
  if (reasons.size > 0) {
    lines.push(
      "",
      "Dropped rows by reason: " +
        [...reasons]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([r, n]) => `\`${r}\` ${n}`)
          .join(", ") +
        ".",
    );
  }
  if (manifest.decontamination) {
    lines.push(
      "",
      `Decontamination: ${manifest.decontamination.dropped} rows dropped for ${manifest.decontamination.ngram}-gram overlap ≥ ${manifest.decontamination.threshold} with ${manifest.decontamination.evalPrompts} eval prompts (${manifest.decontamination.files.map((f) => `\`${localFileLabel(f.path)}\``).join(", ")}).`,
    );
  }
  return lines.join("\n");
}
