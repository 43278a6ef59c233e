/**
 * @module hub/verify-published — after the last part commit: the tree at that commit holds every
 * planned file with the same hash and none of the deleted ones, else a HubError naming each difference.
 */
import { HubError } from "./hub-error.js";
import { listRemoteFiles, type HubRepoSession } from "./hub-repo-session.js";
import { sameContent, type PlanEntry, type RemoteFile } from "./plan-commit.js";

export async function verifyPublished(session: HubRepoSession, last: { oid: string; url: string }, plan: readonly PlanEntry[]): Promise<void> {
  let remote = new Map<string, RemoteFile>();
  try {
    remote = new Map((await listRemoteFiles(session, last.oid)).map((file) => [file.path, file]));
  } catch (error) {
    session.fail(error, `verifying ${session.repo}@${last.oid}`);
  }
  const wrong = plan.filter((e) => e.source && !(remote.has(e.path) && sameContent(e.source, remote.get(e.path)!))).map((e) => e.path);
  const stale = plan.filter((e) => e.action === "delete" && remote.has(e.path)).map((e) => e.path);
  if (wrong.length || stale.length) {
    throw new HubError(
      `published ${last.url}, but the repo does not match the dir: ${[...wrong.map((p) => `${p} differs or is missing`), ...stale.map((p) => `${p} was not deleted`)].join("; ")}`,
    );
  }
}
