/**
 * @module hub/commit-plan — sends a publish plan's part commits one after another, each on top of the
 * previous one (so a commit made meanwhile by someone else is a 409/412 conflict, not lost work). With a
 * pull request, the first part opens it and the later parts go onto its ref.
 */
import { pathToFileURL } from "node:url";
import type { CommitOperation, CommitOutput } from "@huggingface/hub";
import { HubError } from "./hub-error.js";
import type { HubRepoSession } from "./hub-repo-session.js";
import type { PlanEntry } from "./plan-commit.js";
import type { PublishProgressEvent } from "./publish-progress.js";
import { hubLibrary } from "./hub-library.js";

/** What has landed so far; kept across attempts (a conflict re-plans, landed parts show as unchanged). */
export interface CommittedParts {
  commits: Array<{ oid: string; url: string }>;
  pullRequestUrl: string | undefined;
}

export async function commitPlan(
  session: HubRepoSession,
  {
    chunks,
    head,
    branch,
    pr,
    commitMessage = "Publish dataset with longwriter-toolkit",
    useXet,
    emit,
    landed,
  }: {
    chunks: PlanEntry[][];
    /** The commit the plan was made against (undefined for an empty repo). */
    head: string | undefined;
    branch: string;
    pr: boolean;
    commitMessage: string | undefined;
    useXet: boolean | undefined;
    emit: (event: PublishProgressEvent) => void;
    /** Each landed part is added here as soon as it lands. */
    landed: CommittedParts;
  },
): Promise<void> {
  let parent = head;
  let targetBranch = branch;
  let isPullRequest = pr;
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
    const iterator = (await hubLibrary()).commitIter({
      repo: session.designation,
      title: chunks.length > 1 ? `${commitMessage} (part ${index + 1}-of-${chunks.length})` : commitMessage,
      description: describeChunk(chunk),
      operations,
      branch: targetBranch,
      ...(parent ? { parentCommit: parent } : {}),
      isPullRequest,
      ...(useXet !== undefined ? { useXet } : {}),
      ...session.common,
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
    landed.commits.push({ oid: output.commit.oid, url: output.commit.url });
    emit({ type: "committed", oid: output.commit.oid, url: output.commit.url, commit: index + 1, commits: chunks.length });
    parent = output.commit.oid;
    if (isPullRequest && output.pullRequestUrl) {
      landed.pullRequestUrl = output.pullRequestUrl;
      const number = /\/discussions\/(\d+)/.exec(output.pullRequestUrl)?.[1];
      if (number) {
        targetBranch = `refs/pr/${number}`;
        isPullRequest = false;
      }
    }
  }
}

function describeChunk(chunk: PlanEntry[]): string {
  const count = (action: PlanEntry["action"]) => chunk.filter((e) => e.action === action).length;
  return `add ${count("add")}, update ${count("update")}, delete ${count("delete")} file(s).`;
}
