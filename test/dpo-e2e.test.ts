/**
 * The whole DPO flow through the CLI against the loopback OpenAI-compatible server:
 * 20 prompts × 4 samples (killed mid-run with SIGKILL, then resumed: no finished call is repeated)
 * → judged (one candidate's judge never gives a usable verdict: null + reason; a rerun is free)
 * → pairs with the paper's policy → exports.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readPairsDataset } from "../src/dpo/read-pairs-dataset.js";
import { candidateSchema, type Candidate } from "../src/schemas/candidate.js";
import { JUDGE_DIMENSIONS } from "../src/schemas/judgement.js";
import { startOpenAiServer, type ChatBody, type OpenAiServer } from "./helpers/openai-server.js";
import { runCli, startCli } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const dir = makeTmpDir("dpo-e2e-");
const TOPICS = [
  "tides",
  "bridges",
  "honeybees",
  "glaciers",
  "printing",
  "volcanoes",
  "lighthouses",
  "salt",
  "clocks",
  "maps",
  "coral",
  "rivers",
  "kites",
  "paper",
  "silk",
  "owls",
  "comets",
  "deserts",
  "violins",
  "ferns",
];
const LENGTHS = [300, 500, 800, 1200];
const FACTORS = [0.45, 0.9, 1.0, 1.7]; // sample i's length relative to the request → varied S_l
const WORDS = ["amber", "basalt", "cedar", "delta", "ember", "fjord", "granite", "harbor", "island", "juniper"];

function essay(topic: string, words: number, seed: number): string {
  const out: string[] = [`Essay on ${topic}, draft ${String.fromCharCode(97 + (seed % 26))}.`];
  for (let i = 0; out.length < words; i++) out.push(WORDS[(i * 7 + seed * 3) % WORDS.length]!);
  return out.join(" ");
}

function judgeReply(body: ChatBody): string {
  const content = body.messages[0]!.content;
  const response = content.slice(content.indexOf("<Response>") + 10, content.indexOf("</Response>"));
  if (response.includes("Essay on owls") && response.includes("draft c")) return "I would rather not grade this one."; // never parses
  let h = 0;
  for (const ch of response) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  const scores = Object.fromEntries(JUDGE_DIMENSIONS.map((d, i) => [d, 1 + ((h >>> (i * 3)) % 5)]));
  return `Reasonable structure.\n\`\`\`json\n${JSON.stringify({ Analysis: "ok", ...scores })}\n\`\`\``;
}

let server: OpenAiServer;
const prompts = join(dir, "prompts.jsonl");
const candidates = join(dir, "candidates.jsonl");
const scored = join(dir, "scored.jsonl");

beforeAll(async () => {
  server = await startOpenAiServer({
    latencyMs: 25,
    respond: (body) => {
      const content = body.messages[0]!.content;
      if (content.includes("<Response>")) return judgeReply(body);
      const index = TOPICS.findIndex((t) => content.includes(`about ${t}`));
      const seed = Number(body.seed ?? 0);
      return essay(TOPICS[index]!, Math.round(LENGTHS[index % 4]! * FACTORS[seed % 4]!), seed);
    },
  });
  writeFileSync(prompts, TOPICS.map((t, i) => JSON.stringify({ id: `p${i}`, prompt: `Write a ${LENGTHS[i % 4]}-word essay about ${t}.` })).join("\n") + "\n");
});
afterAll(() => server.close());

const llm = () => ["--base-url", server.baseURL, "--concurrency", "4"];
const readCandidates = (file: string): Candidate[] =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((line) => candidateSchema.parse(JSON.parse(line)));

describe("DPO end to end on the test server", { timeout: 180_000 }, () => {
  it("samples 20 × 4 candidates, survives SIGKILL, and resumes without repeating a finished call", async () => {
    const first = startCli(["sample", prompts, "--model", "writer", "--n", "4", "--out", candidates, ...llm()]);
    const deadline = Date.now() + 30_000;
    while (server.requestCount() < 30 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    first.child.kill("SIGKILL");
    const killed = await first.done;
    expect(killed.signal).toBe("SIGKILL");
    const requestsBeforeKill = server.requestCount();
    expect(requestsBeforeKill).toBeLessThan(80);
    expect(() => readFileSync(candidates)).toThrow(); // no partial output

    const journal = readFileSync(`${candidates}.journal.jsonl`, "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "");
    const finished = new Set(journal.map((line) => (JSON.parse(line) as { tag: string }).tag));
    expect(finished.size).toBeGreaterThan(0);

    const second = await runCli(["sample", prompts, "--model", "writer", "--n", "4", "--out", candidates, "--json", ...llm()]);
    expect(second.stderr).not.toMatch(/error|failed \d*[1-9]/i);
    expect(second.code).toBe(0);
    const summary = JSON.parse(second.stdout);
    expect(summary).toMatchObject({ prompts: 20, candidates: 80, failedSamples: 0, replayed: finished.size, calls: 80 - finished.size });

    // Every request of the resumed run is for a sample the journal did not have.
    const resumed = server.requests.slice(requestsBeforeKill).map((r) => {
      const index = TOPICS.findIndex((t) => r.body.messages[0]!.content.includes(`about ${t}`));
      return `sample p${index}#${Number(r.body.seed)}`;
    });
    expect(resumed).toHaveLength(80 - finished.size);
    for (const tag of resumed) expect(finished.has(tag)).toBe(false);

    const rows = readCandidates(candidates);
    expect(rows).toHaveLength(80);
    expect(rows.map((c) => `${c.promptId}#${c.sample}`)).toEqual(TOPICS.flatMap((_, i) => [0, 1, 2, 3].map((s) => `p${i}#${s}`)));
    const one = rows[5]!; // p1 (500 words), sample 1 (×0.9: 450 items, the first a 5-word title)
    expect(one.requiredLength).toBe(500);
    expect(one.lengthWords).toBe(454);
    expect(one.lengthScore).toBeCloseTo(100 * (1 - (500 / 454 - 1) / 2), 6);
  });

  it("judges every candidate; a never-parsing reply is null + reason; a rerun makes 0 requests", async () => {
    const before = server.requestCount();
    const run = await runCli(["judge", candidates, "--judge-model", "judge-x", "--out", scored, "--json", ...llm()]);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ candidates: 80, fromCache: 0, unscored: 1, judgeModel: "judge-x" });
    expect(server.requestCount() - before).toBe(80 + 2); // the bad one is tried 3 times
    const rows = readCandidates(scored);
    const bad = rows.filter((c) => c.judgement!.scores === null);
    expect(bad).toHaveLength(1);
    expect(bad[0]!.judgement).toMatchObject({ quality: null, judgeModel: "judge-x" });
    expect(bad[0]!.judgement!.error).toMatch(/after 3 attempts/);
    for (const c of rows.filter((r) => r.judgement!.scores !== null)) {
      const mean = JUDGE_DIMENSIONS.reduce((a, d) => a + c.judgement!.scores![d], 0) / 6;
      expect(c.judgement!.quality).toBeCloseTo((mean - 1) * 25, 10);
      expect(c.judgement!.promptHash).toBe(summary.templateHash);
    }

    const mark = server.requestCount();
    const again = await runCli(["judge", candidates, "--judge-model", "judge-x", "--out", scored, "--json", ...llm()]);
    expect(again.code).toBe(0);
    expect(server.requestCount()).toBe(mark);
    expect(JSON.parse(again.stdout)).toMatchObject({ candidates: 80, fromCache: 80, calls: 0 });
    expect(readCandidates(scored)).toEqual(rows);
  });

  it("makes pairs with the paper's policy, with counts, audit and a card", async () => {
    const out = join(dir, "pairs");
    const run = await runCli(["pairs", scored, "--policy", "recipes/dpo-longwriter-paper.yaml", "--out", out, "--json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ mode: "pairs", policy: "longwriter-paper", candidates: 80, prompts: 20 });
    expect(summary.excludedCandidates).toEqual({ "missing-quality": 1 });
    expect(summary.pairs + Object.values(summary.skipped as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(20);
    expect(summary.pairs).toBeGreaterThanOrEqual(15);

    const dataset = await readPairsDataset({ dir: out });
    expect(dataset.signals).toEqual(["quality", "length"]);
    const scoredRows = readCandidates(scored);
    const byKey = new Map(scoredRows.map((c) => [`${c.promptId}#${c.sample}`, c]));
    let n = 0;
    for await (const pair of dataset.pairs()) {
      n += 1;
      const promptId = pair.meta!.promptId as string;
      const group = scoredRows.filter((c) => c.promptId === promptId && c.judgement!.quality !== null);
      const combined = (c: Candidate) => (c.judgement!.quality! + c.lengthScore!) / 2;
      const chosen = byKey.get(`${promptId}#${pair.meta!.chosenSample}`)!;
      const rejected = byKey.get(`${promptId}#${pair.meta!.rejectedSample}`)!;
      expect(chosen).not.toBe(rejected);
      expect(pair.chosen[0]!.content).toBe(chosen.response);
      expect(pair.rejected[0]!.content).toBe(rejected.response);
      expect(combined(chosen)).toBe(Math.max(...group.map(combined)));
      expect(pair.score_chosen!).toBeCloseTo(combined(chosen), 2);
      expect(pair.score_rejected!).toBeCloseTo(combined(rejected), 2);
      expect(pair.score_chosen!).toBeGreaterThan(pair.score_rejected!);
      expect(pair.signals!.quality!.chosen).toBe(chosen.judgement!.quality);
      expect(pair.prompt).toEqual([{ role: "user", content: chosen.prompt }]);
    }
    expect(n).toBe(summary.pairs);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(manifest.counts.pairs).toBe(summary.pairs);
    expect(manifest.policy.name).toBe("longwriter-paper");
    expect(manifest.audit.pairs).toBe(summary.pairs);
    expect(typeof manifest.audit.shareChosenLonger).toBe("number");
    const card = readFileSync(join(out, "README.md"), "utf8");
    expect(card).toContain("Length-bias audit");
    expect(card).toContain("strategy: random-other");
    expect(readFileSync(join(out, "pair-policy.yaml"), "utf8")).toBe(readFileSync("recipes/dpo-longwriter-paper.yaml", "utf8"));

    const trl = join(dir, "pairs-trl.jsonl");
    const exported = await runCli(["export", out, "--to", "trl", "--out", trl, "--json"]);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ target: "trl", rows: summary.pairs });
    const firstRow = JSON.parse(readFileSync(trl, "utf8").split("\n")[0]!);
    expect(Object.keys(firstRow)).toEqual(expect.arrayContaining(["prompt", "chosen", "rejected", "score_chosen", "score_rejected"]));
  });
});
