/**
 * publishDataset under faults the test Hub injects: retryable ones complete, others fail with a clear
 * message and a re-run completes; the repo never holds a half-applied commit.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uploadFiles } from "@huggingface/hub";
import { publishDataset, type PublishProgressEvent } from "../src/hub/publish-dataset.js";
import { buildDatasetDir } from "./helpers/hub-dataset.js";
import { startHubServer, type TestHubServer } from "./helpers/hub-server.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";
import { loopbackOnlyFetch as loopback } from "./helpers/loopback-fetch.js";

const TOKEN = "hf_faults_test_token_42";
const tmp = makeTmpDir("lw-hub-faults-");
const dir = join(tmp, "ds");
let hub: TestHubServer;
let repoCounter = 0;

beforeAll(async () => {
  // Small multipart threshold so the train shard (~120 KB) goes up in 32 KiB parts.
  hub = await startHubServer({ tokens: [TOKEN], multipartThreshold: 64 * 1024, chunkSize: 32 * 1024 });
  await buildDatasetDir({ dir, splits: { train: { rows: 3, rowBytes: 40_000 }, test: { rows: 2, rowBytes: 2000 } } });
});
afterAll(() => hub.close());

function freshRepo(): string {
  repoCounter += 1;
  return `tester/faults-${repoCounter}`;
}

function run(repo: string, extra: Partial<Parameters<typeof publishDataset>[0]> = {}) {
  const events: PublishProgressEvent[] = [];
  const promise = publishDataset({
    dir,
    repo,
    endpoint: hub.url,
    token: TOKEN,
    fetch: loopback,
    env: {},
    retryBaseDelayMs: 5,
    sleep: async () => undefined,
    onProgress: (e) => events.push(e),
    ...extra,
  });
  return { promise, events };
}

function remotePaths(repo: string): string[] {
  return [...hub.files(repo).keys()].sort();
}

const FULL = [".gitattributes", "README.md", "data/test-00000-of-00001.parquet", "data/train-00000-of-00001.parquet", "length-histogram.svg", "manifest.json"];

describe("publish under faults", () => {
  it("429 with Retry-After (capped) on preupload and commit: completes", async () => {
    const repo = freshRepo();
    hub.addFault({ method: "POST", path: /\/preupload\//, times: 2, action: { type: "status", status: 429, headers: { "Retry-After": "30" } } });
    hub.addFault({ method: "POST", path: /\/commit\//, action: { type: "status", status: 429, headers: { "Retry-After": "1" } } });
    const { promise, events } = run(repo, { maxRetryDelayMs: 20 });
    const result = await promise;
    expect(result.commits).toHaveLength(1);
    expect(result.retries).toBe(3);
    const waits = events.flatMap((e) => (e.type === "retry" ? [e.retry.delayMs] : []));
    expect(waits).toEqual([20, 20, 20]); // Retry-After honoured up to the cap
    expect(remotePaths(repo)).toEqual(FULL);
  });

  it("500 on an LFS upload, dropped connections mid-part and mid-commit: completes", async () => {
    const repo = freshRepo();
    hub.addFault({ method: "PUT", path: /^\/__lfs\/[0-9a-f]{64}\?/, action: { type: "status", status: 500 } });
    hub.addFault({ method: "PUT", path: /\/part\/2\?/, action: { type: "drop" } });
    hub.addFault({ method: "POST", path: /\/commit\//, action: { type: "drop" } });
    const result = await run(repo).promise;
    expect(result.retries).toBe(3);
    expect(result.commits).toHaveLength(1);
    expect(remotePaths(repo)).toEqual(FULL);
    const train = await hub.read(repo, "data/train-00000-of-00001.parquet");
    const { readFile } = await import("node:fs/promises");
    expect(train.equals(await readFile(join(dir, "data/train-00000-of-00001.parquet")))).toBe(true);
  });

  it("412 on the commit: re-reads the head, re-plans, completes", async () => {
    const repo = freshRepo();
    hub.addFault({
      method: "POST",
      path: /\/commit\//,
      action: { type: "status", status: 412, body: { error: "A commit has happened since. Please refresh and try again." } },
    });
    const { promise, events } = run(repo);
    const result = await promise;
    expect(result.conflicts).toBe(1);
    expect(events.some((e) => e.type === "conflict")).toBe(true);
    expect(remotePaths(repo)).toEqual(FULL);
  });

  it("a real concurrent commit (stale parentCommit): re-plans and keeps the other commit's file", async () => {
    const repo = freshRepo();
    await run(repo, { dryRun: false, maxFilesPerCommit: 50 }).promise; // create + first publish
    const { cp, writeFile } = await import("node:fs/promises");
    const dir2 = join(tmp, "ds2");
    await cp(dir, dir2, { recursive: true });
    await writeFile(join(dir2, "length-histogram.svg"), "<svg xmlns='http://www.w3.org/2000/svg'><g/></svg>\n");
    // Hold our preupload (we have read the head by then) until someone else has committed.
    let release: () => void = () => undefined;
    const theirsDone = new Promise<void>((resolve) => (release = resolve));
    const seen = hub.requests.filter((r) => r.path.includes("/preupload/")).length;
    hub.addFault({ method: "POST", path: /\/preupload\//, action: { type: "hold", until: theirsDone } });
    const ours = run(repo, { dir: dir2 }).promise;
    while (hub.requests.filter((r) => r.path.includes("/preupload/")).length === seen) await new Promise((r) => setTimeout(r, 5));
    await uploadFiles({
      repo: { type: "dataset", name: repo },
      hubUrl: hub.url,
      accessToken: TOKEN,
      fetch: loopback,
      files: [{ path: "notes.md", content: new Blob(["theirs"]) }],
    });
    release();
    const result = await ours;
    expect(result.conflicts).toBeGreaterThanOrEqual(1);
    expect(remotePaths(repo)).toContain("notes.md");
    expect((await hub.read(repo, "length-histogram.svg")).toString()).toContain("<g/>");
  });

  it("a commit that keeps failing: clear error, repo unchanged; the re-run completes without re-uploading", async () => {
    const repo = freshRepo();
    const fault = hub.addFault({ method: "POST", path: /\/commit\//, times: 100, action: { type: "status", status: 503 } });
    const first = run(repo, { retries: 2 });
    const error = await first.promise.then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/HTTP 503.*nothing was committed.*Re-run the same command/);
    expect(error?.message).not.toContain(TOKEN);
    expect(remotePaths(repo)).toEqual([".gitattributes"]); // no half-written commit
    fault.times = 0;
    const uploadedBefore = hub.uploadedBytes();
    const second = await run(repo).promise;
    expect(second.commits).toHaveLength(1);
    expect(hub.uploadedBytes()).toBe(uploadedBefore); // LFS objects from the failed run are reused
    expect(second.uploadedBytes).toBe(0);
    expect(remotePaths(repo)).toEqual(FULL);
  });

  it("splits into ≤ N LFS files per commit, small files after, the card last; a failure midway names what landed, and a re-run finishes", async () => {
    const repo = freshRepo();
    // Fail the second commit (once every retry is used up).
    let commitsSeen = 0;
    const failingSecond = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      if (/\/commit\//.test(url) && ++commitsSeen === 2)
        return Promise.resolve(new Response(JSON.stringify({ error: "boom" }), { status: 500, headers: { "Content-Type": "application/json" } }));
      return loopback(input, init);
    }) as typeof fetch;
    const error = await run(repo, { maxFilesPerCommit: 1, fetch: failingSecond, retries: 0 }).promise.then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/1 of 3 part commits landed.*Re-run/);
    expect(remotePaths(repo)).not.toContain("README.md"); // the card comes last
    const result = await run(repo, { maxFilesPerCommit: 1 }).promise;
    expect(result.commits.map((c) => c.oid)).toHaveLength(1); // what is left fits one commit
    expect(remotePaths(repo)).toEqual(FULL);
    const again = await run(repo, { maxFilesPerCommit: 1 }).promise;
    expect(again.upToDate).toBe(true);
  });

  it("fails loudly when the tree after the commit does not match the dir", async () => {
    const repo = freshRepo();
    let committed = false;
    const lying = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      const response = await loopback(input, init);
      if (/\/commit\//.test(url) && response.ok) committed = true;
      if (committed && /\/tree\//.test(url)) {
        const entries = (await response.json()) as Array<{ path: string }>;
        return new Response(JSON.stringify(entries.filter((e) => e.path !== "manifest.json")), {
          status: 200,
          headers: { "Content-Type": "application/json" },
        });
      }
      return response;
    }) as typeof fetch;
    await expect(run(repo, { fetch: lying }).promise).rejects.toThrow(/does not match the dir: manifest\.json differs or is missing/);
  });
});
