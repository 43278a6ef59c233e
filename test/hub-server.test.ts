/** The test Hub server, exercised through @huggingface/hub itself (not through our publisher). */
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  HubApiError,
  commit,
  createBranch,
  createRepo,
  datasetInfo,
  downloadFile,
  listCommits,
  listFiles,
  repoExists,
  uploadFiles,
  whoAmI,
} from "@huggingface/hub";
import { gitBlobSha1, startHubServer, type TestHubServer } from "./helpers/hub-server.js";
import { loopbackOnlyFetch } from "./helpers/loopback-fetch.js";

const TOKEN = "hf_server_test_token";
let hub: TestHubServer;
let loopbackFetch: typeof fetch;

function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

beforeAll(async () => {
  // lfsThreshold: big.bin (1 MiB of random bytes) must be LFS whether or not its first 512 bytes hold a NUL.
  hub = await startHubServer({ tokens: [TOKEN], lfsThreshold: 1 << 19, multipartThreshold: 1 << 20, chunkSize: 300 * 1024, treePageSize: 3 });
  // Guard: nothing may leave the machine.
  loopbackFetch = loopbackOnlyFetch;
});
afterAll(() => hub.close());

const common = () => ({ hubUrl: hub.url, accessToken: TOKEN, fetch: loopbackFetch });
const repo = { type: "dataset" as const, name: "tester/server-test" };

describe("test hub server", () => {
  it("answers whoami, createRepo (409 when it exists) and repoExists", async () => {
    const me = await whoAmI(common());
    expect(me.name).toBe("tester");
    expect(await repoExists({ repo, hubUrl: hub.url, fetch: loopbackFetch })).toBe(false);
    const created = await createRepo({ repo, ...common() });
    expect(created.repoUrl).toBe(`${hub.url}/datasets/tester/server-test`);
    await expect(createRepo({ repo, ...common() })).rejects.toMatchObject({ statusCode: 409 });
    expect(await repoExists({ repo, hubUrl: hub.url, fetch: loopbackFetch })).toBe(true);
  });

  it("rejects a wrong token with 401", async () => {
    await expect(whoAmI({ ...common(), accessToken: "hf_wrong" })).rejects.toMatchObject({ statusCode: 401 });
    await expect(uploadFiles({ repo, ...common(), accessToken: "hf_wrong", files: [{ path: "x.txt", content: new Blob(["x"]) }] })).rejects.toBeInstanceOf(
      HubApiError,
    );
  });

  it("stores regular, basic-LFS and multipart-LFS files that read back byte-identical", async () => {
    const small = new TextEncoder().encode("hello hub\n");
    const parquet = randomBytes(5000);
    const big = randomBytes((1 << 20) + 12345); // 4 parts of 300 KiB
    const before = hub.uploadedBytes();
    const out = await uploadFiles({
      repo,
      ...common(),
      useXet: true, // the server never answers "xet", so the legacy path must be taken anyway
      files: [
        { path: "notes.txt", content: new Blob([small]) },
        { path: "data/train-00000-of-00001.parquet", content: new Blob([parquet]) },
        { path: "data/big.bin", content: new Blob([big]) },
      ],
    });
    expect(out!.commit.oid).toMatch(/^[0-9a-f]{40}$/);
    expect(hub.uploadedBytes() - before).toBe(parquet.length + big.length);
    expect(hub.requests.some((r) => /\/part\/4\?/.test(r.path))).toBe(true);

    const entries = [];
    for await (const entry of listFiles({ repo, recursive: true, ...common() })) entries.push(entry);
    const byPath = new Map(entries.map((e) => [e.path, e]));
    expect([...byPath.keys()]).toEqual([".gitattributes", "data", "data/big.bin", "data/train-00000-of-00001.parquet", "notes.txt"]); // paginated by 3
    expect(byPath.get("notes.txt")).toMatchObject({ type: "file", size: small.length, oid: gitBlobSha1(small) });
    expect(byPath.get("notes.txt")!.lfs).toBeUndefined();
    expect(byPath.get("data/big.bin")!.lfs).toMatchObject({ oid: sha256(big), size: big.length });
    expect(byPath.get("data")!.type).toBe("directory");

    for (const [path, bytes] of [
      ["notes.txt", small],
      ["data/train-00000-of-00001.parquet", parquet],
      ["data/big.bin", big],
    ] as const) {
      const blob = await downloadFile({ repo, path, ...common(), xet: false });
      expect(Buffer.from(await blob!.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
      const slice = await blob!.slice(2, 7).arrayBuffer();
      expect(Buffer.from(slice).equals(Buffer.from(bytes.subarray(2, 7)))).toBe(true);
    }
    expect(await downloadFile({ repo, path: "missing.txt", ...common() })).toBeNull();

    // Uploading the same LFS content again transfers nothing (batch answers without actions).
    const mark = hub.uploadedBytes();
    await uploadFiles({ repo, ...common(), files: [{ path: "copy.bin", content: new Blob([big]) }] });
    expect(hub.uploadedBytes()).toBe(mark);
  });

  it("checks parentCommit (412), applies deletions, lists commits and resolves old revisions", async () => {
    const info = await datasetInfo({ name: repo.name, additionalFields: ["sha"], ...common() });
    const head = info.sha as string;
    await expect(
      commit({ repo, ...common(), title: "stale", parentCommit: "0".repeat(40), operations: [{ operation: "delete", path: "notes.txt" }] }),
    ).rejects.toMatchObject({ statusCode: 412 });
    await expect(commit({ repo, ...common(), title: "missing", operations: [{ operation: "delete", path: "nope.txt" }] })).rejects.toMatchObject({
      statusCode: 404,
    });
    expect(hub.head("tester/server-test")).toBe(head); // failed commits change nothing
    await commit({ repo, ...common(), title: "delete notes", parentCommit: head, operations: [{ operation: "delete", path: "notes.txt" }] });
    expect(hub.files("tester/server-test").has("notes.txt")).toBe(false);
    const old = await downloadFile({ repo, path: "notes.txt", revision: head, ...common() });
    expect(await old!.text()).toBe("hello hub\n");
    const commits = [];
    for await (const c of listCommits({ repo, ...common() })) commits.push(c);
    expect(commits[0]!.title).toBe("delete notes");
  });

  it("supports branches and pull requests", async () => {
    await createBranch({ repo, branch: "dev", ...common() });
    await uploadFiles({ repo, ...common(), branch: "dev", files: [{ path: "dev.txt", content: new Blob(["dev"]) }] });
    expect(hub.files("tester/server-test", "dev").has("dev.txt")).toBe(true);
    expect(hub.files("tester/server-test").has("dev.txt")).toBe(false);
    const pr = await uploadFiles({ repo, ...common(), isPullRequest: true, files: [{ path: "pr.txt", content: new Blob(["pr"]) }] });
    expect(pr!.pullRequestUrl).toMatch(/discussions\/1$/);
    expect(hub.files("tester/server-test", "refs/pr/1").has("pr.txt")).toBe(true);
  });

  it("serves resolve/raw like the Hub: Range, HEAD, LFS pointers on raw, 416, X-Repo-Commit", async () => {
    const base = `${hub.url}/datasets/${repo.name}`;
    const head = hub.head(repo.name);
    const range = await loopbackFetch(`${base}/resolve/main/data/big.bin`, { headers: { Range: "bytes=0-0" } });
    expect(range.status).toBe(206);
    expect(range.headers.get("content-range")).toMatch(/^bytes 0-0\/\d+$/);
    expect(range.headers.get("x-repo-commit")).toBe(head);
    expect(range.headers.get("x-linked-etag")).toMatch(/^"[0-9a-f]{64}"$/);
    const suffix = await loopbackFetch(`${base}/resolve/main/data/big.bin`, { headers: { Range: "bytes=-3" } });
    expect((await suffix.arrayBuffer()).byteLength).toBe(3);
    const headReq = await loopbackFetch(`${base}/resolve/main/data/big.bin`, { method: "HEAD" });
    expect(headReq.status).toBe(200);
    expect(Number(headReq.headers.get("content-length"))).toBeGreaterThan(1 << 20);
    const raw = await (await loopbackFetch(`${base}/raw/main/data/big.bin`)).text();
    expect(raw).toMatch(/^version https:\/\/git-lfs\.github\.com\/spec\/v1\noid sha256:[0-9a-f]{64}\nsize \d+\n$/);
    const outOfRange = await loopbackFetch(`${base}/resolve/main/data/big.bin`, { headers: { Range: "bytes=999999999-" } });
    expect(outOfRange.status).toBe(416);
    const missing = await loopbackFetch(`${base}/resolve/main/nope.txt`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("x-error-code")).toBe("EntryNotFound");
    const badRev = await loopbackFetch(`${hub.url}/api/datasets/${repo.name}/revision/nope`);
    expect(badRev.headers.get("x-error-code")).toBe("RevisionNotFound");
  });

  it("injects faults: status with Retry-After, dropped connections", async () => {
    hub.addFault({ method: "POST", path: /\/commit\//, action: { type: "status", status: 429, headers: { "Retry-After": "1" } } });
    await expect(uploadFiles({ repo, ...common(), files: [{ path: "a.txt", content: new Blob(["a"]) }] })).rejects.toMatchObject({ statusCode: 429 });
    hub.addFault({ method: "PUT", path: /^\/__lfs\//, action: { type: "drop" } });
    await expect(uploadFiles({ repo, ...common(), files: [{ path: "b.parquet", content: new Blob([randomBytes(2000)]) }] })).rejects.toThrow();
    // The faults were used up: the same calls now succeed.
    await uploadFiles({ repo, ...common(), files: [{ path: "a.txt", content: new Blob(["a"]) }] });
    expect(hub.files("tester/server-test").has("a.txt")).toBe(true);
  });
});
