/**
 * Hub-ready outputs end to end: a mix dir (a Hub source + absolute local paths, decontaminated against
 * LongBench-Write) and a pairs dir (absolute input path, --license/--language) are written under umask
 * 022 and published to the loopback Hub. The published cards name no local path, carry a licence id the
 * Hub accepts, unique tags, `source_datasets` for the Hub source and LongWriter's citation; the files
 * are 0644 and the dirs 0755.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRepo, downloadFile, uploadFiles } from "@huggingface/hub";
import { HUB_LICENSES } from "../src/schemas/hub-licenses.js";
import { parseDatasetCard } from "../src/hub/merge-dataset-card.js";
import { publishDataset } from "../src/hub/publish-dataset.js";
import { mixDatasets } from "../src/mix/mix-datasets.js";
import { runCli } from "./helpers/run-cli.js";
import { startHubServer, type TestHubServer } from "./helpers/hub-server.js";
import { loopbackOnlyFetch as loopback } from "./helpers/loopback-fetch.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const TOKEN = "hf_ready_outputs_token";
const SOURCE_REPO = "THUDM/LongWriter-6k";
const DATA = resolve("..", "shared", "data");
const tmp = makeTmpDir("lw-hub-ready-");
const mixDir = join(tmp, "out", "mix");
const pairsDir = join(tmp, "out", "pairs");
let hub: TestHubServer;
let previousUmask: number;

beforeAll(async () => {
  previousUmask = process.umask(0o022);
  hub = await startHubServer({ tokens: [TOKEN] });
  const common = { hubUrl: hub.url, accessToken: TOKEN, fetch: loopback };
  await createRepo({ repo: { type: "dataset", name: SOURCE_REPO }, ...common });
  await uploadFiles({
    repo: { type: "dataset", name: SOURCE_REPO },
    ...common,
    files: [{ path: "long.jsonl", content: new Blob([readFileSync("examples/data/long-writing.jsonl")]) }],
  });

  const recipe = {
    name: "ready",
    seed: 3,
    sources: [
      { source: "longwriter-6k", repo: SOURCE_REPO, revision: "main", files: ["long.jsonl"], format: "messages", license: "apache-2.0" },
      { source: "alpaca", path: join(DATA, "general-sft", "alpaca_en_demo.json"), amount: { count: 40 }, license: "apache-2.0" },
      { source: "chat", path: resolve("examples/data/general-chat.jsonl"), license: "apache-2.0" },
    ],
    decontaminate: { files: [join(DATA, "longbench-write", "longbench_write.jsonl")] },
    splits: { test: 0.1 },
    card: { license: "other", licenseName: "per-source-licenses", licenseLink: "README.md", language: ["en", "zh"], tags: ["sft", "longwriter", "sft"] },
  };
  await mixDatasets({ recipe, outDir: mixDir, hub: { endpoint: hub.url, token: TOKEN, cacheDir: join(tmp, "cache"), fetch: loopback, env: {} } });

  const pairs = await runCli(
    ["pairs", join(DATA, "general-sft", "dpo_en_demo.json"), "--audit-only", "--out", pairsDir, "--license", "cc-by-4.0", "--language", "en", "zh"],
    { env: { HF_TOKEN: undefined } },
  );
  expect(pairs.stderr).toBe("");
  expect(pairs.code).toBe(0);
}, 120_000);
afterAll(() => {
  process.umask(previousUmask);
  return hub.close();
});

function modes(dir: string): Array<[string, string]> {
  const out: Array<[string, string]> = [[dir, (statSync(dir).mode & 0o777).toString(8)]];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...modes(path));
    else out.push([path, (statSync(path).mode & 0o777).toString(8)]);
  }
  return out;
}

/** Local-path shapes that must not reach a published file. */
function localPaths(text: string): string[] {
  const found: string[] = [];
  for (const needle of [tmp, resolve(".."), process.cwd(), "../", "..\\", "/tmp/", "/home/", "/Users/"]) if (text.includes(needle)) found.push(needle);
  return found;
}

async function publishedCard(dir: string, repo: string): Promise<{ text: string; metadata: Record<string, unknown> }> {
  const result = await publishDataset({ dir, repo, endpoint: hub.url, token: TOKEN, fetch: loopback, env: {}, retryBaseDelayMs: 10 });
  expect(result.commits.length).toBe(1);
  const blob = await downloadFile({ repo: { type: "dataset", name: repo }, path: "README.md", hubUrl: hub.url, accessToken: TOKEN, fetch: loopback });
  const text = await blob!.text();
  return { text, metadata: parseDatasetCard(text).metadata };
}

describe("Hub-ready outputs", () => {
  it("writes files 0644 and dirs 0755 under umask 022", () => {
    const all = [...modes(mixDir), ...modes(pairsDir)];
    expect(all.length).toBeGreaterThan(10);
    for (const [path, mode] of all) expect(mode, path).toBe(statSync(path).isDirectory() ? "755" : "644");
  });

  it("publishes a mix card with no local path, a valid licence, unique tags, source_datasets and LongWriter's citation", async () => {
    const { text, metadata } = await publishedCard(mixDir, "tester/ready-mix");
    expect(localPaths(text)).toEqual([]);
    // The manifest records local files relative to the recipe (for re-running it), never absolute.
    expect(localPaths(readFileSync(join(mixDir, "manifest.json"), "utf8")).filter((p) => p !== "../")).toEqual([]);
    expect(metadata.license).toBe("other");
    expect(metadata.license_name).toBe("per-source-licenses");
    expect(metadata.license_link).toBe("README.md");
    expect(HUB_LICENSES).toContain(metadata.license);
    const tags = metadata.tags as string[];
    expect(new Set(tags).size).toBe(tags.length);
    expect(tags).toEqual(expect.arrayContaining(["sft", "longwriter"]));
    expect(metadata.source_datasets).toEqual([SOURCE_REPO]);
    expect(metadata.language).toEqual(["en", "zh"]);
    expect(text).toContain("alpaca_en_demo.json");
    expect(text).toContain("longbench_write.jsonl");
    expect(text).toContain("## Citation");
    expect(text).toMatch(/@inproceedings\{bai2025longwriter,[\s\S]*arXiv[\s\S]*2408\.07055/);
    expect(text).toContain('json.loads(row["meta"])');
    // the recipe published beside the card names its local sources by file name too
    const recipe = await downloadFile({
      repo: { type: "dataset", name: "tester/ready-mix" },
      path: "recipe.yaml",
      hubUrl: hub.url,
      accessToken: TOKEN,
      fetch: loopback,
    });
    const recipeText = await recipe!.text();
    expect(localPaths(recipeText)).toEqual([]);
    expect(recipeText).toContain("path: alpaca_en_demo.json");
    expect(recipeText).toContain("longbench_write.jsonl");
    expect(recipeText).toContain(SOURCE_REPO);
  });

  it("publishes a pairs card with no local path, the --license/--language given, and unique tags", async () => {
    const { text, metadata } = await publishedCard(pairsDir, "tester/ready-pairs");
    expect(localPaths(text)).toEqual([]);
    expect(localPaths(readFileSync(join(pairsDir, "manifest.json"), "utf8"))).toEqual([]);
    expect(metadata.license).toBe("cc-by-4.0");
    expect(HUB_LICENSES).toContain(metadata.license);
    expect(metadata.language).toEqual(["en", "zh"]);
    const tags = metadata.tags as string[];
    expect(new Set(tags).size).toBe(tags.length);
    expect(text).toContain("dpo_en_demo.json");
    expect(text).not.toContain("## Citation"); // LLaMA-Factory's demo data is not LongWriter's
  });

  it("refuses a licence id the Hub does not list, and other without a name and link (exit 2, nothing written)", async () => {
    const input = join(DATA, "general-sft", "dpo_en_demo.json");
    const bad = await runCli(["pairs", input, "--audit-only", "--out", join(tmp, "bad"), "--license", "apache2"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/licence "apache2" is not one of the Hub's licence ids \(did you mean "apache-2.0"\?\)/);
    const other = await runCli(["pairs", input, "--audit-only", "--out", join(tmp, "bad"), "--license", "other"]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/license: other needs a licence name/);
    expect(() => statSync(join(tmp, "bad"))).toThrow();
  });
});
