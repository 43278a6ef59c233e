/**
 * @module mix/resolve-hub-source — fetches a recipe's Hub source (repo + revision + files or split) into
 * the local cache and returns the resolved commit sha and local paths.
 */
import { ConfigError, ToolkitError } from "../errors.js";
import type { PullDatasetOptions } from "../hub/pull-dataset.js";

/** A pulled Hub source: the commit it resolved to and its files on disk. */
export interface PulledSource {
  sha: string;
  files: Array<{ path: string; localPath: string }>;
}

/** Downloads `files` (or a split's files) of a dataset repo at `revision`. */
export type HubPull = (args: { repo: string; revision: string; files?: string[] | undefined; split?: string | undefined }) => Promise<PulledSource>;

export async function resolveHubSource({
  repo,
  revision,
  files,
  split,
  pull,
  file,
  field,
}: {
  repo: string;
  revision: string;
  files: string[] | undefined;
  split: string | undefined;
  pull: HubPull | undefined;
  file: string;
  field: string;
}): Promise<PulledSource> {
  const fetcher = pull ?? hubPull();
  let pulled: PulledSource;
  try {
    pulled = await fetcher({ repo, revision, files, split });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ToolkitError(`${file}: field ${field}: cannot fetch ${repo}@${revision}: ${reason}`, { cause: error });
  }
  if (pulled.files.length === 0)
    throw new ConfigError(`${repo}@${revision} has no files for ${split ? `split "${split}"` : "this source"}`, { file, field, exitCode: 1 });
  return pulled;
}

/** Repo-path globs for a split, by the Hub's layout conventions (`data/train-00000-of-00001.parquet`, `train/…`). */
export function splitGlobs(split: string): string[] {
  const ext = "{parquet,jsonl,json,ndjson}";
  return [`data/${split}-*.${ext}`, `data/${split}/**/*.${ext}`, `${split}/**/*.${ext}`, `${split}-*.${ext}`, `data/${split}.${ext}`, `${split}.${ext}`];
}

/** Connection settings passed through to the hub module's pullDataset (endpoint, token, cache, fetch, ...). */
export type HubPullSettings = Omit<PullDatasetOptions, "repo" | "revision" | "files">;

/** The default HubPull: the hub module's pullDataset (sha-keyed verified cache, HF_ENDPOINT/HF_TOKEN honoured). */
export function hubPull(settings: HubPullSettings = {}): HubPull {
  return async ({ repo, revision, files, split }) => {
    const { pullDataset } = await import("../hub/pull-dataset.js");
    const result = await pullDataset({ ...settings, repo, revision, files: files ?? splitGlobs(split!) });
    return { sha: result.sha, files: result.files.map((f) => ({ path: f.path, localPath: f.localPath })) };
  };
}
