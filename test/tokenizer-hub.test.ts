/**
 * `--tokenizer <Hub model id>`: tokenizer.json and tokenizer_config.json of a model repo on the loopback
 * Hub are downloaded once through the Hub client and cache `pull` uses, pinned to the commit they
 * resolved to, and served from the cache afterwards — with the Hub gone, or with HF_HUB_OFFLINE=1.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRepo, uploadFiles } from "@huggingface/hub";
import { createTokenCounter } from "../src/text/tokens.js";
import { runCli } from "./helpers/run-cli.js";
import { startHubServer, type TestHubServer } from "./helpers/hub-server.js";
import { loopbackOnlyFetch as loopback } from "./helpers/loopback-fetch.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const TOKEN = "hf_tokenizer_test_token";
const MODEL = "Qwen/Qwen2.5-7B-Instruct";
const FIXTURE = join("test", "fixtures", "tiny-bpe");
const tmp = makeTmpDir("lw-tok-hub-");
const cacheDir = join(tmp, "cache");
let hub: TestHubServer;
let sha = "";
let closed = false;

beforeAll(async () => {
  hub = await startHubServer({ tokens: [TOKEN] });
  const common = { hubUrl: hub.url, accessToken: TOKEN, fetch: loopback };
  await createRepo({ repo: { type: "model", name: MODEL }, ...common });
  await uploadFiles({
    repo: { type: "model", name: MODEL },
    ...common,
    files: ["tokenizer.json", "tokenizer_config.json"].map((path) => ({ path, content: new Blob([readFileSync(join(FIXTURE, path))]) })),
  });
  sha = hub.head(`model/${MODEL}`)!;
});
afterAll(() => (closed ? undefined : hub.close()));

const settings = () => ({ endpoint: hub.url, cacheDir, fetch: loopback, env: {} });

describe("tokenizers from the Hub", () => {
  it("downloads tokenizer.json (+ config) once, pinned to the commit; a pinned id then needs no request", async () => {
    const before = hub.requests.length;
    const counter = await createTokenCounter(MODEL, { hub: settings() });
    expect(counter.name).toBe(MODEL);
    expect(counter.revision).toBe(sha);
    expect(counter.count("hello world")).toBe(2);
    const paths = hub.requests.slice(before).map((r) => r.path);
    expect(paths.some((p) => p.includes("/resolve/") && p.endsWith("/tokenizer.json"))).toBe(true);
    expect(paths.some((p) => p.endsWith("/tokenizer_config.json"))).toBe(true);

    const pinnedBefore = hub.requests.length;
    const pinned = await createTokenCounter(`${MODEL}@${sha}`, { hub: settings() });
    expect(pinned.count("hello world tokens")).toBe(3);
    expect(hub.requests.length).toBe(pinnedBefore);
  });

  it("a repo without tokenizer.json is a clear error", async () => {
    await createRepo({ repo: { type: "model", name: "tester/no-tokenizer" }, hubUrl: hub.url, accessToken: TOKEN, fetch: loopback });
    await expect(createTokenCounter("tester/no-tokenizer", { hub: settings() })).rejects.toThrow(/tokenizer of tester\/no-tokenizer@main/);
  });

  it("works offline afterwards: the CLI with HF_HUB_OFFLINE=1, then the library with the Hub gone", async () => {
    const data = join(tmp, "rows.jsonl");
    const rows = [{ messages: [{ role: "user", content: "say it" }, { role: "assistant", content: "hello world tokens" }] }];
    await import("node:fs/promises").then((fs) => fs.writeFile(data, rows.map((r) => JSON.stringify(r)).join("\n")));
    const env = { HF_ENDPOINT: hub.url, LONGWRITER_CACHE: tmp, HF_TOKEN: undefined };
    const online = await runCli(["stats", data, "--tokenizer", MODEL, "--json"], { env });
    expect(online.stderr).toBe("");
    expect(JSON.parse(online.stdout).stats.tokens).toMatchObject({ tokenizer: MODEL, sum: 3 });
    const requests = hub.requests.length;
    const offline = await runCli(["stats", data, "--tokenizer", MODEL, "--json"], { env: { ...env, HF_HUB_OFFLINE: "1" } });
    expect(JSON.parse(offline.stdout).stats.tokens).toMatchObject({ sum: 3 });
    expect(offline.stderr).toMatch(/offline: using Qwen\/Qwen2\.5-7B-Instruct@main = [0-9a-f]{40} from the cache/);
    expect(hub.requests.length).toBe(requests);

    await hub.close();
    closed = true;
    const counter = await createTokenCounter(MODEL, { hub: settings() });
    expect(counter.revision).toBe(sha);
    expect(counter.count("hello world")).toBe(2);
  });
});
