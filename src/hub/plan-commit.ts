/**
 * @module hub/plan-commit — what a publish must change in the repo: compares local files (sha256 and
 * git blob sha1) with the repo's tree listing (LFS oids, blob oids), so unchanged files are skipped,
 * and stale data shards (Parquet, JSON Lines, JSON) in our data dirs are deleted in the same commit.
 */
import { lfsPointerSha1 } from "./hash-file.js";
import { isDataFilePath } from "./scan-dataset-dir.js";

/** A remote file from the tree listing. */
export interface RemoteFile {
  path: string;
  size: number;
  /** git blob oid (sha1); for LFS files, of the pointer. */
  oid: string;
  /** sha256 for LFS files. */
  lfsOid?: string;
}

/** A local file to publish (content from disk or, for the merged card, from memory). */
export interface PlannedSource {
  path: string;
  size: number;
  sha256: string;
  gitSha1: string;
  localPath?: string;
  content?: Uint8Array;
}

export type PlanAction = "add" | "update" | "delete" | "unchanged";

export interface PlanEntry {
  action: PlanAction;
  path: string;
  /** Bytes to send (0 for delete/unchanged). */
  bytes: number;
  /** Whether the file goes through LFS (predicted: the Hub decides in preupload). */
  lfs: boolean;
  source?: PlannedSource;
}

/** Predicts the Hub's LFS decision: Parquet and other binary files, or ≥ 10 MB. */
export function predictLfs(path: string, size: number, sample?: Uint8Array): boolean {
  if (size === 0) return false;
  if (/\.(parquet|arrow|bin|zst|gz|zip|png|jpg|jpeg|wav|mp3|npy)$/i.test(path)) return true;
  if (size >= 10 * 1000 * 1000) return true;
  return sample?.subarray(0, 512).includes(0) === true;
}

/** Whether a remote file holds exactly the local content (sha256 for LFS, git blob sha1 otherwise). */
export function sameContent(local: PlannedSource, remote: RemoteFile): boolean {
  if (remote.lfsOid) return remote.lfsOid === local.sha256 && remote.size === local.size;
  return remote.oid === local.gitSha1 || remote.oid === lfsPointerSha1(local.sha256, local.size);
}

/**
 * Plans the commit. `replaceDirs` are the dirs whose data files we own (`data`): remote data files there
 * (`.parquet`, and `.jsonl` / `.json` under `data/`, see `isDataFilePath`) that are not local are deleted,
 * so a dir republished with fewer shards or in another format leaves no stale split behind. Entries come out adds/updates first, then deletes,
 * then unchanged, each sorted by path.
 */
export function planCommit(options: { local: PlannedSource[]; remote: RemoteFile[]; replaceDirs: string[] }): PlanEntry[] {
  const remote = new Map(options.remote.map((r) => [r.path, r]));
  const localPaths = new Set(options.local.map((l) => l.path));
  const entries: PlanEntry[] = [];
  for (const source of options.local) {
    const existing = remote.get(source.path);
    const lfs = existing?.lfsOid !== undefined || predictLfs(source.path, source.size, source.content);
    if (!existing) entries.push({ action: "add", path: source.path, bytes: source.size, lfs, source });
    else if (!sameContent(source, existing)) entries.push({ action: "update", path: source.path, bytes: source.size, lfs, source });
    else entries.push({ action: "unchanged", path: source.path, bytes: 0, lfs, source });
  }
  for (const file of options.remote) {
    if (localPaths.has(file.path) || !isDataFilePath(file.path)) continue;
    const dir = file.path.includes("/") ? file.path.slice(0, file.path.lastIndexOf("/")) : "";
    if (options.replaceDirs.includes(dir)) entries.push({ action: "delete", path: file.path, bytes: 0, lfs: file.lfsOid !== undefined });
  }
  const rank: Record<PlanAction, number> = { add: 0, update: 0, delete: 1, unchanged: 2 };
  return entries.sort((a, b) => rank[a.action] - rank[b.action] || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** How big one commit may get. */
export interface CommitLimits {
  /** Files uploaded through LFS (data shards) per commit. @default 50 */
  maxFiles: number;
  /**
   * Small files travel inline (base64) in the commit request itself, so they are packed by bytes:
   * at most this many bytes of content per commit. @default 16 MiB
   */
  maxInlineBytes?: number;
  /** At most this many inline files and deletions per commit. @default 1000 */
  maxInlineFiles?: number;
}

/** Inline content per commit by default: far below the request sizes the Hub answers with 413. */
export const DEFAULT_MAX_INLINE_BYTES = 16 * 1024 * 1024;
/** Inline operations per commit by default. */
export const DEFAULT_MAX_INLINE_FILES = 1000;

/**
 * Splits changes into commits: files that go through LFS at most `maxFiles` per commit, first; then
 * the small inline files and deletions packed by bytes (so 3,000 small files make a handful of
 * commits, not 60); the card always in the very last commit, so it never points at files that are
 * not there yet. A number stands for `{maxFiles}`.
 */
export function chunkPlan(entries: PlanEntry[], limits: number | CommitLimits): PlanEntry[][] {
  const {
    maxFiles,
    maxInlineBytes = DEFAULT_MAX_INLINE_BYTES,
    maxInlineFiles = DEFAULT_MAX_INLINE_FILES,
  } = typeof limits === "number" ? { maxFiles: limits } : limits;
  const changes = entries.filter((e) => e.action !== "unchanged");
  const card = changes.find((e) => e.path === "README.md" && e.action !== "delete");
  const uploaded = changes.filter((e) => e.action !== "delete" && e.lfs && e !== card);
  const inline = changes.filter((e) => (e.action === "delete" || !e.lfs) && e !== card);
  const inlineChunks: PlanEntry[][] = [];
  let current: PlanEntry[] = [];
  let currentBytes = 0;
  for (const entry of card ? [...inline, card] : inline) {
    const full = current.length >= maxInlineFiles || (current.length > 0 && currentBytes + entry.bytes > maxInlineBytes);
    if (full) {
      inlineChunks.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(entry);
    currentBytes += entry.bytes;
  }
  if (current.length) inlineChunks.push(current);
  // Small enough for one commit: keep it one, in plan order.
  if (uploaded.length <= maxFiles && inlineChunks.length <= 1) return changes.length ? [changes] : [];
  const chunks: PlanEntry[][] = [];
  for (let i = 0; i < uploaded.length; i += maxFiles) chunks.push(uploaded.slice(i, i + maxFiles));
  return [...chunks, ...inlineChunks];
}
