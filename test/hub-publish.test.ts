/**
 * publishDataset end to end against the loopback Hub: 3 shards / 2 splits with a 30 MB (multipart)
 * shard read back byte-identical through @huggingface/hub, idempotent republish, a changed split,
 * stale-shard deletion, dry runs, and pull of what was published.
 */
import { cp, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downloadFile, listFiles } from "@huggingface/hub";
import { parse } from "yaml";
import { publishDataset } from "../src/hub/publish-dataset.js";
import { pullDataset } from "../src/hub/pull-dataset.js";
import { parseDatasetCard } from "../src/hub/merge-dataset-card.js";
import { buildDatasetDir } from "./helpers/hub-dataset.js";
import { startHubServer, type TestHubServer } from "./helpers/hub-server.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";
import { loopbackOnlyFetch as loopback } from "./helpers/loopback-fetch.js";

const TOKEN = "hf_publish_test_token_0123";
const REPO = "tester/longwriter-e2e";
const tmp = makeTmpDir("lw-hub-publish-");
let hub: TestHubServer;
const dirA = join(tmp, "a");
const dirB = join(tmp, "b"); // same train, different test split

beforeAll(async () => {
  hub = await startHubServer({ tokens: [TOKEN] }); // multipart ≥ 20 MiB in 8 MiB parts
  await buildDatasetDir({
    dir: dirA,
    splits: { train: { rows: 31, rowBytes: 1_000_000 }, test: { rows: 5, rowBytes: 2000 } },
    maxShardBytes: 30_000_000,
    rowGroupBytes: 10_001_000, // 10 rows of ~1,000,080 estimated bytes per group; 3 groups per shard
  });
  await cp(dirA, dirB, { recursive: true });
  // Rewrite only the test split of B (keeping A's train shards byte-identical).
  const dirTest = join(tmp, "b-test");
  const manifestB = await buildDatasetDir({ dir: dirTest, splits: { train: { rows: 1, rowBytes: 10 }, test: { rows: 7, rowBytes: 3000, seed: "changed" } } });
  await cp(join(dirTest, "data/test-00000-of-00001.parquet"), join(dirB, "data/test-00000-of-00001.parquet"));
  const manifest = JSON.parse(await readFile(join(dirB, "manifest.json"), "utf8"));
  const testEntry = manifestB.files.find((f) => f.split === "test")!;
  manifest.files = manifest.files.map((f: { split: string }) => (f.split === "test" ? testEntry : f));
  manifest.splits.test = manifestB.splits.test;
  await writeFile(join(dirB, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}, 120_000);
afterAll(() => hub.close());

const opts = (dir: string) => ({ dir, repo: REPO, endpoint: hub.url, token: TOKEN, fetch: loopback, env: {}, retryBaseDelayMs: 10 });

async function remoteFiles(revision = "main") {
  const out = new Map<string, { size: number; lfs?: string }>();
  for await (const e of listFiles({ repo: { type: "dataset", name: REPO }, revision, recursive: true, hubUrl: hub.url, accessToken: TOKEN, fetch: loopback })) {
    if (e.type === "file") out.set(e.path, { size: e.size, ...(e.lfs ? { lfs: e.lfs.oid } : {}) });
  }
  return out;
}

describe("publishDataset", () => {
  it("dry run plans without touching the Hub", async () => {
    const before = hub.requests.length;
    const result = await publishDataset({ ...opts(dirA), dryRun: true });
    expect(result.created).toBe(true);
    expect(result.commits).toEqual([]);
    expect(result.plan.filter((e) => e.action === "add").map((e) => e.path)).toEqual([
      "README.md",
      "data/test-00000-of-00001.parquet",
      "data/train-00000-of-00002.parquet",
      "data/train-00001-of-00002.parquet",
      "length-histogram.svg",
      "manifest.json",
    ]);
    // The shard's own size on disk (incl. a page index for every column chunk), big enough to go multipart.
    const shardBytes = (await stat(join(dirA, "data/train-00000-of-00002.parquet"))).size;
    expect(shardBytes).toBeGreaterThan(30_000_000);
    expect(result.plan.find((e) => e.path.startsWith("data/train-00000"))).toMatchObject({ lfs: true, bytes: shardBytes });
    expect(result.plan.find((e) => e.path === "manifest.json")!.lfs).toBe(false);
    const writes = hub.requests.slice(before).filter((r) => r.method !== "GET" && r.method !== "HEAD");
    expect(writes).toEqual([]);
    expect(() => hub.head(REPO)).not.toThrow();
    expect(hub.head(REPO)).toBeUndefined();
  });

  it("publishes 3 shards / 2 splits incl. a 30 MB multipart shard, read back byte-identical; card configs parse", async () => {
    const result = await publishDataset(opts(dirA));
    expect(result.created).toBe(true);
    expect(result.commits).toHaveLength(1);
    expect(result.commitUrl).toBe(`${hub.url}/datasets/${REPO}/commit/${hub.head(REPO)}`);
    expect(result.uploadedBytes).toBeGreaterThan(31_000_000);
    expect(hub.requests.some((r) => /\/part\/4\?/.test(r.path))).toBe(true); // 30 MB in 8 MiB parts

    const remote = await remoteFiles();
    const local = JSON.parse(await readFile(join(dirA, "manifest.json"), "utf8")) as { files: Array<{ path: string; sha256: string }> };
    for (const file of local.files) expect(remote.get(file.path)?.lfs).toBe(file.sha256);
    for (const path of [...local.files.map((f) => f.path), "manifest.json", "length-histogram.svg"]) {
      const blob = await downloadFile({ repo: { type: "dataset", name: REPO }, path, hubUrl: hub.url, accessToken: TOKEN, fetch: loopback, xet: false });
      const bytes = Buffer.from(await blob!.arrayBuffer());
      expect(bytes.equals(await readFile(join(dirA, path))), path).toBe(true);
    }
    const card = await (await downloadFile({ repo: { type: "dataset", name: REPO }, path: "README.md", hubUrl: hub.url, fetch: loopback }))!.text();
    const front = parse(/^---\n([\s\S]*?)\n---\n/.exec(card)![1]!) as Record<string, unknown>;
    expect(front.configs).toEqual([
      {
        config_name: "default",
        data_files: [
          { split: "train", path: "data/train-*" },
          { split: "test", path: "data/test-*" },
        ],
        default: true,
      },
    ]);
    expect(front.size_categories).toEqual(["n<1K"]);
    expect(card).toContain(`load_dataset("${REPO}")`); // placeholder replaced by the repo id
  });

  it("republishing the same dir uploads 0 bytes and makes no commit", async () => {
    const head = hub.head(REPO);
    const commits = hub.commitCount(REPO);
    const result = await publishDataset(opts(dirA));
    expect(result.upToDate).toBe(true);
    expect(result.uploadedBytes).toBe(0);
    expect(result.commits).toEqual([]);
    expect(hub.head(REPO)).toBe(head);
    expect(hub.commitCount(REPO)).toBe(commits);
  });

  it("keeps metadata a user added to the repo card", async () => {
    const { uploadFiles } = await import("@huggingface/hub");
    const current = (await hub.read(REPO, "README.md")).toString("utf8");
    const edited = current.replace("---\n", "---\nannotations_creators:\n- machine-generated\n").replace("license: apache-2.0", "license: mit");
    await uploadFiles({
      repo: { type: "dataset", name: REPO },
      hubUrl: hub.url,
      accessToken: TOKEN,
      fetch: loopback,
      files: [{ path: "README.md", content: new Blob([edited]) }],
    });
    const result = await publishDataset(opts(dirA));
    expect(result.upToDate).toBe(true); // merging our card into theirs changes nothing
    const { metadata } = parseDatasetCard((await hub.read(REPO, "README.md")).toString("utf8"));
    expect(metadata.license).toBe("mit");
    expect(metadata.annotations_creators).toEqual(["machine-generated"]);
  });

  it("changing one split replaces only its shards", async () => {
    const before = await remoteFiles();
    const result = await publishDataset(opts(dirB));
    const changed = result.plan.filter((e) => e.action !== "unchanged").map((e) => `${e.action} ${e.path}`);
    expect(changed).toEqual(["update data/test-00000-of-00001.parquet", "update manifest.json"]);
    const testShard = (await readFile(join(dirB, "data/test-00000-of-00001.parquet"))).length;
    expect(result.uploadedBytes).toBe(testShard);
    const after = await remoteFiles();
    expect(after.get("data/train-00000-of-00002.parquet")).toEqual(before.get("data/train-00000-of-00002.parquet"));
    expect(after.get("data/test-00000-of-00001.parquet")!.lfs).not.toBe(before.get("data/test-00000-of-00001.parquet")!.lfs);
  });

  it("deletes stale shards of a re-sharded split in the same commit, re-using stored content", async () => {
    const dirC = join(tmp, "c");
    await cp(dirB, dirC, { recursive: true });
    await rm(join(dirC, "data/train-00001-of-00002.parquet"));
    await rename(join(dirC, "data/train-00000-of-00002.parquet"), join(dirC, "data/train-00000-of-00001.parquet"));
    const manifest = JSON.parse(await readFile(join(dirC, "manifest.json"), "utf8"));
    manifest.files = manifest.files
      .filter((f: { path: string }) => f.path !== "data/train-00001-of-00002.parquet")
      .map((f: { path: string }) => (f.path === "data/train-00000-of-00002.parquet" ? { ...f, path: "data/train-00000-of-00001.parquet" } : f));
    await writeFile(join(dirC, "manifest.json"), JSON.stringify(manifest));
    const commits = hub.commitCount(REPO);
    const result = await publishDataset(opts(dirC));
    expect(result.commits).toHaveLength(1);
    expect(hub.commitCount(REPO)).toBe(commits + 1);
    expect(result.uploadedBytes).toBe(0); // the 30 MB object is already stored
    const remote = await remoteFiles();
    expect([...remote.keys()].filter((p) => p.startsWith("data/train"))).toEqual(["data/train-00000-of-00001.parquet"]);
  });

  it("pull of the published repo at a revision gives the same files; a second pull makes no request", async () => {
    const revision = hub.head(REPO)!;
    const cacheDir = join(tmp, "cache");
    const pulled = await pullDataset({ repo: REPO, revision, files: ["data/*", "manifest.json"], endpoint: hub.url, cacheDir, fetch: loopback, env: {} });
    expect(pulled.sha).toBe(revision);
    for (const file of pulled.files) expect((await readFile(file.localPath)).equals(await readFile(join(tmp, "c", file.path))), file.path).toBe(true);
    const before = hub.requests.length;
    const again = await pullDataset({ repo: REPO, revision, files: ["data/*", "manifest.json"], endpoint: hub.url, cacheDir, fetch: loopback, env: {} });
    expect(hub.requests.length).toBe(before);
    expect(again.fromCache).toBe(true);
  });

  it("refuses a dir that fails preflight before any request", async () => {
    const bad = join(tmp, "bad");
    await cp(join(tmp, "c"), bad, { recursive: true });
    const card = await readFile(join(bad, "README.md"), "utf8");
    await writeFile(join(bad, "README.md"), card.replace("split: test", "split: test-set"));
    const before = hub.requests.length;
    await expect(publishDataset(opts(bad))).rejects.toThrow(/README\.md.*invalid split name "test-set"/);
    expect(hub.requests.length).toBe(before);
  });

  it("republishing a dir in another format deletes the old format's shards, JSON Lines as well as Parquet", async () => {
    const repo = "tester/format-switch";
    const splits = { train: { rows: 4, rowBytes: 200 }, test: { rows: 2, rowBytes: 200 } };
    const jsonlDir = join(tmp, "format-jsonl");
    const parquetDir = join(tmp, "format-parquet");
    await buildDatasetDir({ dir: jsonlDir, splits, dataFormat: "jsonl" });
    await buildDatasetDir({ dir: parquetDir, splits });
    const dataFiles = async () => {
      const out: string[] = [];
      for await (const e of listFiles({ repo: { type: "dataset", name: repo }, recursive: true, hubUrl: hub.url, accessToken: TOKEN, fetch: loopback })) {
        if (e.type === "file" && e.path.startsWith("data/")) out.push(e.path);
      }
      return out.sort();
    };
    await publishDataset({ ...opts(jsonlDir), repo });
    expect(await dataFiles()).toEqual(["data/test-00000-of-00001.jsonl", "data/train-00000-of-00001.jsonl"]);
    const toParquet = await publishDataset({ ...opts(parquetDir), repo });
    expect(toParquet.plan.filter((e) => e.action === "delete").map((e) => e.path)).toEqual([
      "data/test-00000-of-00001.jsonl",
      "data/train-00000-of-00001.jsonl",
    ]);
    expect(toParquet.commits).toHaveLength(1); // uploads and deletions in one commit
    expect(await dataFiles()).toEqual(["data/test-00000-of-00001.parquet", "data/train-00000-of-00001.parquet"]);
    await publishDataset({ ...opts(jsonlDir), repo });
    expect(await dataFiles()).toEqual(["data/test-00000-of-00001.jsonl", "data/train-00000-of-00001.jsonl"]);
  });
});
