/**
 * Honest exit codes and early validation: usage errors exit 2 before any call, a failed run exits 1,
 * auth errors stop agentwrite as they stop sample, and recipes that cannot work name the field.
 */
import { fileURLToPath } from "node:url";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, InputError } from "../src/errors.js";
import { parseRepoId } from "../src/hub/pull-dataset.js";
import { mixDatasets } from "../src/mix/mix-datasets.js";
import type { MixRecipe } from "../src/schemas/mix-recipe.js";
import { readJsonl } from "../src/io/jsonl.js";
import { readJsonArray } from "../src/io/json-array.js";
import { runJudge } from "../src/judge/run-judge.js";
import { startOpenAiServer, type OpenAiServer } from "./helpers/openai-server.js";
import { PROJECT_ROOT, runCli } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

/** Upstream AgentWrite prompts from ../shared (agentwrite's default prompts; no download in tests). */
const UPSTREAM = fileURLToPath(new URL("../../shared/data/longwriter-upstream/", import.meta.url));

const dir = makeTmpDir("lw-exit-codes-");
let server: OpenAiServer;
let unauthorized = false;
const prompts = join(dir, "prompts.jsonl");
beforeAll(async () => {
  server = await startOpenAiServer({
    respond: () =>
      unauthorized
        ? { fault: "status", status: 401, body: '{"error":{"message":"Incorrect API key provided"}}', headers: { "content-type": "application/json" } }
        : "An answer.",
  });
  writeFileSync(prompts, Array.from({ length: 12 }, (_, i) => JSON.stringify({ prompt: `Write 500 words about topic ${i}.` })).join("\n") + "\n");
});
afterAll(() => server.close());

const llm = () => ["--base-url", server.baseURL, "--model", "m", "--max-retries", "0"];

describe("CLI exit codes", () => {
  it.each([
    ["sample --temperature abc", ["sample", prompts, "--out", join(dir, "a.jsonl"), "--temperature", "abc"], /--temperature must be a number in 0–2, got NaN/],
    ["sample --top-p x", ["sample", prompts, "--out", join(dir, "b.jsonl"), "--top-p", "x"], /--top-p must be a number in \(0, 1\], got NaN/],
    [
      "sample -n 1e6",
      ["sample", prompts, "--out", join(dir, "b2.jsonl"), "-n", "1e6"],
      /--n must be a whole number of samples per prompt in 1–1000, got 1000000/,
    ],
    ["agentwrite --temperature abc", ["agentwrite", prompts, "--out", join(dir, "c.jsonl"), "--temperature", "abc"], /--temperature must be/],
    ["judge --timeout 0", ["judge", prompts, "--out", join(dir, "d.jsonl"), "--timeout", "0"], /--timeout must be a number of seconds > 0, got 0/],
  ])("%s → exit 2 before any call", async (_name, args, message) => {
    const before = server.requestCount();
    const run = await runCli([...args, ...llm()]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(server.requestCount()).toBe(before);
  });

  it.each([
    ["a/b/c", /invalid dataset repo id "a\/b\/c"/],
    ["a/.", /invalid dataset repo id "a\/\."/],
  ])("publish --repo %s → exit 2", async (repo, message) => {
    const run = await runCli(["publish", dir, "--repo", repo, "--dry-run"], { env: { HF_TOKEN: undefined } });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it("agentwrite stops on 401 like sample (no call per item) and exits 1", async () => {
    unauthorized = true;
    const before = server.requestCount();
    const out = join(dir, "aw401", "sft.jsonl");
    const run = await runCli(["agentwrite", prompts, "--out", out, "--concurrency", "2", ...llm()], { env: { LONGWRITER_UPSTREAM_DIR: UPSTREAM } });
    unauthorized = false;
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/HTTP 401/);
    expect(server.requestCount() - before).toBeLessThanOrEqual(2); // one per worker at most, not 12
    expect(readdirSync(join(dir, "aw401")).filter((f) => !f.endsWith(".journal.jsonl"))).toEqual([]);
  });
});

describe("early validation in the library", () => {
  it("judge on an empty file is an error naming the file, before any call", async () => {
    const empty = join(dir, "empty.jsonl");
    writeFileSync(empty, "\n");
    const before = server.requestCount();
    const error = await runJudge({ input: empty, out: join(dir, "judged.jsonl"), llm: { baseURL: server.baseURL, model: "j" }, judgeModel: "j" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(`${empty}: no records (the input is empty)`);
    expect(server.requestCount()).toBe(before);
  });

  it("repo ids follow the Hub's rules", () => {
    expect(parseRepoId("datasets/THUDM/LongWriter-6k")).toBe("THUDM/LongWriter-6k");
    for (const bad of ["a/b/c", "a/.", "a/..", ".a/b", "a/b-", "a/b--c", "a", "a/", "/b"])
      expect(() => parseRepoId(bad), bad).toThrow(/invalid dataset repo id/);
  });

  const source = { source: "chat", path: join(PROJECT_ROOT, "examples/data/general-chat.jsonl"), license: "apache-2.0" };
  it.each([
    ["splits.test 1.5", { splits: { test: 1.5 } }, "splits.test", /fraction below 1 or a whole number/],
    ["an unknown language code", { filters: { languages: ["en", "fr"] } }, "filters.languages.1", /unknown language code "fr"/],
    ["fraction 1e7", { sources: [{ ...source, amount: { fraction: 1e7 } }] }, "sources.0.amount.fraction", /at most 1000/],
    ["words 1000B", { sources: [{ ...source, amount: { words: "1000B" } }] }, "sources.0.amount.words", /at most 50,000,000 rows per source/],
    ["count 5e9", { sources: [{ ...source, amount: { count: 5e9 } }] }, "sources.0.amount.count", /at most 50,000,000 rows per source/],
    ["a mix yielding 0 rows", { filters: { minWords: 1_000_000 } }, "sources", /the recipe yields 0 rows/],
  ])("mix: %s → ConfigError naming the field", async (_name, patch, field, message) => {
    const out = join(dir, `mix-${field}`);
    mkdirSync(out, { recursive: true });
    // Deliberately invalid recipes: the runtime validation is under test, not the type.
    const recipe = { kind: "mix", name: "t", seed: 1, sources: [source], ...patch } as unknown as MixRecipe;
    const error = await mixDatasets({ recipe, outDir: out }).catch((e: unknown) => e);
    expect(error, "should fail").toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    expect((error as Error).message).toContain(`field ${field}`);
    expect((error as Error).message).toMatch(message);
    expect(readdirSync(out)).toEqual([]);
  });

  it("a record nested 5,000 deep is an InputError with file and line (not a stack overflow)", async () => {
    const deep = join(dir, "deep.jsonl");
    writeFileSync(deep, `{"messages":[]}\n{"meta":${"[".repeat(5000)}${"]".repeat(5000)}}\n`);
    const error = await (async () => {
      for await (const _ of readJsonl(deep)) void _;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(`${deep}:2: the record nests more than 1000 arrays/objects deep`);
  });

  it("an element of a JSON array nested 5,000 deep is an InputError with file and line (not a stack overflow)", async () => {
    const deep = join(dir, "deep.json");
    writeFileSync(deep, `[\n{"messages":[]},\n{"meta":${"[".repeat(5000)}${"]".repeat(5000)}}\n]\n`);
    const error = await (async () => {
      for await (const _ of readJsonArray(deep)) void _;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(`${deep}:3: the record nests more than 1000 arrays/objects deep`);
  });

  it("a YAML alias bomb is a ConfigError (exit 2) naming the recipe", async () => {
    const bomb = join(dir, "bomb.yaml");
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) levels.push(`l${i}: &l${i} [${Array.from({ length: 10 }, () => (i === 1 ? "*a" : `*l${i - 1}`)).join(", ")}]`);
    writeFileSync(bomb, `kind: mix\nname: bomb\n${levels.join("\n")}\nsources: []\n`);
    const error = await mixDatasets({ recipePath: bomb, outDir: join(dir, "bomb-out") }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(new RegExp(`^${bomb.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: invalid YAML: .*alias`, "i"));
  });
});
