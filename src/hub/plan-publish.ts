/**
 * @module hub/plan-publish — what one publish attempt would change: the tree and card at the head, the
 * local card merged over the remote one (its metadata kept), and the plan of adds, updates and deletes
 * cut into part commits (the card last).
 */
import { gitBlobSha1 } from "./hash-file.js";
import { HubError } from "./hub-error.js";
import { listRemoteFiles, type HubRepoSession } from "./hub-repo-session.js";
import { mergeDatasetCard } from "./merge-dataset-card.js";
import { chunkPlan, planCommit, type PlanEntry, type PlannedSource, type RemoteFile } from "./plan-commit.js";
import type { ScannedDatasetDir } from "./scan-dataset-dir.js";
import { sha256Hex } from "../util/sha256.js";
import { hubLibrary } from "./hub-library.js";

/** The files at `head` and its README.md text (nothing for a repo without commits). */
export async function readRemoteTree(session: HubRepoSession, head: string | undefined): Promise<{ remote: RemoteFile[]; remoteCard: string | undefined }> {
  if (!head) return { remote: [], remoteCard: undefined };
  try {
    const remote = await listRemoteFiles(session, head);
    let remoteCard: string | undefined;
    if (remote.some((r) => r.path === "README.md")) {
      const blob = await (await hubLibrary()).downloadFile({ repo: session.designation, path: "README.md", revision: head, xet: false, ...session.common });
      remoteCard = blob ? await blob.text() : undefined;
    }
    return { remote, remoteCard };
  } catch (error) {
    return session.fail(error, `reading the files of ${session.repo}@${head}`);
  }
}

export interface PublishPlan {
  plan: PlanEntry[];
  /** The changes as part commits. */
  chunks: PlanEntry[][];
  /** Bytes the plan sends (adds + updates). */
  sendBytes: number;
  /** Of those, what goes through LFS uploads (a guess: the Hub decides what is LFS). */
  lfsBytes: number;
}

export function planPublish({
  repo,
  scanned,
  localCard,
  remote,
  remoteCard,
  maxFiles,
}: {
  repo: string;
  scanned: ScannedDatasetDir;
  /** The dir's README.md with the repo id filled in. */
  localCard: string;
  remote: RemoteFile[];
  remoteCard: string | undefined;
  maxFiles: number;
}): PublishPlan {
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
  return {
    plan,
    chunks: chunkPlan(plan, maxFiles),
    sendBytes: plan.reduce((a, e) => a + e.bytes, 0),
    lfsBytes: plan.reduce((a, e) => a + (e.lfs ? e.bytes : 0), 0),
  };
}
