/**
 * @module hub/hub-repo-session — one dataset repo on one Hub, as the steps of a publish use it: the
 * `@huggingface/hub` call settings (endpoint, retrying fetch, token), the repo designation, a failure
 * turned into a HubError with the token redacted, and the reads every step needs (head, file listing).
 */
import { toHubError } from "./hub-error.js";
import type { RemoteFile } from "./plan-commit.js";
import { hubLibrary, isHubApiError } from "./hub-library.js";

export interface HubRepoSession {
  /** `namespace/name`. */
  repo: string;
  designation: { type: "dataset"; name: string };
  endpoint: string;
  token: string | undefined;
  /** Settings every `@huggingface/hub` call takes. */
  common: { hubUrl: string; fetch: typeof fetch; accessToken?: string };
  /** Throws `error` as a HubError saying what was being done (the token never appears). */
  fail(error: unknown, what: string): never;
}

export function createHubRepoSession({
  repo,
  endpoint,
  token,
  fetch,
}: {
  repo: string;
  endpoint: string;
  token: string | undefined;
  fetch: typeof globalThis.fetch;
}): HubRepoSession {
  return {
    repo,
    designation: { type: "dataset", name: repo },
    endpoint,
    token,
    common: { hubUrl: endpoint, fetch, ...(token ? { accessToken: token } : {}) },
    fail(error, what) {
      throw toHubError(error, what, token);
    },
  };
}

/** The commit `rev` (a branch) points at, or undefined when the branch does not exist. */
export async function readHead(session: HubRepoSession, rev: string): Promise<string | undefined> {
  try {
    const info = await (await hubLibrary()).datasetInfo({ name: session.repo, revision: rev, additionalFields: ["sha"], ...session.common });
    return String((info as { sha?: unknown }).sha);
  } catch (error) {
    if (isHubApiError(error) && error.statusCode === 404) return undefined;
    return session.fail(error, `reading the head of ${session.repo}@${rev}`);
  }
}

/** Every file in the tree at `revision`, with the hashes a plan compares. */
export async function listRemoteFiles(session: HubRepoSession, revision: string): Promise<RemoteFile[]> {
  const remote: RemoteFile[] = [];
  for await (const entry of (await hubLibrary()).listFiles({ repo: session.designation, revision, recursive: true, ...session.common })) {
    if (entry.type !== "file") continue;
    remote.push({ path: entry.path, size: entry.size, oid: entry.oid ?? "", ...(entry.lfs ? { lfsOid: entry.lfs.oid } : {}) });
  }
  return remote;
}
