/**
 * A judge call that fails in transport (HTTP error after retries, truncated or reset stream, a garbage
 * body, an empty completion) is an item failure, never an unparseable verdict: it is listed, exits 1,
 * is not cached or journaled, and a re-run asks only for it. For `judge` (DPO, issue 11 item 5): a run at
 * 20 % transport faults, then a clean re-run, equals a clean run. For `eval`: the item keeps its S_l.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stableHash } from "../src/text/record-id.js";
import { JUDGE_DIMENSIONS } from "../src/schemas/judgement.js";
import { startOpenAiServer, type OpenAiServer, type ServerFault } from "./helpers/openai-server.js";
import { runCli } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const TRANSPORT_FAULTS: ServerFault[] = [
  { fault: "500" },
  { fault: "truncate", text: "```json\n{\"Relev" },
  { fault: "reset", text: "The response" },
  { fault: "garbage" },
  { fault: "empty" },
  { fault: "status", status: 503 },
];

const dir = makeTmpDir("lw-judge-faults-");
let server: OpenAiServer;
let faultRate = 0;
/** Items whose judge calls fail (eval part), by a marker in the response. */
let failingMarkers = new Set<string>();
const seen = new Map<string, number>();

function verdict(content: string): string {
  const h = stableHash(content);
  const scores = Object.fromEntries(JUDGE_DIMENSIONS.map((d, i) => [d, 1 + (parseInt(h.slice(i * 2, i * 2 + 2), 16) % 5)]));
  return `Short analysis.\n\`\`\`json\n${JSON.stringify({ Analysis: "fine", ...scores })}\n\`\`\``;
}

beforeAll(async () => {
  server = await startOpenAiServer({
    respond: (body, ctx) => {
      const content = body.messages[0]!.content;
      const times = seen.get(ctx.request.key) ?? 0;
      seen.set(ctx.request.key, times + 1);
      const marker = /\[\[(fail-\d+)\]\]/.exec(content)?.[1];
      if (marker && failingMarkers.has(marker)) return { fault: "500" };
      if (faultRate > 0) {
        const roll = parseInt(stableHash({ key: ctx.request.key, times }).slice(0, 8), 16) / 0xffffffff;
        if (roll < faultRate) return TRANSPORT_FAULTS[Math.floor((roll / faultRate) * TRANSPORT_FAULTS.length) % TRANSPORT_FAULTS.length]!;
      }
      return verdict(content);
    },
  });
});
afterAll(() => server.close());

const env = { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined, LONGWRITER_UPSTREAM_DIR: undefined };

describe("judge (DPO): transport failures are item failures", () => {
  const input = join(dir, "candidates.jsonl");
  writeFileSync(
    input,
    Array.from({ length: 48 }, (_, i) =>
      JSON.stringify({
        promptId: `p${i >> 2}`,
        prompt: `Write about subject ${i >> 2}.`,
        response: `Answer ${i}: ${"text ".repeat(5 + (i % 7))}`,
        model: "m",
        sample: i % 4,
        lengthWords: 7,
        requiredLength: null,
        lengthScore: null,
      }),
    ).join("\n") + "\n",
  );
  const args = (out: string) => ["judge", input, "--out", out, "--model", "judge-m", "--base-url", server.baseURL, "--max-retries", "0", "--concurrency", "4", "--json"];

  it("a run at 20 % transport faults, then a clean re-run, equals a clean run", { timeout: 120_000 }, async () => {
    faultRate = 0;
    const clean = join(dir, "clean.jsonl");
    const reference = await runCli(args(clean), { env });
    expect(reference.code, reference.stderr).toBe(0);

    faultRate = 0.2;
    const out = join(dir, "faulty.jsonl");
    const faulty = await runCli(args(out), { env });
    expect(faulty.code).toBe(1);
    expect(faulty.stderr).toMatch(/\d+ candidate\(s\) got no verdict: the judge call failed in transport/);
    expect(existsSync(out)).toBe(false); // nothing half-written
    const failures = readFileSync(`${out}.failures.jsonl`, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { kind: string });
    const summary = JSON.parse(faulty.stdout) as { failed: number; unscored: number };
    expect(summary.failed).toBe(failures.length);
    expect(failures.length).toBeGreaterThan(0);
    expect(summary.unscored).toBe(0); // no transport failure became a null verdict
    for (const failure of failures) expect(["http", "truncated", "connection", "bad_response", "empty"]).toContain(failure.kind);
    // Nothing about the failed candidates was cached: only real verdicts are in the cache.
    const cached = readFileSync(`${out}.judge-cache.jsonl`, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { judgement: { scores: unknown } });
    expect(cached).toHaveLength(48 - failures.length);
    expect(cached.every((c) => c.judgement.scores !== null)).toBe(true);

    faultRate = 0;
    const before = server.requestCount();
    const rerun = await runCli(args(out), { env });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(server.requestCount() - before).toBe(failures.length); // only the failed ones are asked again
    expect(readFileSync(out, "utf8")).toBe(readFileSync(clean, "utf8"));
  });
});

describe("eval: a judge call failing in transport", () => {
  it("is listed, exits 1, keeps the item in S_l, is not journaled, and a re-run completes the clean numbers", { timeout: 120_000 }, async () => {
    const bench = "../shared/data/longbench-write/longbench_write.jsonl";
    const rows = readFileSync(bench, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { prompt: string; type: string; length: number });
    const predictions = join(dir, "pred.jsonl");
    writeFileSync(predictions, rows.map((r, i) => JSON.stringify({ ...r, response: `[[fail-${i}]] ${"word ".repeat(50 + i * 13)}` })).join("\n") + "\n");
    const args = (out: string) => [
      "eval", "longbench-write", "--predictions", predictions, "--bench-file", bench, "--judge-base-url", server.baseURL,
      "--upstream-dir", "../shared/data/longwriter-upstream", "--max-retries", "0", "--out", out, "--json",
    ];

    failingMarkers = new Set();
    const cleanRun = await runCli(args(join(dir, "eval-clean")), { env });
    expect(cleanRun.code, cleanRun.stderr).toBe(0);
    const clean = JSON.parse(cleanRun.stdout) as { overall: { n: number; S_l: number; S_q: number; judged: number } };
    expect(clean.overall).toMatchObject({ n: 120, judged: 120 });

    failingMarkers = new Set(["fail-3", "fail-77"]);
    const out = join(dir, "eval-faulty");
    const faulty = await runCli(args(out), { env });
    expect(faulty.code).toBe(1);
    expect(faulty.stderr).toMatch(/2 item\(s\) failed \(judge\/http\)/);
    const summary = JSON.parse(faulty.stdout) as { complete: boolean; overall: { n: number; S_l: number; judged: number; unparseable: number; judgeFailed: number } };
    expect(summary.complete).toBe(false);
    // S_l is over every prediction; S_q over the items that got a verdict; the two are not "unparseable".
    expect(summary.overall).toMatchObject({ n: 120, judged: 118, unparseable: 0, judgeFailed: 2 });
    expect(Math.abs(summary.overall.S_l - clean.overall.S_l)).toBeLessThan(1e-9);
    const scores = JSON.parse(readFileSync(join(out, "scores.json"), "utf8")) as {
      failures: Array<{ id: string; stage: string; kind: string }>;
      items: Array<{ id: string; judge: { status: string } }>;
    };
    expect(scores.failures.map((f) => [f.stage, f.kind])).toEqual([["judge", "http"], ["judge", "http"]]);
    const failedIds = new Set(scores.failures.map((f) => f.id));
    expect(scores.items.filter((item) => failedIds.has(item.id)).map((item) => item.judge.status)).toEqual(["failed", "failed"]);
    expect(readFileSync(join(out, "scores.md"), "utf8")).toContain("2 item(s) have no verdict (the judge call failed in transport)");
    const journal = readFileSync(join(out, "judge.journal.jsonl"), "utf8").trim().split("\n");
    expect(journal).toHaveLength(118);

    failingMarkers = new Set();
    const before = server.requestCount();
    const rerun = await runCli(args(out), { env });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(server.requestCount() - before).toBe(2);
    const done = JSON.parse(rerun.stdout) as { complete: boolean; overall: { S_l: number; S_q: number; judged: number } };
    expect(done).toMatchObject({ complete: true, overall: { judged: 120 } });
    expect(Math.abs(done.overall.S_q - clean.overall.S_q)).toBeLessThan(1e-9);
  });
});
