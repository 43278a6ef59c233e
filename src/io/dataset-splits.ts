/**
 * @module io/dataset-splits — which Parquet files of a dataset dir form which split: `manifest.json`'s
 * `splits` when the dir was written by the toolkit, else the Hub's file naming conventions
 * (`data/{split}-00000-of-00001.parquet`, `{split}.parquet`, a `{split}/` directory; anything else is
 * `train`, as `datasets` infers it). Also the choice a command makes when it is not told a split.
 */
import { readFile, stat } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import { ConfigError } from "../errors.js";
import { parquetFilesIn } from "./read-records.js";

/** One split of a dataset dir and its files (absolute or relative to the cwd, as `dir` was given). */
export interface DirSplit {
  name: string;
  files: string[];
}

/** `--split all`: every split, one after another (train first when there is one). */
export const ALL_SPLITS = "all";

const SHARD_NAME = /^([\w.]+?)-\d{5}-of-\d{5}\.parquet$/i;
const SPLIT_FILE = /^([\w.]+)\.parquet$/i;
const KNOWN_SPLITS = new Set(["train", "test", "validation", "valid", "val", "dev", "eval", "evaluation", "training", "testing"]);

function splitOfPath(path: string): string {
  const parts = path.split("/");
  const name = parts.at(-1)!;
  const shard = SHARD_NAME.exec(name);
  if (shard) return shard[1]!;
  for (const dir of parts.slice(0, -1).reverse()) if (KNOWN_SPLITS.has(dir.toLowerCase())) return dir;
  const file = SPLIT_FILE.exec(name);
  if (file && KNOWN_SPLITS.has(file[1]!.toLowerCase())) return file[1]!;
  return "train";
}

/** Train first, then the order found (manifest order, or test/validation before others by name). */
function ordered(splits: Map<string, string[]>): DirSplit[] {
  const names = [...splits.keys()];
  names.sort((a, b) => (a === "train" ? -1 : b === "train" ? 1 : 0));
  return names.map((name) => ({ name, files: splits.get(name)! }));
}

/**
 * The splits of a dataset dir. Throws a ConfigError when `dir` holds no Parquet files.
 *
 * @example (await datasetDirSplits("out/mix")).map((s) => s.name) // ["train", "test"]
 */
export async function datasetDirSplits(dir: string): Promise<DirSplit[]> {
  const manifest = await readManifestSplits(dir);
  if (manifest) return manifest;
  const files = await parquetFilesIn(dir);
  if (files.length === 0) throw new ConfigError(`${dir} is a directory with no .parquet files`, { exitCode: 1 });
  const splits = new Map<string, string[]>();
  for (const file of files) {
    const split = splitOfPath(relative(dir, file).split(sep).join("/"));
    splits.set(split, [...(splits.get(split) ?? []), file]);
  }
  return ordered(splits);
}

async function readManifestSplits(dir: string): Promise<DirSplit[] | undefined> {
  let manifest: { splits?: Record<string, { files?: unknown }> };
  try {
    manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as typeof manifest;
  } catch {
    return undefined;
  }
  if (!manifest || typeof manifest.splits !== "object" || manifest.splits === null) return undefined;
  const splits = new Map<string, string[]>();
  for (const [name, entry] of Object.entries(manifest.splits)) {
    const files = Array.isArray(entry?.files) ? entry.files.filter((f): f is string => typeof f === "string" && !f.split(/[\\/]/).includes("..")) : [];
    if (files.length === 0) return undefined;
    splits.set(name, files.map((f) => join(dir, f)));
  }
  return splits.size > 0 ? ordered(splits) : undefined;
}

/** What a command reads from its input: one split, every split, or (for a file) the file. */
export interface SplitChoice {
  /** The split to pass to the reader (`undefined` for a file or a one-split dir). */
  split: string | undefined;
  /** The dir's splits (empty for a file). */
  splits: string[];
  /** A note for stderr when the choice was made for the user (other splits were left out). */
  note?: string;
}

/**
 * The split a converting command (convert, filter, select) reads when given `requested` (`--split`):
 * a named split, `all`, or by default `train` — with a note naming the splits left out, so a test split
 * never ends up in training data unnoticed. A file input takes no `--split`.
 */
export async function chooseSplit(input: string, requested: string | undefined): Promise<SplitChoice> {
  const isDir = await stat(input).then((s) => s.isDirectory(), () => false);
  if (!isDir) {
    if (requested !== undefined) throw new ConfigError(`--split applies to a dataset dir; ${input} is a file`);
    return { split: undefined, splits: [] };
  }
  const splits = (await datasetDirSplits(input)).map((s) => s.name);
  if (requested === ALL_SPLITS) return { split: ALL_SPLITS, splits };
  if (requested !== undefined) {
    if (!splits.includes(requested)) throw new ConfigError(`${input} has no split "${requested}" (it has ${splits.join(", ")}; or --split all)`);
    return { split: requested, splits };
  }
  if (splits.length === 1) return { split: undefined, splits };
  if (!splits.includes("train")) {
    throw new ConfigError(`${input} has the splits ${splits.join(", ")} and no train split; choose one with --split (or --split all)`);
  }
  const others = splits.filter((s) => s !== "train");
  return {
    split: "train",
    splits,
    note: `note: reading split train of ${basename(input) || dirname(input)}; left out: ${others.join(", ")} (--split NAME or --split all to read them)`,
  };
}
