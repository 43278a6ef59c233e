/**
 * LongWrite-Ruler through the CLI against the loopback OpenAI server: a scripted model whose outputs
 * plateau (English at 6,000 words, Chinese at 9,000 characters) and is cut off at max tokens for L ≥ 20,000,
 * checked against values worked out by hand.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAiServer, type OpenAiServer } from "./helpers/openai-server.js";
import { runCli } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";
import { runLongBenchWrite } from "../src/eval/run-longbench-write.js";

const CJK = /[\u4e00-\u9fff]/;
let server: OpenAiServer;

beforeAll(async () => {
  server = await startOpenAiServer({
    respond: (_body, ctx) => {
      const L = Number(/(\d+)/.exec(ctx.prompt)![1]);
      const text = CJK.test(ctx.prompt) ? "字".repeat(Math.min(L, 9000)) : Array.from({ length: Math.min(L, 6000) }, () => "w").join(" ");
      // At L ≥ 20000 the model "runs out of tokens": the cut-off text is still the response, as upstream scores it.
      return { text, finishReason: L >= 20000 ? "length" : "stop" };
    },
  });
});
afterAll(() => server.close());

describe("eval ruler", () => {
  const dir = makeTmpDir("lw-ruler-");

  it("tables output vs required length per L and finds the largest L met", async () => {
    const out = join(dir, "ruler");
    const result = await runCli([
      "eval",
      "ruler",
      "--base-url",
      server.baseURL,
      "--model",
      "m",
      "--bench-file",
      "../shared/data/longbench-write/",
      "--out",
      out,
      "--json",
    ]);
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(0);
    expect(server.requestCount()).toBe(48); // no judge calls by default
    const summary = JSON.parse(result.stdout);
    const byL = Object.fromEntries(summary.ruler.byLength.map((r: { L: number }) => [r.L, r]));
    expect(Object.keys(byL).map(Number)).toEqual([1000, 2000, 5000, 10000, 20000, 30000]);
    expect(byL[5000]).toMatchObject({ n: 8, meanOutput: 5000, meanS_l: 100, meets: true });
    // L = 10000: en 6000 → 100·(1 − (10/6 − 1)/2) = 200/3; zh 9000 → 100·(1 − (10/9 − 1)/2) = 850/9.
    expect(byL[10000].meanOutput).toBe(7500);
    expect(byL[10000].meanS_l).toBeCloseTo((200 / 3 + 850 / 9) / 2, 10);
    expect(byL[10000].meets).toBe(true);
    // L = 20000: en 0 (6000 ≤ 20000/3); zh 100·(1 − (20/9 − 1)/2) = 350/9.
    expect(byL[20000].meanS_l).toBeCloseTo(350 / 9 / 2, 10);
    expect(summary.truncated).toBe(16);
    expect(summary.complete).toBe(true);
    expect(summary.ruler.maxRequiredLengthMet).toBe(10000);
    expect(summary.ruler.maxRequiredLengthMetByEvery).toBe(5000);
    expect(summary.ruler.maxOutputLength).toBe(9000);
    const scores = JSON.parse(readFileSync(join(out, "scores.json"), "utf8"));
    expect(scores.ruler.byLanguage.en.maxRequiredLengthMet).toBe(5000);
    expect(scores.ruler.byLanguage.zh.maxRequiredLengthMet).toBe(10000);
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain('<section id="ruler">');
  });

  it("report puts several runs side by side, with published rows on request", async () => {
    const pred = join(dir, "pred.jsonl");
    const rows = readFileSync("../shared/data/longbench-write/longbench_write.jsonl", "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const { writeFileSync } = await import("node:fs");
    writeFileSync(pred, rows.map((r: { length: number }) => JSON.stringify({ ...r, response: "w ".repeat(Math.min(r.length, 2000)) })).join("\n"));
    const lbw = join(dir, "lbw");
    await runLongBenchWrite({ predictionsFile: pred, benchFile: "../shared/data/longbench-write/", outDir: lbw, label: "capped" });
    const html = join(dir, "both.html");
    const result = await runCli(["report", lbw, join(dir, "ruler"), "--published", "--out", html, "--markdown", "-"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^### LongBench-Write/);
    expect(result.stdout).toContain("| capped |");
    expect(result.stdout).toContain("(published, not measured)");
    expect(result.stdout).toContain("### LongWrite-Ruler");
    const page = readFileSync(html, "utf8");
    expect(page.match(/<g class="series"/g)).toHaveLength(2);
    expect(page).toContain("published, not measured");

    const bad = await runCli(["report", join(dir, "nope")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/cannot read run .*nope/);
  });
});
