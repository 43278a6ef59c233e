/**
 * End-to-end LongBench-Write through the CLI against the loopback OpenAI server: all 120 prompts,
 * scripted response lengths and judge replies, a SIGKILL mid-run and a resume, and numbers checked
 * against an expectation computed here independently of the toolkit's scoring code.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAiServer, type ChatBody, type OpenAiServer } from "./helpers/openai-server.js";
import { runCli, startCli } from "./helpers/run-cli.js";
import { createLlmClient } from "../src/llm/client.js";
import { runLongBenchWrite } from "../src/eval/run-longbench-write.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const BENCH = "../shared/data/longbench-write/longbench_write.jsonl";
const BENCH_EN = "../shared/data/longbench-write/longbench_write_en.jsonl";
const DIMS = ["Relevance", "Accuracy", "Coherence", "Clarity", "Breadth and Depth", "Reading Experience"] as const;

interface Row {
  prompt: string;
  type: string;
  length: number;
}
const rows: Row[] = readFileSync(BENCH, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Row);
const english = new Set(readFileSync(BENCH_EN, "utf8").trim().split("\n").map((l) => (JSON.parse(l) as Row).prompt));

/** Output length (in words) the scripted model writes for item i: a chosen fraction/multiple of the required length. */
const RATIOS = [1, 0.5, 2, 3, 0.25, 1.25, 4.5, 0.8];
const outputWords = (i: number): number => Math.round(rows[i]!.length * RATIOS[i % RATIOS.length]!);
/** Judge scores for item i; every 13th item gets a reply that never parses. */
const unparseable = (i: number): boolean => i % 13 === 5;
const judgeScores = (i: number): Record<(typeof DIMS)[number], number> => ({
  Relevance: 1 + (i % 5),
  Accuracy: 3,
  Coherence: 2 + (i % 4),
  Clarity: 5,
  "Breadth and Depth": 1 + (i % 2),
  "Reading Experience": 4,
});

/** Eq. 1, written out again here so the test does not trust the code under test. */
function expectedLengthScore(required: number, actual: number): number {
  if (actual === 0) return 0;
  if (actual > required) return Math.max(0, 100 - ((actual / required - 1) * 100) / 3);
  return Math.max(0, 100 - ((required / actual - 1) * 100) / 2);
}
function bucketOf(l: number): string {
  return l < 500 ? "[0,500)" : l < 2000 ? "[500,2k)" : l < 4000 ? "[2k,4k)" : "[4k,20k]";
}
function expected(indices: number[]) {
  const sl = indices.reduce((sum, i) => sum + expectedLengthScore(rows[i]!.length, outputWords(i)), 0) / indices.length;
  const judged = indices.filter((i) => !unparseable(i));
  const dimScores = DIMS.map((d) => (judged.reduce((sum, i) => sum + judgeScores(i)[d], 0) / judged.length - 1) * 25);
  const sq = dimScores.reduce((a, b) => a + b, 0) / DIMS.length;
  return { n: indices.length, sl, sq, s: (sl + sq) / 2, judged: judged.length, unparseable: indices.length - judged.length };
}

const indexByPrompt = new Map(rows.map((r, i) => [r.prompt, i]));
function itemOfJudgePrompt(content: string): number {
  // The judge prompt embeds the user request; pick the longest bench prompt it contains.
  let best = -1;
  for (const [prompt, i] of indexByPrompt) if (content.includes(prompt) && (best < 0 || prompt.length > rows[best]!.prompt.length)) best = i;
  if (best < 0) throw new Error("judge prompt names no bench item");
  return best;
}

let server: OpenAiServer;
let slowGeneration = true;
let generationCalls = 0;

beforeAll(async () => {
  server = await startOpenAiServer({
    respond: async (body: ChatBody, ctx) => {
      if (body.model === "gen-model") {
        generationCalls += 1;
        if (slowGeneration) await new Promise((r) => setTimeout(r, 40));
        const i = indexByPrompt.get(ctx.prompt);
        if (i === undefined) return { fault: "status", status: 400, body: "unknown prompt" };
        return Array.from({ length: outputWords(i) }, () => "word").join(" ");
      }
      const i = itemOfJudgePrompt(ctx.prompt);
      if (unparseable(i)) return "I would rather not give numbers for this one.";
      const scores = judgeScores(i);
      return `The response is on topic.\n\`\`\`json\n${JSON.stringify({ Analysis: "ok", ...scores })}\n\`\`\``;
    },
  });
});
afterAll(async () => {
  await server.close();
});

describe("eval longbench-write against the test server", () => {
  const dir = makeTmpDir("lw-eval-");

  it("runs all 120 prompts with the judge, survives a kill, resumes, and matches the hand-computed scores", async () => {
    const out = join(dir, "run");
    const args = [
      "eval",
      "longbench-write",
      "--base-url",
      server.baseURL,
      "--model",
      "gen-model",
      "--judge-model",
      "judge-model",
      "--judge-base-url",
      server.baseURL,
      "--bench-file",
      BENCH,
      "--upstream-dir",
      "../shared/data/longwriter-upstream",
      "--out",
      out,
      "--concurrency",
      "4",
      "--json",
    ];

    // First run: kill it once some generations have finished.
    const first = startCli(args);
    const deadline = Date.now() + 30_000;
    while (generationCalls < 30 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    first.child.kill("SIGKILL");
    const killed = await first.done;
    expect(killed.signal).toBe("SIGKILL");
    const callsBeforeKill = generationCalls;
    expect(callsBeforeKill).toBeGreaterThanOrEqual(30);
    expect(callsBeforeKill).toBeLessThan(120);

    // Second run: finishes, and only asks the model for what the journal does not hold.
    slowGeneration = false;
    const second = await runCli(args);
    expect(second.stderr).not.toMatch(/error/);
    expect(second.code).toBe(0);
    const callsInSecondRun = generationCalls - callsBeforeKill;
    expect(callsInSecondRun).toBeLessThanOrEqual(120 - callsBeforeKill + 4); // at most the in-flight calls repeat
    expect(callsInSecondRun).toBeGreaterThan(0);

    const summary = JSON.parse(second.stdout) as {
      complete: boolean;
      overall: { n: number; S_l: number; S_q: number; S: number; judged: number; unparseable: number };
      byBucket: Record<string, { n: number; S_l: number; S_q: number; S: number }>;
      byLanguage: Record<string, { n: number; S_l: number; S_q: number }>;
      usage: { generate: { replayed: number } };
    };
    expect(summary.complete).toBe(true);
    expect(summary.usage.generate.replayed).toBeGreaterThanOrEqual(callsBeforeKill - 4);

    const all = rows.map((_, i) => i);
    const want = expected(all);
    expect(summary.overall.n).toBe(120);
    expect(summary.overall.judged).toBe(want.judged);
    expect(summary.overall.unparseable).toBe(want.unparseable);
    expect(summary.overall.S_l).toBeCloseTo(want.sl, 9);
    expect(summary.overall.S_q).toBeCloseTo(want.sq, 9);
    expect(summary.overall.S).toBeCloseTo(want.s, 9);

    const bucketCounts = Object.fromEntries(Object.entries(summary.byBucket).map(([k, v]) => [k, v.n]));
    expect(bucketCounts).toEqual({ "[0,500)": 26, "[500,2k)": 36, "[2k,4k)": 31, "[4k,20k]": 27 });
    for (const bucket of Object.keys(bucketCounts)) {
      const w = expected(all.filter((i) => bucketOf(rows[i]!.length) === bucket));
      expect(summary.byBucket[bucket]!.S_l).toBeCloseTo(w.sl, 9);
      expect(summary.byBucket[bucket]!.S_q).toBeCloseTo(w.sq, 9);
      expect(summary.byBucket[bucket]!.S).toBeCloseTo(w.s, 9);
    }
    const en = expected(all.filter((i) => english.has(rows[i]!.prompt)));
    expect(summary.byLanguage.en!.n).toBe(60);
    expect(summary.byLanguage.zh!.n).toBe(60);
    expect(summary.byLanguage.en!.S_l).toBeCloseTo(en.sl, 9);
    expect(summary.byLanguage.en!.S_q).toBeCloseTo(en.sq, 9);

    // The run folder holds every artefact; predictions carry upstream's field names.
    const predictions = readFileSync(join(out, "predictions.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(predictions).toHaveLength(120);
    expect(predictions[2]).toMatchObject({ prompt: rows[2]!.prompt, length: rows[2]!.length, response_length: outputWords(2) });
    const judgements = readFileSync(join(out, "judgements.jsonl"), "utf8").trim().split("\n");
    expect(judgements).toHaveLength(120);
    const scores = JSON.parse(readFileSync(join(out, "scores.json"), "utf8"));
    expect(scores.summary.overall.lengthScore).toBeCloseTo(want.sl, 9);
    expect(readFileSync(join(out, "scores.md"), "utf8")).toContain(`| gen-model | ${want.s.toFixed(1)} | ${want.sl.toFixed(1)} | ${want.sq.toFixed(1)} |`);
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg" class="scatter"');
    expect(html).not.toMatch(/(src|href)="https?:/);

    // A third run is a pure replay: no HTTP call at all, same numbers.
    const before = server.requestCount();
    const third = await runCli(args);
    expect(third.code).toBe(0);
    expect(server.requestCount()).toBe(before);
    expect(JSON.parse(third.stdout).overall.S).toBeCloseTo(want.s, 9);
    // ... and its progress lines say the judge calls came from the journal.
    const judgeLines = third.stderr.split("\n").filter((line) => /^judge: \d+\/120 /.test(line));
    expect(judgeLines.length).toBeGreaterThan(0);
    expect(judgeLines.at(-1)).toMatch(/replayed [1-9]\d*\)$/);
  });

  it("marks the run incomplete when generation fails for some prompts, scoring the rest", async () => {
    const failing = await startOpenAiServer({
      respond: (body, ctx) => (ctx.prompt.startsWith("写") ? { fault: "status", status: 400, body: "bad request" } : "a few words only"),
    });
    const client = createLlmClient({ baseURL: failing.baseURL, model: "m", maxRetries: 0, journalPath: join(dir, "failing", "generate.journal.jsonl") });
    try {
      const { run, files } = await runLongBenchWrite({ generator: { client }, benchFile: BENCH, outDir: join(dir, "failing") });
      const zhWrite = rows.filter((r) => r.prompt.startsWith("写")).length;
      expect(zhWrite).toBeGreaterThan(0);
      expect(run.complete).toBe(false);
      expect(run.failures).toHaveLength(zhWrite);
      expect(run.failures[0]).toMatchObject({ stage: "generate", kind: "http" });
      expect(run.summary.overall.n).toBe(120 - zhWrite);
      expect(run.summary.overall.qualityScore).toBeNull();
      expect(JSON.parse(readFileSync(files!.scores!, "utf8")).complete).toBe(false);
    } finally {
      await client.close();
      await failing.close();
    }
  });
});
