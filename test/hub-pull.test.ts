/** pullDataset against the loopback Hub: pinned revisions, sha-keyed cache, offline fallbacks. */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uploadFiles } from "@huggingface/hub";
import { pullDataset } from "../src/hub/pull-dataset.js";
import { startHubServer, type TestHubServer } from "./helpers/hub-server.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";
import { loopbackOnlyFetch as loopback } from "./helpers/loopback-fetch.js";

const TOKEN = "hf_pull_test_token";
const REPO = "tester/pull-me";
let hub: TestHubServer;
const tmp = makeTmpDir("lw-hub-pull-");
const files = {
  "README.md": Buffer.from("---\npretty_name: pull\n---\n# pull me\n"),
  "data/train-00000-of-00002.parquet": randomBytes(4000),
  "data/train-00001-of-00002.parquet": randomBytes(3000),
  "data/test-00000-of-00001.parquet": randomBytes(1000),
};
let firstSha = "";

beforeAll(async () => {
  hub = await startHubServer({ tokens: [TOKEN] });
  const common = { hubUrl: hub.url, accessToken: TOKEN, fetch: loopback };
  const { createRepo } = await import("@huggingface/hub");
  await createRepo({ repo: { type: "dataset", name: REPO }, ...common });
  await uploadFiles({
    repo: { type: "dataset", name: REPO },
    ...common,
    files: Object.entries(files).map(([path, bytes]) => ({ path, content: new Blob([bytes]) })),
  });
  firstSha = hub.head(REPO)!;
});
afterAll(() => hub.close());

const base = (cacheDir: string) => ({ repo: REPO, endpoint: hub.url, cacheDir, fetch: loopback, env: {}, retryBaseDelayMs: 10 });

describe("pullDataset", () => {
  it("pulls every file at main, byte-identical, recording the commit sha", async () => {
    const cacheDir = join(tmp, "c1");
    const result = await pullDataset(base(cacheDir));
    expect(result.sha).toBe(firstSha);
    expect(result.fromCache).toBe(false);
    expect(result.files.map((f) => f.path).sort()).toEqual([".gitattributes", ...Object.keys(files)].sort());
    for (const [path, bytes] of Object.entries(files)) {
      const local = result.files.find((f) => f.path === path)!;
      expect((await readFile(local.localPath)).equals(bytes)).toBe(true);
      expect(local.bytes).toBe(bytes.length);
    }
  });

  it("serves a second pull of the same pinned sha from the cache with no request", async () => {
    const cacheDir = join(tmp, "c2");
    await pullDataset({ ...base(cacheDir), revision: firstSha, files: "data/train-*" });
    const before = hub.requests.length;
    const again = await pullDataset({ ...base(cacheDir), revision: firstSha, files: "data/train-*" });
    expect(hub.requests.length).toBe(before);
    expect(again.fromCache).toBe(true);
    expect(again.files.map((f) => f.path)).toEqual(["data/train-00000-of-00002.parquet", "data/train-00001-of-00002.parquet"]);
  });

  it("keeps old revisions apart after the branch moves, and falls back offline to the last resolved sha", async () => {
    const cacheDir = join(tmp, "c3");
    await pullDataset({ ...base(cacheDir), files: "README.md" });
    await uploadFiles({
      repo: { type: "dataset", name: REPO },
      hubUrl: hub.url,
      accessToken: TOKEN,
      fetch: loopback,
      files: [{ path: "README.md", content: new Blob(["# changed\n"]) }],
    });
    const newSha = hub.head(REPO)!;
    const latest = await pullDataset({ ...base(cacheDir), files: "README.md" });
    expect(latest.sha).toBe(newSha);
    expect(await readFile(latest.files[0]!.localPath, "utf8")).toBe("# changed\n");
    const old = await pullDataset({ ...base(cacheDir), revision: firstSha, files: "README.md" });
    expect((await readFile(old.files[0]!.localPath)).equals(files["README.md"])).toBe(true);

    // Network down: the branch resolves to the sha cached last time, with a warning.
    const down = (async () => {
      throw new TypeError("fetch failed");
    }) as typeof fetch;
    const offline = await pullDataset({ ...base(cacheDir), fetch: down, retries: 0, files: "README.md" });
    expect(offline.sha).toBe(newSha);
    expect(offline.warnings.join(" ")).toMatch(/network unavailable.*from the cache/);
    const flagged = await pullDataset({ ...base(cacheDir), offline: true, files: "README.md" });
    expect(flagged.warnings.join(" ")).toMatch(/offline/);
    await expect(pullDataset({ ...base(join(tmp, "empty")), offline: true })).rejects.toThrow(/never resolved/);
  });

  it("retries a dropped download and fails clearly on missing repos and unmatched globs", async () => {
    hub.addFault({ method: "GET", path: /\/resolve\/.*test-00000/, times: 2, action: { type: "drop" } });
    const result = await pullDataset({ ...base(join(tmp, "c4")), files: "data/test-*" });
    expect((await readFile(result.files[0]!.localPath)).equals(files["data/test-00000-of-00001.parquet"])).toBe(true);
    await expect(pullDataset({ ...base(join(tmp, "c5")), repo: "tester/nope" })).rejects.toThrow(/HTTP 404.*not found/);
    await expect(pullDataset({ ...base(join(tmp, "c6")), files: "nothing/*" })).rejects.toThrow(/no file .* matches/);
    await expect(pullDataset({ ...base(join(tmp, "c7")), repo: "bad id" })).rejects.toThrow(/namespace\/name/);
  });
});
