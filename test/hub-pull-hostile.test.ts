/**
 * `pull` from a hostile or broken Hub (the loopback server with injected answers): a listed
 * `.git/config` is refused before anything is written, existing files are not replaced without
 * --force unless an earlier pull of the same repo wrote them, looping pagination and a body larger
 * than its listed size are cut off, and a damaged cache file never reaches --out.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRepo, uploadFiles } from "@huggingface/hub";
import { pullDataset } from "../src/hub/pull-dataset.js";
import { startHubServer, type TestHubServer } from "./helpers/hub-server.js";
import { loopbackOnlyFetch as loopback } from "./helpers/loopback-fetch.js";
import { runCli } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const TOKEN = "hf_hostile_pull_token";
const REPO = "tester/hostile";
const tmp = makeTmpDir("lw-hub-hostile-");
let hub: TestHubServer;
const files = { "README.md": "# hostile\n", "data/train.jsonl": '{"a":1}\n{"a":2}\n' };

beforeAll(async () => {
  hub = await startHubServer({ tokens: [TOKEN] });
  const common = { hubUrl: hub.url, accessToken: TOKEN, fetch: loopback };
  await createRepo({ repo: { type: "dataset", name: REPO }, ...common });
  await uploadFiles({ repo: { type: "dataset", name: REPO }, ...common, files: Object.entries(files).map(([path, text]) => ({ path, content: new Blob([text]) })) });
});
afterAll(() => hub.close());

let n = 0;
function dirs(): { out: string; cache: string } {
  const root = join(tmp, `case-${n++}`);
  return { out: join(root, "out"), cache: join(root, "cache") };
}

const pull = (args: string[], cache: string) =>
  runCli(["pull", REPO, ...args], { env: { HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN, LONGWRITER_CACHE: cache } });

/** Every path under `root` (relative), recursively. */
function tree(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort();
}

const treeEntry = (path: string, text: string) => ({ type: "file", path, size: Buffer.byteLength(text), oid: "" });

describe("hostile pull", () => {
  it("refuses a listing holding .git/config: nothing written, exit 1", async () => {
    const { out, cache } = dirs();
    hub.addFault({
      method: "GET",
      path: /\/tree\//,
      action: { type: "status", status: 200, body: [treeEntry("README.md", "# x\n"), treeEntry(".git/config", "[core]\n\tfsmonitor = touch /tmp/pwned\n")] },
    });
    const run = await pull(["--out", out], cache);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/refusing to pull .*"\.git\/config" \(version-control metadata \(\.git\)\)/);
    expect(tree(out)).toEqual([]);
    expect(tree(cache).filter((p) => p.includes(".git/"))).toEqual([]);
    hub.clearFaults();
  });

  it("does not replace a file it did not write without --force; replaces its own; refuses one changed since", { timeout: 240_000 }, async () => {
    const { out, cache } = dirs();
    mkdirSync(join(out, "data"), { recursive: true });
    writeFileSync(join(out, "README.md"), "my own notes\n");
    const refused = await pull(["--out", out], cache);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toMatch(/README\.md already exists and was not written by an earlier pull of tester\/hostile; pass --force/);
    expect(readFileSync(join(out, "README.md"), "utf8")).toBe("my own notes\n");
    expect(existsSync(join(out, "data", "train.jsonl"))).toBe(false); // checked everything before writing anything

    const forced = await pull(["--out", out, "--force"], cache);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(out, "README.md"), "utf8")).toBe(files["README.md"]);

    const again = await pull(["--out", out], cache); // its own files: replaced without --force
    expect(again.code, again.stderr).toBe(0);

    writeFileSync(join(out, "data", "train.jsonl"), "edited\n");
    const changed = await pull(["--out", out], cache);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/train\.jsonl was changed since an earlier pull of tester\/hostile wrote it; pass --force/);
    expect(readFileSync(join(out, "data", "train.jsonl"), "utf8")).toBe("edited\n");
  });

  it("cuts off pagination that loops", async () => {
    const { cache } = dirs();
    hub.addFault({
      method: "GET",
      path: /\/tree\//,
      times: 10_000,
      action: { type: "status", status: 200, body: [treeEntry("README.md", "# x\n")], headers: { Link: `<${hub.url}/api/datasets/${REPO}/tree/main?recursive=true&cursor=1>; rel="next"` } },
    });
    const before = hub.requests.length;
    const error = await pullDataset({ repo: REPO, endpoint: hub.url, cacheDir: cache, fetch: loopback, env: {}, retryBaseDelayMs: 1 }).catch((e: unknown) => e);
    hub.clearFaults();
    expect((error as Error).message).toMatch(/pagination loops/);
    expect(hub.requests.length - before).toBeLessThan(10);
  });

  it("cuts off a body larger than its listed size; nothing reaches the cache or --out", async () => {
    const { out, cache } = dirs();
    hub.addFault({
      method: "GET",
      path: /\/resolve\/[^/]+\/data%2Ftrain\.jsonl|\/resolve\/[^/]+\/data\/train\.jsonl/,
      times: 10,
      // Claims the listed 16 bytes (content-range, read by the size probe), then sends 5 MB regardless.
      action: { type: "raw", status: 206, headers: { "content-type": "application/octet-stream", "content-range": "bytes 0-15/16", etag: '"x"' }, body: Buffer.alloc(5_000_000, 0x61) },
    });
    const run = await pull(["--out", out, "--files", "data/*"], cache);
    hub.clearFaults();
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/data\/train\.jsonl: the download is larger than the 16 bytes the repo listing gives/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(tree(out)).toEqual([]);
    expect(tree(cache).filter((p) => p.includes("snapshots"))).toEqual([]);
  });

  it("a damaged cache file (same size, other bytes) never reaches --out, and is dropped so the next pull heals", { timeout: 120_000 }, async () => {
    const { out, cache } = dirs();
    const first = await pullDataset({ repo: REPO, endpoint: hub.url, cacheDir: join(cache, "hub"), fetch: loopback, env: {}, files: "data/*" });
    writeFileSync(first.files[0]!.localPath, "X".repeat(files["data/train.jsonl"].length));
    const run = await pull(["--out", out, "--files", "data/*"], cache);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/does not match the content hash .*run the pull again/);
    expect(tree(out).filter((p) => !p.startsWith(".longwriter-pull"))).toEqual([]);
    const healed = await pull(["--out", out, "--files", "data/*"], cache);
    expect(healed.code, healed.stderr).toBe(0);
    expect(readFileSync(join(out, "data", "train.jsonl"), "utf8")).toBe(files["data/train.jsonl"]);
  });
});
