/**
 * `longwriter publish` and `longwriter pull` as a user runs them (child process, env HF_ENDPOINT /
 * HF_TOKEN), and a grep proving the token never shows up in output, errors, the card or the manifest.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDatasetDir } from "./helpers/hub-dataset.js";
import { startHubServer, type TestHubServer } from "./helpers/hub-server.js";
import { runCli, type CliResult } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const TOKEN = "hf_cliSecretToken0123456789";
const WRONG = "hf_wrongButPlausible987654";
const REPO = "tester/cli-dataset";
const tmp = makeTmpDir("lw-hub-cli-");
const dir = join(tmp, "ds");
let hub: TestHubServer;
const outputs: CliResult[] = [];

beforeAll(async () => {
  hub = await startHubServer({ tokens: [TOKEN] });
  await buildDatasetDir({ dir, splits: { train: { rows: 4, rowBytes: 3000 }, test: { rows: 2, rowBytes: 1000 } } });
});
afterAll(() => hub.close());

async function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const result = await runCli(args, { env: { HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN, LONGWRITER_CACHE: join(tmp, "cache"), ...env } });
  outputs.push(result);
  return result;
}

async function allFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name));
  }
  return out;
}

describe("longwriter publish / pull", () => {
  it("--dry-run prints the plan and creates nothing", async () => {
    const result = await cli(["publish", dir, "--repo", REPO, "--dry-run"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/dry run: tester\/cli-dataset does not exist and would be created/);
    expect(result.stdout).toMatch(/add\s+data\/train-00000-of-00001\.parquet\s+[\d.]+ kB\s+LFS/);
    expect(result.stdout).toMatch(/add\s+manifest\.json\s+.*regular/);
    expect(hub.head(REPO)).toBeUndefined();
  });

  it("publishes with a JSON summary holding the commit URL", async () => {
    const result = await cli(["publish", dir, "--repo", REPO, "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.commits).toHaveLength(1);
    expect(summary.commitUrl).toBe(`${hub.url}/datasets/${REPO}/commit/${hub.head(REPO)}`);
  });

  it("fails clearly on a wrong token (exit 1, no token in the message)", async () => {
    const wrong = await cli(["publish", dir, "--repo", "tester/other", "--token-env", "OTHER_TOKEN"], { OTHER_TOKEN: WRONG });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/HTTP 401 \(check the token/);
  });

  it("pull of the published repo copies identical files and records the sha; --offline then works from the cache", async () => {
    const sha = hub.head(REPO)!;
    const out = join(tmp, "pulled");
    const result = await cli(["pull", REPO, "--revision", "main", "--files", "data/*", "--out", out, "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.sha).toBe(sha);
    for (const path of ["data/train-00000-of-00001.parquet", "data/test-00000-of-00001.parquet"]) {
      expect((await readFile(join(out, path))).equals(await readFile(join(dir, path)))).toBe(true);
    }
    const before = hub.requests.length;
    const offline = await cli(["pull", REPO, "--offline", "--files", "data/*"]);
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.stderr).toMatch(/offline: using tester\/cli-dataset@main/);
    expect(hub.requests.length).toBe(before);
  });

  it("the token appears in no output, error, card, manifest or cached file", async () => {
    const texts = outputs.flatMap((o) => [o.stdout, o.stderr]);
    texts.push((await hub.read(REPO, "README.md")).toString(), (await hub.read(REPO, "manifest.json")).toString());
    for (const file of [...(await allFiles(dir)), ...(await allFiles(join(tmp, "cache")))]) texts.push((await readFile(file)).toString("latin1"));
    for (const text of texts) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(WRONG);
      expect(text).not.toMatch(/hf_[A-Za-z0-9]{10,}/);
    }
    expect(outputs.length).toBeGreaterThanOrEqual(5);
  });
});
