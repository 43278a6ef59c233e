/**
 * @module hub/prepare-hub-repo — the target of a publish exists before anything is planned: the repo is
 * created when missing (private on request; an existing repo keeps its visibility) and a branch other
 * than main is created from main. A dry run creates nothing and says what it would do.
 */
import { readHead, type HubRepoSession } from "./hub-repo-session.js";
import { hubLibrary, isHubApiError } from "./hub-library.js";

export interface PreparedHubRepo {
  /** The repo existed before this publish. */
  exists: boolean;
  /** The repo was created (or would be, in a dry run). */
  created: boolean;
  /** The branch to plan against (main when a dry run's branch does not exist yet). */
  planBranch: string;
}

export async function prepareHubRepo(
  session: HubRepoSession,
  { branch, dryRun, private: makePrivate, warn }: { branch: string; dryRun: boolean; private: boolean; warn: (message: string) => void },
): Promise<PreparedHubRepo> {
  const { repo } = session;
  let created = false;
  let exists: boolean;
  try {
    exists = await (await hubLibrary()).repoExists({ repo: session.designation, ...session.common });
  } catch (error) {
    return session.fail(error, `checking ${repo} on ${session.endpoint}`);
  }
  if (!exists) {
    if (dryRun) created = true;
    else {
      try {
        await (await hubLibrary()).createRepo({
          repo: session.designation,
          accessToken: session.token!,
          hubUrl: session.endpoint,
          fetch: session.common.fetch,
          visibility: makePrivate ? "private" : "public",
        });
        created = true;
      } catch (error) {
        if (!(isHubApiError(error) && error.statusCode === 409)) session.fail(error, `creating dataset repo ${repo}`);
      }
    }
  } else if (makePrivate) {
    warn(`${repo} already exists; --private does not change the visibility of an existing repo`);
  }

  let planBranch = branch;
  if (branch !== "main" && exists) {
    const branchHead = await readHead(session, branch);
    if (branchHead === undefined) {
      if (dryRun) {
        warn(`branch ${branch} does not exist yet; it would be created from main`);
        planBranch = "main";
      } else await createBranchFromMain(session, branch);
    }
  } else if (branch !== "main" && !dryRun) {
    await createBranchFromMain(session, branch);
  }
  return { exists, created, planBranch };
}

/** Creates `branch` from main; a branch created meanwhile (409) is fine. */
async function createBranchFromMain(session: HubRepoSession, branch: string): Promise<void> {
  try {
    await (await hubLibrary()).createBranch({ repo: session.designation, branch, revision: "main", ...session.common });
  } catch (error) {
    if (!(isHubApiError(error) && error.statusCode === 409)) session.fail(error, `creating branch ${branch} of ${session.repo}`);
  }
}
