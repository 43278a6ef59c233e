/**
 * @module hub/pull-dataset — download dataset files from the Hub at a pinned revision into a local
 * cache keyed by commit sha, verifying every file's hash; later pulls of the same sha are served
 * from disk without any request, and a branch pull without network falls back to the last sha
 * resolved for it.
 */
import { mkdir, readFile, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { ToolkitError } from "../errors.js";
import { withAtomicFile, writeFileAtomic } from "../io/atomic-file.js";
import { resolveHubConfig } from "./hub-config.js";
import { HubError, isNetworkError, toHubError } from "./hub-error.js";
import { createHubFetch } from "./hub-fetch.js";
import { contentCheck } from "./content-check.js";
import { pathMatcher } from "../util/match-glob.js";
import { repoPathProblem } from "./repo-path.js";
import { hubLibrary, isHubApiError } from "./hub-library.js";

/** One file as listed at a commit. */
export interface HubListedFile {
  path: string;
  size: number;
  /** git blob sha1 (of the pointer for LFS files). */
  oid: string;
  /** sha256 of the content, for LFS files. */
  sha256?: string;
}

export interface PulledFile {
  /** Path inside the repo. */
  path: string;
  /** Where it sits in the cache. */
  localPath: string;
  bytes: number;
  /** git blob sha1 from the listing (of the pointer for LFS files); "" when none was listed. */
  oid: string;
  /** sha256 of the content, for LFS files. */
  sha256?: string;
}

/** Most entries a listing may hold; a server that keeps paginating past it is cut off. */
export const MAX_LISTED_FILES = 1_000_000;

export interface PullDatasetResult {
  repo: string;
  /** The revision asked for (branch, tag or sha). */
  revision: string;
  /** The commit sha it resolved to. */
  sha: string;
  /** True when nothing was fetched over the network. */
  fromCache: boolean;
  /** Cache directory holding the files of this sha. */
  snapshotDir: string;
  files: PulledFile[];
  /** Things the caller should tell the user (e.g. an offline fallback). */
  warnings: string[];
}

export type PullProgressEvent =
  | { type: "resolved"; sha: string; files: number; bytes: number }
  | { type: "file"; path: string; bytes: number; cached: boolean };

export interface PullDatasetOptions {
  /** Dataset repo id, `namespace/name` (a model repo with `repoType: "model"`). */
  repo: string;
  /** The kind of repo: datasets (`pull`, mix sources) or models (tokenizer files). @default "dataset" */
  repoType?: "dataset" | "model" | undefined;
  /** Branch, tag or 40-hex commit sha. @default "main" */
  revision?: string | undefined;
  /** Glob(s) of repo paths to pull (`data/train-*`, `**\/*.parquet`). @default every file */
  files?: string | readonly string[] | undefined;
  /** Cache root. @default $LONGWRITER_CACHE/hub or ~/.cache/longwriter-toolkit/hub */
  cacheDir?: string | undefined;
  /** Hub URL. @default $HF_ENDPOINT or https://huggingface.co */
  endpoint?: string | undefined;
  /** Token for private/gated repos. @default $HF_TOKEN (or the variable named by tokenEnv) */
  token?: string | undefined;
  tokenEnv?: string | undefined;
  /** fetch to use underneath our retries (tests pass a loopback guard). */
  fetch?: typeof fetch | undefined;
  /** Never touch the network; serve from the cache or fail. @default false */
  offline?: boolean | undefined;
  /** Retries per request (429/5xx/resets). @default 5 */
  retries?: number | undefined;
  /** First retry delay (doubles each time). @default 500 */
  retryBaseDelayMs?: number | undefined;
  onProgress?: ((event: PullProgressEvent) => void) | undefined;
  /** Environment (tests). @default process.env */
  env?: Record<string, string | undefined> | undefined;
}

/** The Hub cache root: $LONGWRITER_CACHE/hub, else ~/.cache/longwriter-toolkit/hub. */
export function defaultHubCacheDir(env: Record<string, string | undefined> = process.env): string {
  const root = env.LONGWRITER_CACHE || join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "longwriter-toolkit");
  return join(root, "hub");
}

/**
 * Validates `ns/name` as the Hub names repos (a `datasets/` prefix is accepted and dropped): each part
 * 1–96 of letters, digits, `-`, `_`, `.`, not starting or ending with `-` or `.`, without `--` or `..`.
 */
export function parseRepoId(repo: string): string {
  const id = repo.replace(/^datasets\//, "");
  const parts = id.split("/");
  const partOk = (part: string): boolean => /^[A-Za-z0-9_](?:[\w.-]{0,94}[A-Za-z0-9_])?$/.test(part) && !part.includes("..") && !part.includes("--");
  if (parts.length !== 2 || !parts.every(partOk)) {
    throw new ToolkitError(
      `invalid dataset repo id ${JSON.stringify(repo)}: expected "namespace/name" (letters, digits, -, _, .; no leading or trailing . or -)`,
      { exitCode: 2 },
    );
  }
  return id;
}

const SHA_RE = /^[0-9a-f]{40}$/;

interface CachePaths {
  root: string;
  ref: (revision: string) => string;
  listing: (sha: string) => string;
  snapshot: (sha: string) => string;
}

function cachePaths(cacheDir: string, repo: string, repoType: "dataset" | "model"): CachePaths {
  const root = join(cacheDir, `${repoType}s--${repo.replace("/", "--")}`);
  return {
    root,
    ref: (revision) => join(root, "refs", encodeURIComponent(revision)),
    listing: (sha) => join(root, "listings", `${sha}.json`),
    snapshot: (sha) => join(root, "snapshots", sha),
  };
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}

async function fileSize(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

function safeLocalPath(snapshot: string, path: string): string {
  const problem = repoPathProblem(path);
  if (problem) throw new HubError(`refusing unsafe repo path ${JSON.stringify(path)}: ${problem}`);
  return join(snapshot, ...path.split("/"));
}

/**
 * Pulls dataset files at a revision into the cache and returns where they are.
 *
 * @example
 * const { sha, files } = await pullDataset({ repo: "THUDM/LongWriter-6k", files: "*.jsonl" });
 */
export async function pullDataset(options: PullDatasetOptions): Promise<PullDatasetResult> {
  const repo = parseRepoId(options.repo);
  const revision = options.revision ?? "main";
  const env = options.env ?? process.env;
  const config = resolveHubConfig({ token: options.token, tokenEnv: options.tokenEnv, endpoint: options.endpoint, env });
  const repoType = options.repoType ?? "dataset";
  const cache = cachePaths(options.cacheDir ?? defaultHubCacheDir(env), repo, repoType);
  const hubFetch = createHubFetch({ fetch: options.fetch, retries: options.retries, baseDelayMs: options.retryBaseDelayMs });
  const common = { hubUrl: config.endpoint, fetch: hubFetch.fetch, ...(config.token ? { accessToken: config.token } : {}) };
  const repoDesignation = { type: repoType, name: repo };
  const matches = pathMatcher(options.files);
  const warnings: string[] = [];
  let offline = options.offline === true;

  // 1. Resolve the revision to a commit sha.
  let sha: string | undefined = SHA_RE.test(revision) ? revision : undefined;
  if (sha === undefined) {
    const cachedRef = (await readText(cache.ref(revision)))?.trim();
    if (!offline) {
      try {
        const info =
          repoType === "model"
            ? await (await hubLibrary()).modelInfo({ name: repo, revision, additionalFields: ["sha"], ...common })
            : await (await hubLibrary()).datasetInfo({ name: repo, revision, additionalFields: ["sha"], ...common });
        sha = String((info as { sha?: unknown }).sha ?? "");
        if (!SHA_RE.test(sha)) throw new HubError(`the Hub returned no commit sha for ${repo}@${revision}`);
      } catch (error) {
        if (!isNetworkError(error) || !cachedRef) throw toHubError(error, `resolving ${repo}@${revision}`, config.token);
        offline = true;
        sha = cachedRef;
        warnings.push(`network unavailable (${(error as Error).message}); using ${repo}@${revision} = ${sha} resolved earlier, from the cache`);
      }
    } else {
      if (!cachedRef) throw new HubError(`offline: ${repo}@${revision} was never resolved into the cache (${cache.root})`);
      sha = cachedRef;
      warnings.push(`offline: using ${repo}@${revision} = ${sha} from the cache (resolved earlier; the branch may have moved)`);
    }
  }

  // 2. The file listing at that sha (immutable, so cached forever).
  let listing: HubListedFile[] | undefined;
  const cachedListing = await readText(cache.listing(sha));
  if (cachedListing) listing = JSON.parse(cachedListing) as HubListedFile[];
  else if (offline) throw new HubError(`offline: no cached file listing for ${repo}@${sha} (${cache.root})`);
  else {
    listing = [];
    // A listing from a hostile or broken server: pagination that comes back to a page already seen
    // (the same path twice) or never ends is cut off rather than followed forever.
    const seen = new Set<string>();
    let entries = 0;
    try {
      for await (const entry of (await hubLibrary()).listFiles({ repo: repoDesignation, revision: sha, recursive: true, ...common })) {
        entries += 1;
        if (seen.has(entry.path)) {
          throw new HubError(`the file listing of ${repo}@${sha} repeats ${JSON.stringify(entry.path)} (its pagination loops); stopped listing`);
        }
        if (entries > MAX_LISTED_FILES) throw new HubError(`the file listing of ${repo}@${sha} has more than ${MAX_LISTED_FILES} entries; stopped listing`);
        seen.add(entry.path);
        if (entry.type !== "file") continue;
        if (!Number.isSafeInteger(entry.size) || entry.size < 0)
          throw new HubError(`the file listing of ${repo}@${sha} gives ${JSON.stringify(entry.path)} an invalid size`);
        listing.push({ path: entry.path, size: entry.size, oid: entry.oid ?? "", ...(entry.lfs ? { sha256: entry.lfs.oid } : {}) });
      }
    } catch (error) {
      throw toHubError(error, `listing files of ${repo}@${sha}`, config.token);
    }
    await writeFileAtomic(cache.listing(sha), `${JSON.stringify(listing, null, 1)}\n`);
  }
  if (!SHA_RE.test(revision)) await writeFileAtomic(cache.ref(revision), `${sha}\n`);

  const selected = listing.filter((f) => matches(f.path));
  if (options.files !== undefined && selected.length === 0) {
    throw new HubError(`no file of ${repo}@${sha.slice(0, 10)} matches ${JSON.stringify(options.files)} (${listing.length} files in the repo)`);
  }
  // Every path is checked before anything is written: no `..`, no absolute paths, no `.git/`.
  for (const file of selected) {
    const problem = repoPathProblem(file.path);
    if (problem)
      throw new HubError(
        `refusing to pull ${repo}@${sha.slice(0, 10)}: its listing holds ${JSON.stringify(file.path)} (${problem}), which a dataset never needs`,
      );
  }
  options.onProgress?.({ type: "resolved", sha, files: selected.length, bytes: selected.reduce((a, f) => a + f.size, 0) });

  // 3. Files: cached ones are used as they are (written atomically after verification).
  const snapshot = cache.snapshot(sha);
  await mkdir(snapshot, { recursive: true });
  const out: PulledFile[] = [];
  let downloaded = 0;
  for (const file of selected) {
    const localPath = safeLocalPath(snapshot, file.path);
    if ((await fileSize(localPath)) === file.size) {
      out.push(pulled(file, localPath));
      options.onProgress?.({ type: "file", path: file.path, bytes: file.size, cached: true });
      continue;
    }
    if (offline) throw new HubError(`offline: ${file.path} of ${repo}@${sha} is not in the cache (${snapshot})`);
    await downloadVerified({ file, localPath, sha, repoDesignation, common, token: config.token });
    downloaded += 1;
    out.push(pulled(file, localPath));
    options.onProgress?.({ type: "file", path: file.path, bytes: file.size, cached: false });
  }
  return { repo, revision, sha, fromCache: hubFetch.requestCount() === 0 && downloaded === 0, snapshotDir: snapshot, files: out, warnings };
}

function pulled(file: HubListedFile, localPath: string): PulledFile {
  return { path: file.path, localPath, bytes: file.size, oid: file.oid, ...(file.sha256 ? { sha256: file.sha256 } : {}) };
}

async function downloadVerified(args: {
  file: HubListedFile;
  localPath: string;
  sha: string;
  repoDesignation: { type: "dataset" | "model"; name: string };
  common: { hubUrl: string; fetch: typeof fetch; accessToken?: string };
  token: string | undefined;
}): Promise<void> {
  const { file, localPath, sha, repoDesignation, common } = args;
  const attempts = 3;
  for (let attempt = 1; ; attempt++) {
    try {
      const blob = await (await hubLibrary()).downloadFile({ repo: repoDesignation, path: file.path, revision: sha, xet: false, ...common });
      if (!blob) throw new HubError(`${file.path} is listed at ${sha} but the Hub says it does not exist`);
      // Bytes are checked as they arrive (a body longer than listed is cut off) and renamed into the
      // cache only once size and hash match.
      await withAtomicFile(localPath, async (out) => {
        const check = contentCheck(file, "download");
        const reader = blob.stream().getReader();
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            check.update(value);
            await out.write(value);
          }
        } catch (error) {
          await reader.cancel().catch(() => undefined);
          throw error;
        }
        check.finish();
      });
      return;
    } catch (error) {
      const retryable = !isHubApiError(error) && !ToolkitError.isInstance(error);
      if (!retryable || attempt >= attempts) throw toHubError(error, `downloading ${file.path}`, args.token);
    }
  }
}
