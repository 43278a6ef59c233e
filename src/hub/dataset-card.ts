/**
 * @module hub/dataset-card — renders a dataset card (README.md): YAML front matter the Hub and
 * `datasets` read (configs/data_files, license, size_categories, …) plus a markdown body (sources,
 * columns, length statistics, load snippets).
 */
import { stringify } from "yaml";
import { formatBytes } from "../util/format-bytes.js";
import { markdownTable, type Align } from "../util/markdown-table.js";
import { quantile } from "../util/quantile.js";
import { OptionError } from "../errors.js";
import { licenseMetadata } from "../schemas/hub-licenses.js";

/** Placeholder used in load snippets when the repo id is not known yet; `publishDataset` fills it in. */
export const REPO_ID_PLACEHOLDER = "<namespace>/<dataset-name>";
/** HTML comments delimiting the generated body, so a later merge replaces only our part. */
export const CARD_BEGIN_MARKER = "<!-- longwriter-toolkit:begin (generated; edits inside are replaced on publish) -->";
export const CARD_END_MARKER = "<!-- longwriter-toolkit:end -->";

/** One split of the dataset and the files that hold it. */
export interface CardSplit {
  /** Split name (`train`, `test`, …). */
  name: string;
  /** Number of rows. */
  rows: number;
  /** `data_files` path(s) or glob(s); @default `"{dataDir}/{name}-*"` */
  path?: string | string[];
  /** Bytes of the split's files (shown in the body when given). */
  bytes?: number;
}

/** A column and what it holds. */
export interface CardColumn {
  name: string;
  /** Type as a reader sees it, e.g. `list<struct<role, content>>`. */
  type?: string;
  description: string;
}

/** Where rows came from. */
export interface CardSource {
  /** Hub repo id, URL or local path. */
  repo: string;
  /** Pinned revision (commit sha) when known. */
  revision?: string;
  /** Licence of the source. */
  license?: string;
  /** Rows taken from this source. */
  rows: number;
  /** Free-form note (split, filter, …). */
  note?: string;
}

/** Summary statistics of a length measure over all rows. */
export interface CardLengthStats {
  /** What was measured, e.g. "response length". */
  label?: string;
  /** Unit, e.g. "words" (English words + CJK characters, as LongWriter counts). */
  unit: string;
  count: number;
  min: number;
  max: number;
  mean: number;
  median: number;
  p10?: number;
  p90?: number;
}

/** Everything the card is built from. Only `title`, `description` and `splits` are required. */
export interface DatasetCardInfo {
  /** Human title; becomes `pretty_name` and the heading. */
  title: string;
  /** Markdown paragraph(s): what the dataset is. */
  description: string;
  splits: CardSplit[];
  /** @default "default" */
  configName?: string;
  /** Directory of the data files (used for default split paths). @default "data" */
  dataDir?: string;
  /** Hub licence id (e.g. `apache-2.0`, `cc-by-4.0`, `other`); checked against the Hub's list. */
  license?: string;
  /** With `license: other`: the licence's short id (`license_name`). */
  licenseName?: string;
  /** With `license: other`: URL or repo path of the licence text (`license_link`). */
  licenseLink?: string;
  /** Hub dataset repos the rows came from (`source_datasets`). */
  sourceDatasets?: string[];
  /** BibTeX entries for a "Citation" section (e.g. `LONGWRITER_BIBTEX`). */
  citations?: string[];
  /** Language codes. */
  language?: string[];
  /** @default ["text-generation"] */
  taskCategories?: string[];
  tags?: string[];
  columns?: CardColumn[];
  sources?: CardSource[];
  lengthStats?: CardLengthStats;
  /** File name of the SVG histogram committed beside the card (e.g. `length-histogram.svg`). */
  histogramFile?: string;
  /** Repo id for load snippets; @default REPO_ID_PLACEHOLDER, which publish replaces. */
  repoId?: string;
  /** Which TRL trainer the load snippet shows. @default "sft" */
  trainer?: "sft" | "dpo" | "none";
  /** Extra markdown sections appended to the body (each should start with its own `## ` heading). */
  extraSections?: string[];
  /** More front-matter keys (e.g. `source_datasets`); the keys above win on conflict. */
  extraMetadata?: Record<string, unknown>;
}

const SIZE_BUCKETS: Array<[number, string]> = [
  [1e3, "n<1K"],
  [1e4, "1K<n<10K"],
  [1e5, "10K<n<100K"],
  [1e6, "100K<n<1M"],
  [1e7, "1M<n<10M"],
  [1e8, "10M<n<100M"],
  [1e9, "100M<n<1B"],
  [1e10, "1B<n<10B"],
  [1e11, "10B<n<100B"],
  [1e12, "100B<n<1T"],
];

/** The Hub's `size_categories` bucket for a row count. */
export function sizeCategory(rows: number): string {
  for (const [limit, label] of SIZE_BUCKETS) if (rows < limit) return label;
  return "n>1T";
}

/** Summarises raw lengths into CardLengthStats (sorts a copy, as a typed array: its numeric sort is ~3× a comparator's). */
export function summarizeLengths(values: readonly number[], unit: string, label?: string): CardLengthStats {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const at = (q: number): number => (n === 0 ? 0 : quantile(sorted, q));
  const sum = sorted.reduce((acc, v) => acc + v, 0);
  return {
    ...(label === undefined ? {} : { label }),
    unit,
    count: n,
    min: n === 0 ? 0 : sorted[0]!,
    max: n === 0 ? 0 : sorted[n - 1]!,
    mean: n === 0 ? 0 : sum / n,
    median: at(0.5),
    p10: at(0.1),
    p90: at(0.9),
  };
}

/** The card's front-matter object (what `renderDatasetCard` serialises). */
export function datasetCardMetadata(info: DatasetCardInfo): Record<string, unknown> {
  const configName = info.configName ?? "default";
  const dataDir = info.dataDir ?? "data";
  const rows = info.splits.reduce((acc, s) => acc + s.rows, 0);
  const metadata: Record<string, unknown> = { ...(info.extraMetadata ?? {}) };
  Object.assign(metadata, licenseMetadata({ license: info.license || undefined, licenseName: info.licenseName, licenseLink: info.licenseLink }));
  if (info.language?.length) metadata.language = unique(info.language);
  metadata.task_categories = unique(info.taskCategories ?? ["text-generation"]);
  metadata.size_categories = [sizeCategory(rows)];
  if (info.sourceDatasets?.length) metadata.source_datasets = unique(info.sourceDatasets);
  if (info.tags?.length) metadata.tags = unique(info.tags);
  metadata.pretty_name = info.title;
  metadata.configs = [
    {
      config_name: configName,
      data_files: info.splits.map((s) => ({ split: s.name, path: s.path ?? `${dataDir}/${s.name}-*` })),
      default: true,
    },
  ];
  return metadata;
}

/** The values in first-seen order, each once. */
function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString("en-US") : value.toLocaleString("en-US", { maximumFractionDigits: 1 });
}

function table(header: string[], rows: string[][], align?: Align[]): string {
  return markdownTable(header, rows, align).trimEnd();
}

function loadSnippets(info: DatasetCardInfo): string {
  const repo = info.repoId ?? REPO_ID_PLACEHOLDER;
  const configName = info.configName ?? "default";
  const configArg = configName === "default" ? "" : `, "${configName}"`;
  const firstSplit = info.splits[0]?.name ?? "train";
  const parts = [
    "## How to load",
    "",
    "With 🤗 `datasets`:",
    "",
    "```python",
    "from datasets import load_dataset",
    "",
    `ds = load_dataset("${repo}"${configArg})`,
    `print(ds["${firstSplit}"][0])`,
    "```",
  ];
  const trainer = info.trainer ?? "sft";
  if (trainer !== "none") {
    const cls = trainer === "dpo" ? "DPO" : "SFT";
    parts.push(
      "",
      `With TRL (${cls}; the rows are in TRL's conversational ${trainer === "dpo" ? "preference" : '"messages"'} format):`,
      "",
      "```python",
      "from datasets import load_dataset",
      `from trl import ${cls}Config, ${cls}Trainer`,
      "",
      `train = load_dataset("${repo}"${configArg}, split="${firstSplit}")`,
      `trainer = ${cls}Trainer(model="<base-model>", train_dataset=train, args=${cls}Config(output_dir="out"))`,
      "trainer.train()",
      "```",
    );
  }
  return parts.join("\n");
}

/**
 * How to read JSON string columns. They are plain `string` features on purpose: their keys vary row to
 * row, which an Arrow struct cannot hold, so a declared struct feature would break `load_dataset`.
 */
function jsonColumnsNote(names: readonly string[], firstSplit: string): string {
  const list = names.map((n) => `\`${n}\``).join(", ");
  return [
    `${list} ${names.length === 1 ? "holds" : "hold"} JSON text (a \`string\` feature, null when empty), because the keys vary from row to row and one Arrow struct could not hold them all. Decode a value when you read it:`,
    "",
    "```python",
    "import json",
    "",
    `row = ds["${firstSplit}"][0]`,
    ...names.map((n) => `${n.replace(/\W/g, "_")} = json.loads(row["${n}"]) if row["${n}"] is not None else None`),
    "```",
  ].join("\n");
}

/** The markdown body between the markers (no front matter). */
export function renderDatasetCardBody(info: DatasetCardInfo): string {
  const parts: string[] = [`# ${info.title}`, "", info.description.trim()];
  const total = info.splits.reduce((acc, s) => acc + s.rows, 0);
  parts.push(
    "",
    "## Splits",
    "",
    table(
      ["split", "rows", ...(info.splits.some((s) => s.bytes !== undefined) ? ["size"] : [])],
      info.splits.map((s) => [s.name, formatNumber(s.rows), ...(s.bytes !== undefined ? [formatBytes(s.bytes)] : [])]),
    ),
    "",
    `Total: ${formatNumber(total)} rows.`,
  );
  if (info.sources?.length) {
    parts.push(
      "",
      "## Sources",
      "",
      table(
        ["source", "revision", "licence", "rows taken", ...(info.sources.some((s) => s.note) ? ["note"] : [])],
        info.sources.map((s) => [
          s.repo,
          s.revision ? `\`${s.revision}\`` : "—",
          s.license ?? "unknown",
          formatNumber(s.rows),
          ...(info.sources!.some((x) => x.note) ? [s.note ?? ""] : []),
        ]),
        ["left", "left", "left", "right", "left"],
      ),
    );
  }
  if (info.columns?.length) {
    parts.push(
      "",
      "## Columns",
      "",
      table(
        ["column", "type", "description"],
        info.columns.map((c) => [`\`${c.name}\``, c.type ? `\`${c.type}\`` : "", c.description]),
        ["left", "left", "left"],
      ),
    );
  }
  if (info.lengthStats) {
    const s = info.lengthStats;
    const label = s.label ?? "length";
    const header = ["rows", "min", ...(s.p10 !== undefined ? ["p10"] : []), "median", "mean", ...(s.p90 !== undefined ? ["p90"] : []), "max"];
    const row = [
      formatNumber(s.count),
      formatNumber(s.min),
      ...(s.p10 !== undefined ? [formatNumber(s.p10)] : []),
      formatNumber(s.median),
      formatNumber(s.mean),
      ...(s.p90 !== undefined ? [formatNumber(s.p90)] : []),
      formatNumber(s.max),
    ];
    parts.push("", "## Length statistics", "", `${label[0]!.toUpperCase()}${label.slice(1)}, in ${s.unit}:`, "", table(header, [row]));
    if (info.histogramFile) parts.push("", `![${label} histogram](${info.histogramFile})`);
  } else if (info.histogramFile) {
    parts.push("", "## Length statistics", "", `![length histogram](${info.histogramFile})`);
  }
  const jsonColumns = (info.columns ?? []).filter((c) => c.type?.includes("JSON"));
  parts.push("", loadSnippets(info));
  if (jsonColumns.length > 0)
    parts.push(
      "",
      jsonColumnsNote(
        jsonColumns.map((c) => c.name),
        info.splits[0]?.name ?? "train",
      ),
    );
  for (const section of info.extraSections ?? []) parts.push("", section.trim());
  if (info.citations?.length) {
    parts.push(
      "",
      "## Citation",
      "",
      "If you use this dataset, please cite:",
      "",
      "```bibtex",
      unique(info.citations.map((c) => c.trim())).join("\n\n"),
      "```",
    );
  }
  return parts.join("\n");
}

/** Serialises a front-matter object as the `---` block (block style, no line folding). */
export function renderFrontMatter(metadata: Record<string, unknown>): string {
  return `---\n${stringify(metadata, { lineWidth: 0 })}---\n`;
}

/**
 * Renders a full dataset card (README.md text): YAML front matter (configs with data_files per
 * split and `default: true`, license, language, task_categories, size_categories, tags,
 * pretty_name) then the generated markdown body between begin/end markers.
 *
 * @example
 * renderDatasetCard({ title: "Long SFT", description: "…", splits: [{ name: "train", rows: 6000 }] })
 */
export function renderDatasetCard(info: DatasetCardInfo): string {
  for (const split of info.splits) {
    if (!/^\w+(\.\w+)*$/.test(split.name)) throw new OptionError(`invalid split name "${split.name}" (letters, digits, _ and dots only)`, { field: "splits" });
  }
  return `${renderFrontMatter(datasetCardMetadata(info))}\n${CARD_BEGIN_MARKER}\n${renderDatasetCardBody(info)}\n${CARD_END_MARKER}\n`;
}
