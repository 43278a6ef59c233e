/**
 * @module stats/run-stats — `runStats`: the statistics of a file or dataset dir, per split (a dir with
 * several splits gets one set per split unless `split` names one or "all"), with the rows that could not
 * be read, and optionally an SVG histogram of the output lengths. The file-to-summary form of
 * `computeDatasetStats`; `longwriter stats` prints what it returns.
 */
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { ConfigError } from "../errors.js";
import type { CanonicalRecord, FormatName, RecordKind } from "../io/adapters/format.js";
import { writeFileAtomic } from "../io/atomic-file.js";
import { ALL_SPLITS, datasetDirSplits } from "../io/dataset-splits.js";
import type { InputIssue } from "../io/input-issue.js";
import { readRecords } from "../io/read-records.js";
import { looksLikeCandidates, readCandidates } from "../io/candidates-file.js";
import type { Candidate } from "../schemas/candidate.js";
import { renderHistogramSvg } from "../report/histogram-svg.js";
import { createTokenCounter, type TokenCounter } from "../tokenizers/tokens.js";
import { computeDatasetStats, type DatasetStats } from "./dataset-stats.js";

/** What `runStats` reads: a record format, `candidates` (`sample` / `judge` output), or "auto". */
export type StatsInputFormat = FormatName | "candidates" | "auto";

export interface RunStatsOptions {
  /** A .jsonl, .json or .parquet file, or a dataset dir; or a candidates JSONL file. */
  input: string;
  /** @default "auto" (candidates are recognised by their `promptId` and `response`) */
  from?: StatsInputFormat | undefined;
  /** Only accept records of this kind. */
  kind?: RecordKind | undefined;
  /** Skip rows that cannot be read (each is listed in `issues`) instead of failing. @default false */
  skipInvalid?: boolean | undefined;
  /** For a dataset dir: one split, or "all". @default every split, each separately */
  split?: string | undefined;
  /** Count tokens with this tokenizer (see `createTokenCounter`). @default no token counts */
  tokenizer?: string | undefined;
  /** Write a histogram of the output lengths (log x axis) to this .svg file. */
  plot?: string | undefined;
  /** @default "words" */
  plotUnit?: "words" | "tokens" | undefined;
  /** Rows read so far in the current split. */
  onProgress?: ((rows: number) => void) | undefined;
}

export interface SplitStats {
  /** undefined for a file, or a dir read as one. */
  split: string | undefined;
  stats: DatasetStats;
  formats: Array<FormatName | "candidates">;
  /** Rows skipped under `skipInvalid`. */
  issues: InputIssue[];
}

export interface StatsSummary {
  input: string;
  splits: SplitStats[];
  /** The histogram written, if any. */
  plot: string | undefined;
}

/**
 * @example
 * const { splits } = await runStats({ input: "LongWriter-6k.jsonl", tokenizer: "o200k_base", plot: "lengths.svg" });
 */
export async function runStats(options: RunStatsOptions): Promise<StatsSummary> {
  const { input, from = "auto", tokenizer, plot, plotUnit = "words" } = options;
  if (plotUnit === "tokens" && tokenizer === undefined) throw new ConfigError("a token histogram needs a tokenizer", { field: "plotUnit" });
  if (plot !== undefined && !plot.toLowerCase().endsWith(".svg")) throw new ConfigError(`expected an .svg path, got ${plot}`, { field: "plot" });
  const counter: TokenCounter | undefined = tokenizer !== undefined ? await createTokenCounter(tokenizer) : undefined;
  try {
    const runs = await splitsToRead(input, options.split);
    const splits: SplitStats[] = [];
    const allLengths: { words: number[]; tokens: number[] } = { words: [], tokens: [] };
    const candidates = from === "candidates" || (from === "auto" && options.kind === undefined && (await looksLikeCandidates(input)));
    for (const split of runs) {
      const issues: InputIssue[] = [];
      const formats = new Set<FormatName | "candidates">();
      const skipInvalid = options.skipInvalid ?? false;
      async function* records(): AsyncGenerator<CanonicalRecord | Candidate> {
        if (candidates) {
          formats.add("candidates");
          yield* readCandidates(input, { skipInvalid, issues });
          return;
        }
        const located = readRecords(input, {
          format: from as FormatName | "auto",
          kind: options.kind,
          skipInvalid,
          issues,
          split,
          onFormat: ({ format }) => formats.add(format),
        });
        for await (const { record } of located) yield record;
      }
      const { stats, lengths } = await computeDatasetStats(records(), {
        countTokens: counter ? (text: string) => counter.count(text) : undefined,
        tokenizer: counter?.name,
        onProgress: options.onProgress,
      });
      splits.push({ split, stats, formats: [...formats], issues });
      // One push per value: spreading a large split's lengths into push() overflows the stack (~120k rows).
      for (const words of lengths.words) allLengths.words.push(words);
      for (const tokens of lengths.tokens) allLengths.tokens.push(tokens);
    }
    if (plot !== undefined) {
      const rows = splits.reduce((a, r) => a + r.stats.rows, 0);
      const splitNote = runs.length > 1 ? `, splits ${runs.join(" + ")}` : runs[0] !== undefined ? `, split ${runs[0]}` : "";
      const svg = renderHistogramSvg({
        title: `${basename(input)}: ${splits[0]!.stats.measured} length (n = ${rows}${splitNote})`,
        values: plotUnit === "words" ? allLengths.words : allLengths.tokens,
        xLabel: plotUnit === "words" ? "words (LongBench-Write count)" : `tokens (${counter!.name})`,
        yLabel: "rows",
        logX: true,
        bins: 40,
      });
      await writeFileAtomic(plot, svg);
    }
    return { input, splits, plot };
  } finally {
    counter?.free();
  }
}

/** The splits to describe one by one: the named one (checked), every split of a dir with several, or the whole input. */
async function splitsToRead(input: string, split: string | undefined): Promise<Array<string | undefined>> {
  const isDir = await stat(input).then(
    (info) => info.isDirectory(),
    () => false,
  );
  const dirSplits = isDir ? (await datasetDirSplits(input)).map((s) => s.name) : [];
  if (split !== undefined) {
    if (dirSplits.length === 0) throw new ConfigError(`--split applies to a dataset dir; ${input} is a file`);
    if (split !== ALL_SPLITS && !dirSplits.includes(split))
      throw new ConfigError(`${input} has no split "${split}" (it has ${dirSplits.join(", ")}; or --split all)`);
    return [split];
  }
  return dirSplits.length > 1 ? dirSplits : [undefined];
}
