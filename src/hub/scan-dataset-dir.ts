/**
 * @module hub/scan-dataset-dir — reads a dataset dir for publishing and checks it before anything is
 * uploaded: a card with valid `configs` (config and split names, data_files that match files), the
 * same features in every split of a config (Parquet schemas), row groups under the viewer's limit,
 * a warning for very large cells, manifest hashes, and no token in any text file.
 */
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { SchemaElement } from "hyparquet";
import { InputError } from "../errors.js";
import { readParquetInfo } from "../io/parquet-read.js";
import { DEFAULT_ROW_GROUP_BYTES, VIEWER_ROW_GROUP_BYTES } from "../io/parquet-write.js";
import { hashFile, type FileHashes } from "./hash-file.js";
import { pathMatcher } from "../util/match-glob.js";
import { parseDatasetCard } from "./merge-dataset-card.js";

/** Row groups bigger than this (uncompressed) are refused: too big for the viewer even to convert. */
export const VIEWER_MAX_ROW_GROUP_BYTES = 286 * 1024 * 1024;
/** Above this the viewer does not serve the file as it is but converts it (a warning). */
export { VIEWER_ROW_GROUP_BYTES };
/** Average uncompressed bytes per row above which we warn that cells are very large. */
export const LARGE_CELL_BYTES = 1024 * 1024;

const SPLIT_NAME = /^\w+(\.\w+)*$/;
const CONFIG_NAME = /^[\w.-]+$/;

export interface LocalFile extends FileHashes {
  /** Repo path (forward slashes). */
  path: string;
  localPath: string;
}

export interface ScannedDatasetDir {
  dir: string;
  files: LocalFile[];
  /** README.md text. */
  card: string;
  /** Parsed `configs` of the card: config name → split → data file paths. */
  configs: Array<{ name: string; splits: Array<{ split: string; files: string[] }> }>;
  /** Directories holding data files (`data`), where stale shards are looked for. */
  dataDirs: string[];
  warnings: string[];
}

/**
 * Lists the dir's files. A symlink to a file is followed (its target's bytes are uploaded under the
 * link's name, as `huggingface_hub` does) and said so; a symlink to a folder, or a broken one, is
 * skipped with a warning — never silently.
 */
async function walk(dir: string, root: string, out: string[], warnings: string[]): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue; // temp files, .git, editor droppings
    const full = join(dir, entry.name);
    const path = relative(root, full).split(sep).join("/");
    if (entry.isDirectory()) await walk(full, root, out, warnings);
    else if (entry.isFile()) out.push(path);
    else if (entry.isSymbolicLink()) {
      const target = await realpath(full).catch(() => undefined);
      const kind = target === undefined ? undefined : await stat(target).catch(() => undefined);
      if (target !== undefined && kind?.isFile()) {
        out.push(path);
        warnings.push(`${path} is a symlink; uploading the file it points to (${target})`);
      } else {
        warnings.push(`${path} is a symlink to ${kind?.isDirectory() ? "a folder" : "nothing (broken)"}; skipped (copy the files in to publish them)`);
      }
    } else warnings.push(`${path} is not a regular file; skipped`);
  }
}

function schemaSignature(schema: SchemaElement[]): string {
  return JSON.stringify(
    schema
      .slice(1)
      .map((e) => [e.name, e.type ?? null, e.repetition_type ?? null, e.converted_type ?? null, e.logical_type?.type ?? null, e.num_children ?? null]),
  );
}

function schemaColumns(schema: SchemaElement[]): string {
  return schema
    .slice(1)
    .filter((e) => e.num_children === undefined || e.num_children === 0 || e === schema[1])
    .map((e) => e.name)
    .join(", ");
}

function asDataFiles(value: unknown): Array<{ split: string; path: string[] }> | undefined {
  const toList = (p: unknown): string[] | undefined =>
    typeof p === "string" ? [p] : Array.isArray(p) && p.every((x) => typeof x === "string") ? (p as string[]) : undefined;
  if (typeof value === "string" || (Array.isArray(value) && value.every((x) => typeof x === "string"))) return [{ split: "train", path: toList(value)! }];
  if (!Array.isArray(value)) return undefined;
  const out: Array<{ split: string; path: string[] }> = [];
  for (const entry of value as Array<{ split?: unknown; path?: unknown }>) {
    const path = toList(entry?.path);
    if (!entry || typeof entry !== "object" || path === undefined) return undefined;
    out.push({ split: typeof entry.split === "string" ? entry.split : "train", path });
  }
  return out;
}

/**
 * Scans and checks a dataset dir; throws an InputError naming the file and the problem, so nothing is
 * uploaded from a dir the Hub or its viewer would reject.
 */
/**
 * A data file of a dataset dir: a Parquet shard anywhere, or a JSON Lines / JSON split file under `data/`
 * (a dir written with --format jsonl|json). Publishing looks for stale ones with the same rule.
 */
export function isDataFilePath(path: string): boolean {
  return path.endsWith(".parquet") || (path.startsWith("data/") && /\.(jsonl|json)$/.test(path));
}

export async function scanDatasetDir(options: {
  dir: string;
  /** Strings that must not appear in any text file (the token). */
  secrets?: Array<string | undefined>;
  /** @default VIEWER_MAX_ROW_GROUP_BYTES */
  maxRowGroupBytes?: number;
}): Promise<ScannedDatasetDir> {
  const { dir } = options;
  const maxRowGroupBytes = options.maxRowGroupBytes ?? VIEWER_MAX_ROW_GROUP_BYTES;
  const isDirectory = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDirectory) throw new InputError({ file: dir }, "not a dataset directory (expected README.md, manifest.json, data/*.parquet)");
  const paths: string[] = [];
  const warnings: string[] = [];
  await walk(dir, dir, paths, warnings);
  paths.sort();
  const cardPath = join(dir, "README.md");
  if (!paths.includes("README.md")) throw new InputError({ file: cardPath }, "missing: a dataset dir needs a card (README.md with configs:)");
  // Data files: Parquet shards, or JSON Lines / JSON files under data/ (a dir written with --format jsonl|json).
  const dataFiles = paths.filter(isDataFilePath);
  if (dataFiles.length === 0) throw new InputError({ file: dir }, "no data files (.parquet, or data/*.jsonl / data/*.json)");

  // Card and configs.
  const card = await readFile(cardPath, "utf8");
  let metadata: Record<string, unknown>;
  try {
    metadata = parseDatasetCard(card).metadata;
  } catch (error) {
    throw new InputError({ file: cardPath, field: "front matter" }, `invalid YAML: ${(error as Error).message}`, { cause: error });
  }
  const rawConfigs = metadata.configs;
  if (!Array.isArray(rawConfigs) || rawConfigs.length === 0) throw new InputError({ file: cardPath, field: "configs" }, "the card has no configs: list");
  const configs: ScannedDatasetDir["configs"] = [];
  const names = new Set<string>();
  let defaults = 0;
  for (const [index, raw] of (rawConfigs as Array<Record<string, unknown>>).entries()) {
    const field = `configs.${index}`;
    const name = raw?.config_name;
    if (typeof name !== "string" || !CONFIG_NAME.test(name) || name === "data") {
      throw new InputError(
        { file: cardPath, field: `${field}.config_name` },
        `invalid config name ${JSON.stringify(name)} (letters, digits, _ . -; not "data")`,
      );
    }
    if (names.has(name)) throw new InputError({ file: cardPath, field: `${field}.config_name` }, `config "${name}" listed twice`);
    names.add(name);
    if (raw.default === true) defaults += 1;
    const dataFiles = asDataFiles(raw.data_files);
    if (!dataFiles) throw new InputError({ file: cardPath, field: `${field}.data_files` }, "expected a path, a list of paths, or a list of {split, path}");
    const splits: Array<{ split: string; files: string[] }> = [];
    const seenSplits = new Set<string>();
    for (const { split, path } of dataFiles) {
      if (!SPLIT_NAME.test(split))
        throw new InputError({ file: cardPath, field: `${field}.data_files` }, `invalid split name "${split}" (must match ${SPLIT_NAME.source})`);
      if (seenSplits.has(split)) throw new InputError({ file: cardPath, field: `${field}.data_files` }, `split "${split}" listed twice`);
      seenSplits.add(split);
      const matches = pathMatcher(path);
      const files = paths.filter(matches);
      if (files.length === 0)
        throw new InputError({ file: cardPath, field: `${field}.data_files` }, `split "${split}": ${JSON.stringify(path)} matches no file in ${dir}`);
      splits.push({ split, files });
    }
    configs.push({ name, splits });
  }
  if (defaults > 1) throw new InputError({ file: cardPath, field: "configs" }, "more than one config has default: true");

  // Parquet: same features per config, row-group sizes, very large cells.
  for (const config of configs) {
    let reference: { file: string; split: string; signature: string; columns: string } | undefined;
    for (const { split, files } of config.splits) {
      for (const file of files.filter((f) => f.endsWith(".parquet"))) {
        const info = await readParquetInfo(join(dir, file));
        const signature = schemaSignature(info.metadata.schema);
        const columns = schemaColumns(info.metadata.schema);
        if (!reference) reference = { file, split, signature, columns };
        else if (signature !== reference.signature) {
          throw new InputError(
            { file: join(dir, file), field: "schema" },
            `features differ from ${reference.file} (split "${reference.split}") in config "${config.name}": [${columns}] vs [${reference.columns}]; every split must have the same columns and types`,
          );
        }
        for (const [index, group] of info.metadata.row_groups.entries()) {
          const bytes = Number(group.total_byte_size);
          const rows = Number(group.num_rows);
          if (bytes > maxRowGroupBytes) {
            throw new InputError(
              { file: join(dir, file), field: `row group ${index}` },
              `${(bytes / 2 ** 20).toFixed(1)} MiB uncompressed, over the dataset viewer's ${(maxRowGroupBytes / 2 ** 20).toFixed(maxRowGroupBytes % 2 ** 20 ? 2 : 0)} MiB limit; rewrite with smaller row groups`,
            );
          }
          if (bytes > VIEWER_ROW_GROUP_BYTES) {
            warnings.push(
              `${file} row group ${index}: ${bytes.toLocaleString("en-US")} uncompressed bytes, over the ${VIEWER_ROW_GROUP_BYTES.toLocaleString("en-US")} the dataset viewer serves as it is (it will convert the file); rewrite with smaller row groups (convert/mix use ${DEFAULT_ROW_GROUP_BYTES.toLocaleString("en-US")} by default)`,
            );
          }
          if (rows > 0 && bytes / rows > LARGE_CELL_BYTES) {
            warnings.push(`${file} row group ${index}: ${(bytes / rows / 2 ** 20).toFixed(1)} MiB per row on average; the viewer truncates very large cells`);
          }
        }
      }
    }
  }

  // Hashes, manifest check, secrets.
  const files: LocalFile[] = [];
  for (const path of paths) {
    const localPath = join(dir, ...path.split("/"));
    files.push({ path, localPath, ...(await hashFile(localPath)) });
  }
  const manifestFile = files.find((f) => f.path === "manifest.json");
  if (manifestFile) {
    let manifest: { files?: Array<{ path?: string; sha256?: string; bytes?: number }> };
    try {
      manifest = JSON.parse(await readFile(manifestFile.localPath, "utf8")) as typeof manifest;
    } catch (error) {
      throw new InputError({ file: manifestFile.localPath }, `invalid JSON: ${(error as Error).message}`, { cause: error });
    }
    for (const [index, entry] of (manifest.files ?? []).entries()) {
      const local = files.find((f) => f.path === entry.path);
      if (!local) throw new InputError({ file: manifestFile.localPath, field: `files.${index}` }, `${entry.path} is listed but missing from the dir`);
      if (entry.sha256 && entry.sha256 !== local.sha256) {
        throw new InputError({ file: local.localPath }, "sha256 differs from manifest.json (changed after it was written?)");
      }
    }
  }
  const secrets = (options.secrets ?? []).filter((s): s is string => !!s && s.length >= 8);
  if (secrets.length) {
    for (const file of files) {
      if (file.path.endsWith(".parquet") || file.size > 50 * 1024 * 1024) continue;
      const text = await readFile(file.localPath, "utf8");
      if (secrets.some((s) => text.includes(s))) throw new InputError({ file: file.localPath }, "contains the Hub token; refusing to publish it");
    }
  }
  const dataDirs = [...new Set(dataFiles.map((p) => (p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "")))];
  return { dir, files, card, configs, dataDirs, warnings };
}
