/**
 * @module hub/publish-dataset — publishes a dataset dir to a Hub dataset repo through
 * `@huggingface/hub`: creates the repo when missing, merges the card with the one already there,
 * uploads only what changed (compared by hash with the tree listing), deletes stale shards in the
 * same commit, retries what the library does not (429/5xx/resets per request; 409/412 on the commit
 * by re-reading the head and re-planning), and never leaves a half-applied commit. The steps:
 * scan-dataset-dir, prepare-hub-repo, plan-publish, commit-plan, verify-published.
 */
import type { HubApiError } from "@huggingface/hub";
import { ToolkitError } from "../errors.js";
import { redactSecrets } from "../util/redact-secrets.js";
import { commitPlan, type CommittedParts } from "./commit-plan.js";
import { REPO_ID_PLACEHOLDER } from "./dataset-card.js";
import { resolveHubConfig } from "./hub-config.js";
import { HubError, toHubError } from "./hub-error.js";
import { createHubFetch } from "./hub-fetch.js";
import { createHubRepoSession, readHead, type HubRepoSession } from "./hub-repo-session.js";
import type { PlanEntry } from "./plan-commit.js";
import { planPublish, readRemoteTree } from "./plan-publish.js";
import { prepareHubRepo } from "./prepare-hub-repo.js";
import type { PublishProgressEvent } from "./publish-progress.js";
import { parseRepoId } from "./pull-dataset.js";
import { scanDatasetDir, type ScannedDatasetDir } from "./scan-dataset-dir.js";
import { verifyPublished } from "./verify-published.js";
import { isHubApiError } from "./hub-library.js";

export type { PublishProgressEvent } from "./publish-progress.js";

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
  return isHubApiError(error) && (error.statusCode === 409 || error.statusCode === 412);
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
  const maxFiles = options.maxFilesPerCommit ?? 50;
  if (!Number.isInteger(maxFiles) || maxFiles < 1) throw new ToolkitError("maxFilesPerCommit must be a positive integer", { exitCode: 2 });
  if (!/^[\w.\-/]+$/.test(branch) || branch.includes("..")) throw new ToolkitError(`invalid branch name ${JSON.stringify(branch)}`, { exitCode: 2 });
  const env = options.env ?? process.env;
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
  const session = createHubRepoSession({ repo, endpoint: config.endpoint, token, fetch: hubFetch.fetch });

  // 2. The repo (and branch) must exist.
  const { exists, created, planBranch } = await prepareHubRepo(session, { branch, dryRun, private: options.private === true, warn });

  // 3. Plan against the current head; commit; on a 409/412 re-read the head and plan again.
  const landed: CommittedParts = { commits: [], pullRequestUrl: undefined };
  const { headBefore, plan, conflicts } = await planAndCommit(session, {
    scanned,
    localCard,
    maxFiles,
    readsHead: exists || !dryRun,
    dryRun,
    planBranch,
    options,
    emit,
    sleep,
    onPlanned: (lfsBytes) => {
      plannedTotal = lfsBytes;
    },
    landed,
  });

  // 4. Verify: the tree at our last commit holds every local file with the same hash.
  const last = landed.commits.at(-1);
  if (last) await verifyPublished(session, last, plan);
  return {
    repo,
    repoUrl: `${config.endpoint}/datasets/${repo}`,
    branch,
    dryRun,
    created,
    headBefore,
    head: last?.oid ?? headBefore,
    plan: plan.map(({ action, path, bytes, lfs }) => ({ action, path, bytes, lfs })),
    upToDate: !plan.some((e) => e.action !== "unchanged"),
    commits: landed.commits,
    commitUrl: last?.url,
    pullRequestUrl: landed.pullRequestUrl,
    plannedBytes: plan.reduce((a, e) => a + e.bytes, 0),
    uploadedBytes: hubFetch.uploadedBytes(),
    retries: hubFetch.retryCount(),
    conflicts,
    warnings,
  };
}

/**
 * Plans against the branch head and commits the plan; a 409/412 (someone committed meanwhile) re-reads
 * the head, re-merges the card and plans again, up to `maxConflictRetries` times. Any other failure is a
 * HubError saying how many part commits landed. Returns the plan that was committed (or, in a dry run,
 * would be).
 */
async function planAndCommit(
  session: HubRepoSession,
  {
    scanned,
    localCard,
    maxFiles,
    readsHead,
    dryRun,
    planBranch,
    options,
    emit,
    sleep,
    onPlanned,
    landed,
  }: {
    scanned: ScannedDatasetDir;
    localCard: string;
    maxFiles: number;
    /** False for a dry run against a repo that does not exist yet. */
    readsHead: boolean;
    dryRun: boolean;
    planBranch: string;
    options: PublishDatasetOptions;
    emit: (event: PublishProgressEvent) => void;
    sleep: (ms: number) => Promise<void>;
    /** Called with the LFS bytes of each plan made. */
    onPlanned: (lfsBytes: number) => void;
    landed: CommittedParts;
  },
): Promise<{ headBefore: string | undefined; plan: PlanEntry[]; conflicts: number }> {
  const maxConflicts = options.maxConflictRetries ?? 5;
  let conflicts = 0;
  let headBefore: string | undefined;
  for (;;) {
    const head = readsHead ? await readHead(session, planBranch) : undefined;
    if (headBefore === undefined) headBefore = head;
    const { remote, remoteCard } = await readRemoteTree(session, head);
    const { plan, chunks, sendBytes, lfsBytes } = planPublish({ repo: session.repo, scanned, localCard, remote, remoteCard, maxFiles });
    onPlanned(lfsBytes);
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
    if (dryRun || chunks.length === 0) return { headBefore, plan, conflicts };

    try {
      await commitPlan(session, {
        chunks,
        head,
        branch: planBranch,
        pr: options.pr === true,
        commitMessage: options.commitMessage,
        useXet: options.useXet,
        emit,
        landed,
      });
      return { headBefore, plan, conflicts };
    } catch (error) {
      if (isConflict(error) && conflicts < maxConflicts) {
        conflicts += 1;
        const delayMs = Math.round(Math.min(30_000, 500 * 2 ** (conflicts - 1)) * (0.5 + Math.random()));
        emit({ type: "conflict", attempt: conflicts, delayMs, status: error.statusCode });
        await sleep(delayMs);
        continue; // re-read the head, re-merge the card, re-plan (committed parts show as unchanged)
      }
      const done = landed.commits.length;
      const where = done === 0 ? "nothing was committed" : `${done} of ${chunks.length} part commits landed (each complete; the card is committed last)`;
      const base = toHubError(error, `publishing ${scanned.dir} to ${session.repo}`, session.token);
      throw new HubError(`${base.message}; ${where}. Re-run the same command to finish: files the Hub already stores are not uploaded again.`, {
        cause: error,
        status: base.status,
      });
    }
  }
}
