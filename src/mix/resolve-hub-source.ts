/**
 * @module mix/resolve-hub-source — fetches a recipe's Hub source (repo + revision + files or split) into
 * the local cache and returns the resolved commit sha and local paths.
 */
import { ConfigError, ToolkitError } from "../errors.js";

/** A pulled Hub source: the commit it resolved to and its files on disk. */
export interface PulledSource {
  sha: string;
  files: Array<{ path: string; localPath: string }>;
}

/** Downloads `files` (or a split's files) of a dataset repo at `revision`. */
export type HubPull = (args: { repo: string; revision: string; files?: string[]; split?: string }) => Promise<PulledSource>;

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
  const fetcher = pull ?? (await defaultPull());
  let pulled: PulledSource;
  try {
    pulled = await fetcher({ repo, revision, ...(files ? { files } : {}), ...(split ? { split } : {}) });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ToolkitError(`${file}: field ${field}: cannot fetch ${repo}@${revision}: ${reason}`, { cause: error });
  }
  if (pulled.files.length === 0) throw new ConfigError(`${repo}@${revision} has no files for ${split ? `split "${split}"` : "this source"}`, { file, field, exitCode: 1 });
  return pulled;
}

async function defaultPull(): Promise<HubPull> {
  const hub = (await import("../hub/index.js")) as Record<string, unknown>;
  const pullDataset = hub.pullDataset as HubPull | undefined;
  if (typeof pullDataset !== "function") throw new ToolkitError("Hub sources need the hub module's pullDataset, which this build lacks");
  return pullDataset;
}
