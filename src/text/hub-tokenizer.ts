/**
 * @module text/hub-tokenizer — a tokenizer named the way the ecosystem names it, by Hub model id
 * (`Qwen/Qwen2.5-7B-Instruct`, `THUDM/glm-4-9b`, optionally `@<revision>`): its `tokenizer.json` (and
 * `tokenizer_config.json` when the repo has one) are pulled through the same Hub client and sha-keyed
 * cache as `pull`, so a pinned revision is read from disk after the first download and a branch falls
 * back to the sha it last resolved to when the network is gone (or `HF_HUB_OFFLINE=1`).
 */
import { ConfigError } from "../errors.js";
import type { PullDatasetOptions } from "../hub/pull-dataset.js";

/** Connection settings for Hub tokenizers (endpoint, token, cache dir, fetch, env), as `pull` takes them. */
export type HubTokenizerSettings = Omit<PullDatasetOptions, "repo" | "revision" | "files" | "repoType">;

/** A Hub model id with an optional revision. */
export interface HubTokenizerId {
  repo: string;
  revision: string;
}

const HUB_ID = /^([\w.-]+\/[\w.-]+)(?:@([\w./-]+))?$/;

/** `owner/name` or `owner/name@revision` → its parts; anything else → undefined. */
export function parseHubTokenizerId(name: string): HubTokenizerId | undefined {
  const match = HUB_ID.exec(name);
  if (!match || name.includes("..") || name.endsWith(".json")) return undefined;
  return { repo: match[1]!, revision: match[2] ?? "main" };
}

/** Where a Hub tokenizer was put: the tokenizer.json path and the commit it came from. */
export interface FetchedTokenizer {
  file: string;
  sha: string;
  fromCache: boolean;
  warnings: string[];
}

/**
 * Pulls `tokenizer.json` (+ `tokenizer_config.json`) of a model repo into the Hub cache and returns the
 * local tokenizer.json. Throws a ConfigError when the repo has no tokenizer.json.
 *
 * @example const { file, sha } = await fetchHubTokenizer({ repo: "Qwen/Qwen2.5-7B-Instruct", revision: "main" });
 */
export async function fetchHubTokenizer(id: HubTokenizerId, settings: HubTokenizerSettings = {}): Promise<FetchedTokenizer> {
  const { pullDataset } = await import("../hub/pull-dataset.js");
  const env = settings.env ?? process.env;
  const offline = settings.offline ?? ["1", "true", "yes"].includes((env.HF_HUB_OFFLINE ?? "").toLowerCase());
  let pulled;
  try {
    pulled = await pullDataset({ ...settings, offline, repo: id.repo, revision: id.revision, repoType: "model", files: ["tokenizer.json", "tokenizer_config.json"] });
  } catch (error) {
    throw new ConfigError(`cannot get the tokenizer of ${id.repo}@${id.revision} from the Hub: ${(error as Error).message}`, { field: "tokenizer", cause: error });
  }
  const file = pulled.files.find((f) => f.path === "tokenizer.json");
  if (!file) throw new ConfigError(`${id.repo}@${pulled.sha.slice(0, 10)} has no tokenizer.json (only slow tokenizers?); pass a local tokenizer.json instead`, { field: "tokenizer" });
  return { file: file.localPath, sha: pulled.sha, fromCache: pulled.fromCache, warnings: pulled.warnings };
}
