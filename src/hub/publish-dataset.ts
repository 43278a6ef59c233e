/**
 * @module hub/publish-dataset — publishes a dataset dir to a Hub dataset repo through
 * `@huggingface/hub`: creates the repo when missing, merges the card with the one already there,
 * uploads only what changed (compared by hash with the tree listing), deletes stale shards in the
 * same commit, retries what the library does not (429/5xx/resets per request; 409/412 on the commit
 * by re-reading the head and re-planning), and never leaves a half-applied commit.
 */
import { pathToFileURL } from "node:url";
import {
  HubApiError,
  commitIter,
  createBranch,
  createRepo,
  datasetInfo,
  downloadFile,
  listFiles,
  repoExists,
  type CommitOperation,
  type CommitOutput,
} from "@huggingface/hub";
import { ToolkitError } from "../errors.js";
import { REPO_ID_PLACEHOLDER } from "./dataset-card.js";
import { gitBlobSha1 } from "./hash-file.js";
import { resolveHubConfig } from "./hub-config.js";
import { redactSecrets } from "../util/redact-secrets.js";
import { HubError, toHubError } from "./hub-error.js";
import { createHubFetch, type HubRetryEvent } from "./hub-fetch.js";
import { mergeDatasetCard } from "./merge-dataset-card.js";
import { chunkPlan, planCommit, sameContent, type PlanEntry, type PlannedSource, type RemoteFile } from "./plan-commit.js";
import { parseRepoId } from "./pull-dataset.js";
import { scanDatasetDir } from "./scan-dataset-dir.js";
import { sha256Hex } from "../util/sha256.js";

export type PublishProgressEvent =
  | { type: "scanned"; files: number; bytes: number }
  | { type: "planned"; add: number; update: number; delete: number; unchanged: number; bytes: number; commits: number }
  | { type: "phase"; phase: "preuploading" | "uploadingLargeFiles" | "committing"; commit: number; commits: number }
  | { type: "file"; path: string; state: "hashing" | "uploading" | "error"; progress: number }
  /** LFS bytes sent so far, of `total` planned for LFS (a guess: the Hub decides what is LFS). */
  | { type: "uploaded"; bytes: number; total: number }
  | { type: "retry"; retry: HubRetryEvent }
  | { type: "conflict"; attempt: number; delayMs: number; status: number }
  | { type: "committed"; oid: string; url: string; commit: number; commits: number }
  | { type: "warning"; message: string };

export interface PublishDatasetOptions {
  /** Dataset dir (README.md, manifest.json, data/*.parquet, optional *.svg). */
  dir: string;
  /** Target repo, `namespace/name`. */
  repo: string;
  /** Token (wins over the environment). */
  token?: string | undefined;
  /** Environment variable holding the token. @default "HF_TOKEN" */
  tokenEnv?: string | undefined;
  /** @default $HF_ENDPOINT or https://huggingface.co */
  endpoint?: string | undefined;
  /** @default "main" */
  branch?: string | undefined;
  /** Open a pull request instead of committing to the branch. @default false */
  pr?: boolean | undefined;
  /** Create the repo private (an existing repo keeps its visibility). @default false */
  private?: boolean | undefined;
  /** Compute and return the plan; create, upload and commit nothing. @default false */
  dryRun?: boolean | undefined;
  /** Commit title. @default "Publish dataset with longwriter-toolkit" */
  commitMessage?: string | undefined;
  /** @default 50 */
  maxFilesPerCommit?: number | undefined;
  /** Per-request retries (429/5xx/resets). @default 5 */
  retries?: number | undefined;
  /** First retry delay. @default 500 */
  retryBaseDelayMs?: number | undefined;
  /** Ceiling for one wait, Retry-After included. @default 60_000 */
  maxRetryDelayMs?: number | undefined;
  /** Re-plans after a 409/412 on the commit. @default 5 */
  maxConflictRetries?: number | undefined;
  /** Allow the Xet upload path when the Hub offers it. @default true */
  useXet?: boolean | undefined;
  /** fetch under our retries (tests pass a loopback guard). */
  fetch?: typeof fetch | undefined;
  onProgress?: ((event: PublishProgressEvent) => void) | undefined;
  /** @default process.env */
  env?: Record<string, string | undefined> | undefined;
  /** Sleep between conflict retries (tests). */
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

/** A plan entry as reported (no file contents). */
export interface PublishPlanEntry {
  action: PlanEntry["action"];
  path: string;
  bytes: number;
  lfs: boolean;
}

export interface PublishDatasetResult {
  repo: string;
  repoUrl: string;
  branch: string;
  dryRun: boolean;
  /** The repo did not exist and was created (or would be, in a dry run). */
  created: boolean;
  /** Head commit before publishing (undefined for a new repo in a dry run). */
  headBefore: string | undefined;
  /** Head commit after publishing (the last commit made, or headBefore when nothing changed). */
  head: string | undefined;
  plan: PublishPlanEntry[];
  /** True when the repo already held exactly this dataset: no commit was made. */
  upToDate: boolean;
  commits: Array<{ oid: string; url: string }>;
  /** URL of the last commit. */
  commitUrl: string | undefined;
  pullRequestUrl: string | undefined;
  /** Bytes the plan sends (adds + updates). */
  plannedBytes: number;
  /** Bytes actually PUT to LFS storage (already-stored objects are not sent again). */
  uploadedBytes: number;
  retries: number;
  conflicts: number;
  warnings: string[];
}

function isConflict(error: unknown): error is HubApiError {
  return error instanceof HubApiError && (error.statusCode === 409 || error.statusCode === 412);
}

function repoWebUrl(endpoint: string, repo: string): string {
  return `${endpoint}/datasets/${repo}`;
}

/**
 * Publishes a dataset dir to the Hub. Idempotent: a second run with the same dir uploads 0 bytes and
 * makes no commit.
 *
 * @example
 * const result = await publishDataset({ dir: "out/mix", repo: "me/longwriter-mix" });
 * console.log(result.commitUrl);
 */
export async function publishDataset(options: PublishDatasetOptions): Promise<PublishDatasetResult> {
  const repo = parseRepoId(options.repo);
  const branch = options.branch ?? "main";
  const dryRun = options.dryRun === true;
  const env = options.env ?? process.env;
  const maxFiles = options.maxFilesPerCommit ?? 50;
  if (!Number.isInteger(maxFiles) || maxFiles < 1) throw new ToolkitError("maxFilesPerCommit must be a positive integer", { exitCode: 2 });
  if (!/^[\w.\-/]+$/.test(branch) || branch.includes("..")) throw new ToolkitError(`invalid branch name ${JSON.stringify(branch)}`, { exitCode: 2 });
  const config = resolveHubConfig({ token: options.token, tokenEnv: options.tokenEnv, endpoint: options.endpoint, env, requireToken: !dryRun });
  const token = config.token;
  const emit = options.onProgress ?? (() => undefined);
  const warnings: string[] = [];
  const warn = (message: string) => {
    const clean = redactSecrets(message, [token]);
    warnings.push(clean);
    emit({ type: "warning", message: clean });
  };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  // 1. Local checks first: nothing is sent from a dir the Hub or its viewer would reject.
  const scanned = await scanDatasetDir({ dir: options.dir, secrets: [token] });
  for (const w of scanned.warnings) warn(w);
  emit({ type: "scanned", files: scanned.files.length, bytes: scanned.files.reduce((a, f) => a + f.size, 0) });
  const localCard = scanned.card.split(REPO_ID_PLACEHOLDER).join(repo);

  let plannedTotal = 0;
  const hubFetch = createHubFetch({
    fetch: options.fetch,
    retries: options.retries,
    baseDelayMs: options.retryBaseDelayMs,
    maxDelayMs: options.maxRetryDelayMs,
    onRetry: (retry) => emit({ type: "retry", retry }),
    onUploaded: () => emit({ type: "uploaded", bytes: hubFetch.uploadedBytes(), total: plannedTotal }),
  });
  const common = { hubUrl: config.endpoint, fetch: hubFetch.fetch, ...(token ? { accessToken: token } : {}) };
  const designation = { type: "dataset" as const, name: repo };
  const fail = (error: unknown, what: string): never => {
    throw toHubError(error, what, token);
  };

  // 2. The repo (and branch) must exist.
  let created = false;
  let exists: boolean;
  try {
    exists = await repoExists({ repo: designation, ...common });
  } catch (error) {
    return fail(error, `checking ${repo} on ${config.endpoint}`);
  }
  if (!exists) {
    if (dryRun) created = true;
    else {
      try {
        await createRepo({
          repo: designation,
          accessToken: token!,
          hubUrl: config.endpoint,
          fetch: hubFetch.fetch,
          visibility: options.private ? "private" : "public",
        });
        created = true;
      } catch (error) {
        if (!(error instanceof HubApiError && error.statusCode === 409)) fail(error, `creating dataset repo ${repo}`);
      }
    }
  } else if (options.private) {
    warn(`${repo} already exists; --private does not change the visibility of an existing repo`);
  }

  const readHead = async (rev: string): Promise<string | undefined> => {
    try {
      const info = await datasetInfo({ name: repo, revision: rev, additionalFields: ["sha"], ...common });
      return String((info as { sha?: unknown }).sha);
    } catch (error) {
      if (error instanceof HubApiError && error.statusCode === 404) return undefined;
      return fail(error, `reading the head of ${repo}@${rev}`);
    }
  };

  let planBranch = branch;
  if (branch !== "main" && exists) {
    const branchHead = await readHead(branch);
    if (branchHead === undefined) {
      if (dryRun) {
        warn(`branch ${branch} does not exist yet; it would be created from main`);
        planBranch = "main";
      } else {
        try {
          await createBranch({ repo: designation, branch, revision: "main", ...common });
        } catch (error) {
          if (!(error instanceof HubApiError && error.statusCode === 409)) fail(error, `creating branch ${branch} of ${repo}`);
        }
      }
    }
  } else if (branch !== "main" && !dryRun) {
    try {
      await createBranch({ repo: designation, branch, revision: "main", ...common });
    } catch (error) {
      if (!(error instanceof HubApiError && error.statusCode === 409)) fail(error, `creating branch ${branch} of ${repo}`);
    }
  }

  // 3. Plan against the current head; commit; on a 409/412 re-read the head and plan again.
  const maxConflicts = options.maxConflictRetries ?? 5;
  let conflicts = 0;
  let headBefore: string | undefined;
  const commits: Array<{ oid: string; url: string }> = [];
  let pullRequestUrl: string | undefined;
  let lastPlan: PlanEntry[] = [];
  for (;;) {
    const head = exists || !dryRun ? await readHead(planBranch) : undefined;
    if (headBefore === undefined) headBefore = head;
    const remote: RemoteFile[] = [];
    let remoteCard: string | undefined;
    if (head) {
      try {
        for await (const entry of listFiles({ repo: designation, revision: head, recursive: true, ...common })) {
          if (entry.type !== "file") continue;
          remote.push({ path: entry.path, size: entry.size, oid: entry.oid ?? "", ...(entry.lfs ? { lfsOid: entry.lfs.oid } : {}) });
        }
        if (remote.some((r) => r.path === "README.md")) {
          const blob = await downloadFile({ repo: designation, path: "README.md", revision: head, xet: false, ...common });
          remoteCard = blob ? await blob.text() : undefined;
        }
      } catch (error) {
        fail(error, `reading the files of ${repo}@${head}`);
      }
    }
    let card: string;
    try {
      card = mergeDatasetCard(remoteCard, localCard);
    } catch (error) {
      throw new HubError(
        `the README.md already in ${repo} has invalid YAML front matter (${(error as Error).message}); fix it on the Hub first, so its metadata is not lost`,
        {
          cause: error,
        },
      );
    }
    const cardBytes = new TextEncoder().encode(card);
    const sources: PlannedSource[] = scanned.files.map((f) =>
      f.path === "README.md"
        ? { path: f.path, size: cardBytes.length, sha256: sha256Hex(cardBytes), gitSha1: gitBlobSha1(cardBytes), content: cardBytes }
        : { path: f.path, size: f.size, sha256: f.sha256, gitSha1: f.gitSha1, localPath: f.localPath },
    );
    const plan = planCommit({ local: sources, remote, replaceDirs: scanned.dataDirs });
    lastPlan = plan;
    const chunks = chunkPlan(plan, maxFiles);
    const sendBytes = plan.reduce((a, e) => a + e.bytes, 0);
    plannedTotal = plan.reduce((a, e) => a + (e.lfs ? e.bytes : 0), 0); // what goes through LFS uploads
    const count = (action: PlanEntry["action"]) => plan.filter((e) => e.action === action).length;
    emit({
      type: "planned",
      add: count("add"),
      update: count("update"),
      delete: count("delete"),
      unchanged: count("unchanged"),
      bytes: sendBytes,
      commits: chunks.length,
    });

    if (dryRun || chunks.length === 0) break;

    let parent = head;
    let targetBranch = planBranch;
    let isPullRequest = options.pr === true;
    try {
      for (const [index, chunk] of chunks.entries()) {
        const operations: CommitOperation[] = chunk.map((entry) =>
          entry.action === "delete"
            ? { operation: "delete", path: entry.path }
            : {
                operation: "addOrUpdate",
                path: entry.path,
                content: entry.source!.content ? new Blob([entry.source!.content]) : pathToFileURL(entry.source!.localPath!),
              },
        );
        const title = options.commitMessage ?? "Publish dataset with longwriter-toolkit";
        const iterator = commitIter({
          repo: designation,
          title: chunks.length > 1 ? `${title} (part ${index + 1}-of-${chunks.length})` : title,
          description: describeChunk(chunk),
          operations,
          branch: targetBranch,
          ...(parent ? { parentCommit: parent } : {}),
          isPullRequest,
          ...(options.useXet !== undefined ? { useXet: options.useXet } : {}),
          ...common,
        });
        let output: CommitOutput | undefined;
        for (;;) {
          const step = await iterator.next();
          if (step.done) {
            output = step.value;
            break;
          }
          const event = step.value;
          if (event.event === "phase") emit({ type: "phase", phase: event.phase, commit: index + 1, commits: chunks.length });
          else emit({ type: "file", path: event.path, state: event.state, progress: event.progress });
        }
        if (!output) throw new HubError("the Hub answered the commit without a commit id");
        commits.push({ oid: output.commit.oid, url: output.commit.url });
        emit({ type: "committed", oid: output.commit.oid, url: output.commit.url, commit: index + 1, commits: chunks.length });
        parent = output.commit.oid;
        if (isPullRequest && output.pullRequestUrl) {
          pullRequestUrl = output.pullRequestUrl;
          const number = /\/discussions\/(\d+)/.exec(output.pullRequestUrl)?.[1];
          if (number) {
            targetBranch = `refs/pr/${number}`;
            isPullRequest = false;
          }
        }
      }
      break;
    } catch (error) {
      if (isConflict(error) && conflicts < maxConflicts) {
        conflicts += 1;
        const delayMs = Math.round(Math.min(30_000, 500 * 2 ** (conflicts - 1)) * (0.5 + Math.random()));
        emit({ type: "conflict", attempt: conflicts, delayMs, status: error.statusCode });
        await sleep(delayMs);
        continue; // re-read the head, re-merge the card, re-plan (committed parts show as unchanged)
      }
      const landed = commits.length;
      const where = landed === 0 ? "nothing was committed" : `${landed} of ${chunks.length} part commits landed (each complete; the card is committed last)`;
      const base = toHubError(error, `publishing ${scanned.dir} to ${repo}`, token);
      throw new HubError(`${base.message}; ${where}. Re-run the same command to finish: files the Hub already stores are not uploaded again.`, {
        cause: error,
        status: base.status,
      });
    }
  }

  const last = commits[commits.length - 1];
  if (last) {
    // Verify: the tree at our last commit holds every local file with the same hash.
    const remote = new Map<string, RemoteFile>();
    try {
      for await (const entry of listFiles({ repo: designation, revision: last.oid, recursive: true, ...common })) {
        if (entry.type === "file")
          remote.set(entry.path, { path: entry.path, size: entry.size, oid: entry.oid ?? "", ...(entry.lfs ? { lfsOid: entry.lfs.oid } : {}) });
      }
    } catch (error) {
      fail(error, `verifying ${repo}@${last.oid}`);
    }
    const wrong = lastPlan.filter((e) => e.source && !(remote.has(e.path) && sameContent(e.source, remote.get(e.path)!))).map((e) => e.path);
    const stale = lastPlan.filter((e) => e.action === "delete" && remote.has(e.path)).map((e) => e.path);
    if (wrong.length || stale.length) {
      throw new HubError(
        `published ${last.url}, but the repo does not match the dir: ${[...wrong.map((p) => `${p} differs or is missing`), ...stale.map((p) => `${p} was not deleted`)].join("; ")}`,
      );
    }
  }
  return {
    repo,
    repoUrl: repoWebUrl(config.endpoint, repo),
    branch,
    dryRun,
    created,
    headBefore,
    head: last?.oid ?? headBefore,
    plan: lastPlan.map(({ action, path, bytes, lfs }) => ({ action, path, bytes, lfs })),
    upToDate: !lastPlan.some((e) => e.action !== "unchanged"),
    commits,
    commitUrl: last?.url,
    pullRequestUrl,
    plannedBytes: lastPlan.reduce((a, e) => a + e.bytes, 0),
    uploadedBytes: hubFetch.uploadedBytes(),
    retries: hubFetch.retryCount(),
    conflicts,
    warnings,
  };
}

function describeChunk(chunk: PlanEntry[]): string {
  const count = (action: PlanEntry["action"]) => chunk.filter((e) => e.action === action).length;
  return `add ${count("add")}, update ${count("update")}, delete ${count("delete")} file(s).`;
}
