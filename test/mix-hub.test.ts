/**
 * Mixing Hub sources through the real pullDataset against the loopback Hub: files and split selection,
 * the resolved commit sha in the manifest, --frozen with a pinned sha, and a repeat run served from cache.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRepo, uploadFiles } from "@huggingface/hub";
import { SFT_COLUMNS } from "../src/io/column-spec.js";
import { writeParquet } from "../src/io/parquet-write.js";
import { mixDatasets } from "../src/mix/mix-datasets.js";
import { startHubServer, type TestHubServer } from "./helpers/hub-server.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";
import { loopbackOnlyFetch as loopback } from "./helpers/loopback-fetch.js";

const TOKEN = "hf_mix_test_token";
const REPO = "tester/mix-source";
const tmp = makeTmpDir("lw-mix-hub-");
let hub: TestHubServer;
let sha = "";

beforeAll(async () => {
  hub = await startHubServer({ tokens: [TOKEN] });
  const common = { hubUrl: hub.url, accessToken: TOKEN, fetch: loopback };
  await createRepo({ repo: { type: "dataset", name: REPO }, ...common });
  const longJsonl = readFileSync("examples/data/long-writing.jsonl");
  const parquet = join(tmp, "train.parquet");
  const rows = Array.from({ length: 30 }, (_, i) => ({
    messages: [
      { role: "user", content: `Question number ${i}: what is ${i} plus ${i}?` },
      { role: "assistant", content: `${i} plus ${i} is ${2 * i}.` },
    ],
    id: `q-${i}`,
    source: null,
    meta: null,
  }));
  await writeParquet({ file: parquet, columns: SFT_COLUMNS, rows });
  await uploadFiles({
    repo: { type: "dataset", name: REPO },
    ...common,
    files: [
      { path: "long.jsonl", content: new Blob([longJsonl]) },
      { path: "data/train-00000-of-00001.parquet", content: new Blob([readFileSync(parquet)]) },
      { path: "README.md", content: new Blob(["# mix source\n"]) },
    ],
  });
  sha = hub.head(REPO)!;
});
afterAll(() => hub.close());

describe("mixDatasets with Hub sources", () => {
  it("pulls files and a split, records the resolved sha, and reruns from the cache", async () => {
    const settings = { endpoint: hub.url, token: TOKEN, cacheDir: join(tmp, "cache"), fetch: loopback, env: {} };
    const recipe = {
      name: "hub-mix",
      seed: 5,
      sources: [
        { source: "long", repo: REPO, revision: "main", files: ["long.jsonl"], amount: { count: 6 } },
        { source: "qa", repo: REPO, revision: "main", split: "train", amount: { fraction: 0.5 } },
      ],
    };
    const { manifest } = await mixDatasets({ recipe, outDir: join(tmp, "out"), hub: settings });
    expect(manifest.sources.map((s) => s.location)).toEqual([
      { kind: "hub", repo: REPO, revision: "main", sha, files: ["long.jsonl"] },
      { kind: "hub", repo: REPO, revision: "main", sha, files: ["data/train-00000-of-00001.parquet"] },
    ]);
    expect(manifest.sources.map((s) => [s.input, s.obtained.rows])).toEqual([
      [10, 6],
      [30, 15],
    ]);

    // Frozen: pinned to the sha, served from the cache without a request.
    const before = hub.requests.length;
    const pinned = { ...recipe, sources: recipe.sources.map((s) => ({ ...s, revision: sha })) };
    const again = await mixDatasets({ recipe: pinned, outDir: join(tmp, "out2"), hub: settings, frozen: true });
    expect(hub.requests.length).toBe(before);
    expect(again.manifest.sources[1]!.location).toMatchObject({ revision: sha, sha });
    expect(readFileSync(join(tmp, "out2", "data", "train-00000-of-00001.parquet"))).toEqual(
      readFileSync(join(tmp, "out", "data", "train-00000-of-00001.parquet")),
    );
  });

  it("a missing repo fails naming the recipe field", async () => {
    await expect(
      mixDatasets({
        recipe: { name: "bad", sources: [{ repo: "tester/nope", revision: "main", files: ["x.jsonl"] }] },
        outDir: join(tmp, "bad"),
        hub: { endpoint: hub.url, token: TOKEN, cacheDir: join(tmp, "cache"), fetch: loopback, env: {}, retries: 0 },
      }),
    ).rejects.toThrow(/<recipe>: field sources\.0: cannot fetch tester\/nope@main/);
  });
});
