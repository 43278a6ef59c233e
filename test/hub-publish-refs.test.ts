/** publishDataset to a branch, as a pull request, and into a private repo (loopback Hub). */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoExists } from "@huggingface/hub";
import { publishDataset } from "../src/hub/publish-dataset.js";
import { pullDataset } from "../src/hub/pull-dataset.js";
import { buildDatasetDir } from "./helpers/hub-dataset.js";
import { startHubServer, type TestHubServer } from "./helpers/hub-server.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";
import { loopbackOnlyFetch as loopback } from "./helpers/loopback-fetch.js";

const TOKEN = "hf_refs_test_token_777";
const tmp = makeTmpDir("lw-hub-refs-");
const dir = join(tmp, "ds");
let hub: TestHubServer;

beforeAll(async () => {
  hub = await startHubServer({ tokens: [TOKEN] });
  await buildDatasetDir({ dir, splits: { train: { rows: 2, rowBytes: 800 } } });
});
afterAll(() => hub.close());

const opts = (repo: string) => ({ dir, repo, endpoint: hub.url, token: TOKEN, fetch: loopback, env: {}, retryBaseDelayMs: 5 });

describe("publish refs and visibility", () => {
  it("commits to a new branch, leaving main alone", async () => {
    const repo = "tester/refs-branch";
    const result = await publishDataset({ ...opts(repo), branch: "v2" });
    expect(result.commits).toHaveLength(1);
    expect(hub.files(repo, "v2").has("data/train-00000-of-00001.parquet")).toBe(true);
    expect(hub.files(repo, "main").has("data/train-00000-of-00001.parquet")).toBe(false);
    const again = await publishDataset({ ...opts(repo), branch: "v2" });
    expect(again.upToDate).toBe(true);
  });

  it("opens a pull request instead of committing; nothing changes on main", async () => {
    const repo = "tester/refs-pr";
    await publishDataset({ ...opts(repo), dryRun: false, maxFilesPerCommit: 50, branch: "main", pr: false, commitMessage: "first" });
    const head = hub.head(repo);
    const { cp, writeFile } = await import("node:fs/promises");
    const dir2 = join(tmp, "ds2");
    await cp(dir, dir2, { recursive: true });
    await writeFile(join(dir2, "length-histogram.svg"), "<svg xmlns='http://www.w3.org/2000/svg'><rect/></svg>\n");
    const result = await publishDataset({ ...opts(repo), dir: dir2, pr: true });
    expect(result.pullRequestUrl).toBe(`${hub.url}/datasets/${repo}/discussions/1`);
    expect(hub.head(repo)).toBe(head);
    expect((await hub.read(repo, "length-histogram.svg", "refs/pr/1")).toString()).toContain("<rect/>");
  });

  it("creates a private repo that anonymous readers cannot see, but a token can pull", async () => {
    const repo = "tester/refs-private";
    await publishDataset({ ...opts(repo), private: true });
    expect(await repoExists({ repo: { type: "dataset", name: repo }, hubUrl: hub.url, fetch: loopback })).toBe(false);
    await expect(pullDataset({ repo, endpoint: hub.url, cacheDir: join(tmp, "c1"), fetch: loopback, env: {} })).rejects.toThrow(/HTTP 401/);
    const pulled = await pullDataset({ repo, endpoint: hub.url, cacheDir: join(tmp, "c2"), fetch: loopback, env: { HF_TOKEN: TOKEN } });
    expect(pulled.files.some((f) => f.path === "data/train-00000-of-00001.parquet")).toBe(true);
    const warned = await publishDataset({ ...opts(repo), private: true });
    expect(warned.warnings.join(" ")).toMatch(/already exists; --private does not change/);
  });
});
