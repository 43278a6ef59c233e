/**
 * Scoring an existing predictions file (upstream pred.jsonl shape): S_l per item must equal hand-computed
 * values of Eq. 1 exactly — both branches, a zero-length output, and the 4× / ⅓ cut-offs — and
 * upstream judge.jsonl `scores` are used as the judgement without calling a judge.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";
import { runLongBenchWrite } from "../src/eval/run-longbench-write.js";

const words = (n: number): string => Array.from({ length: n }, () => "w").join(" ");
const zh = (n: number): string => "字".repeat(n);

/** [required, output, expected S_l] — expected values worked out by hand from Eq. 1. */
const CASES: Array<[number, number, number]> = [
  [1000, 1000, 100], // exact
  [1000, 2000, 200 / 3], // over: 100·(1 − 1/3)
  [1000, 1300, 90], // over: 100·(1 − 0.3/3)
  [1000, 4000, 0], // over: exactly 4× → 0
  [1000, 3999, 100 * (1 - 2.999 / 3)], // just under the 4× cut-off
  [1000, 9000, 0], // far over, clamped at 0
  [1000, 500, 50], // under: 100·(1 − 1/2)
  [1000, 800, 87.5], // under: 100·(1 − 0.25/2)
  [999, 333, 0], // under: exactly ⅓ → 0
  [1000, 334, 100 * (1 - (1000 / 334 - 1) / 2)], // just above ⅓
  [600, 100, 0], // far under, clamped at 0
  [1000, 0, 0], // empty output (upstream divides by zero)
  [300, 301, 100 * (1 - 1 / 900)], // over by one word
];

describe("eval --predictions", () => {
  const dir = makeTmpDir("lw-pred-");

  it("reproduces hand-computed S_l values exactly (both branches, 0, 4× and ⅓ cut-offs)", async () => {
    const bench = join(dir, "bench.jsonl");
    const predictions = join(dir, "pred.jsonl");
    writeFileSync(bench, CASES.map(([l], i) => JSON.stringify({ prompt: `Write text number ${i} of ${l} words.`, type: "t", length: l })).join("\n"));
    writeFileSync(
      predictions,
      CASES.map(([l, out], i) =>
        JSON.stringify({ prompt: `Write text number ${i} of ${l} words.`, type: "t", length: l, response: i % 2 ? words(out) : zh(out), response_length: out }),
      ).join("\n"),
    );
    const { run } = await runLongBenchWrite({ predictionsFile: predictions, benchFile: bench });
    expect(run.items.map((item) => item.outputLength)).toEqual(CASES.map(([, out]) => out));
    run.items.forEach((item, i) => expect(item.lengthScore, `case ${i}`).toBeCloseTo(CASES[i]![2], 12));
    const mean = CASES.reduce((sum, [, , s]) => sum + s, 0) / CASES.length;
    expect(run.summary.overall.lengthScore).toBeCloseTo(mean, 12);
    expect(run.summary.overall.qualityScore).toBeNull();
    expect(run.complete).toBe(true);
  });

  it("scores upstream-shaped rows through the CLI, using judge.jsonl scores and the real bench split", async () => {
    const benchRows = readFileSync("../shared/data/longbench-write/longbench_write.jsonl", "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const file = join(dir, "judge.jsonl");
    // Every item exactly on length; scores all 4 except Accuracy 2 → S_q = ((4−1)·25·5 + (2−1)·25)/6.
    const scores = { Relevance: 4, Accuracy: 2, Coherence: 4, Clarity: 4, "Breadth and Depth": 4, "Reading Experience": 4 };
    writeFileSync(
      file,
      benchRows.map((r: { length: number }) => JSON.stringify({ ...r, response: words(r.length), response_length: r.length, scores })).join("\n") + "\n",
    );
    const result = await runCli([
      "eval",
      "longbench-write",
      "--predictions",
      file,
      "--no-judge",
      "--json",
      "--bench-file",
      "../shared/data/longbench-write/",
      "--out",
      join(dir, "out"),
    ]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.overall.n).toBe(120);
    expect(summary.overall.S_l).toBe(100);
    expect(summary.overall.S_q).toBeCloseTo((75 * 5 + 25) / 6, 12);
    expect(summary.overall.S).toBeCloseTo((100 + (75 * 5 + 25) / 6) / 2, 12);
    expect(summary.byLanguage.en.n).toBe(60);
    expect(Object.values(summary.byBucket).map((b) => (b as { n: number }).n)).toEqual([26, 36, 31, 27]);
  });

  it("imports upstream judge.jsonl rows as upstream reads them: summary line skipped, float() values, a missing dimension as 3", async () => {
    const bench = join(dir, "bench6.jsonl");
    const file = join(dir, "upstream-judge.jsonl");
    const prompts = Array.from({ length: 6 }, (_, i) => ({ prompt: `Write piece ${i}.`, type: "t", length: 100 }));
    writeFileSync(bench, prompts.map((p) => JSON.stringify(p)).join("\n") + "\n");
    const dims = ["Relevance", "Accuracy", "Coherence", "Clarity", "Breadth and Depth", "Reading Experience"];
    const all = (v: unknown) => Object.fromEntries(dims.map((d) => [d, v]));
    const scores = [
      all("4"), // numeric strings
      { ...all(5), Clarity: 4.5 }, // a 4.5
      Object.fromEntries(dims.filter((d) => d !== "Clarity").map((d) => [d, 2])), // Clarity missing → 3
      { ...all(3), Clarity: "high" }, // float() cannot read it: unusable
      [1, 2, 3], // not an object: unusable
      { ...all(1), Relevance: 6 }, // out of range, taken as it is
    ];
    writeFileSync(
      file,
      prompts.map((p, i) => JSON.stringify({ ...p, response: words(100), response_length: 100, scores: scores[i] })).join("\n") +
        `\n${JSON.stringify({ ...all(50), total: 50 })}\n`,
    );
    const result = await runCli([
      "eval",
      "longbench-write",
      "--predictions",
      file,
      "--no-judge",
      "--json",
      "--bench-file",
      bench,
      "--out",
      join(dir, "imported"),
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/skipped 1 summary line\(s\) of upstream's judge\.jsonl/);
    expect(result.stderr).toMatch(
      /2 row\(s\) carry scores that cannot be used \(first: .*upstream-judge\.jsonl:4: field scores: scores\.Clarity is "high", which float\(\) cannot read\)/,
    );
    const summary = JSON.parse(result.stdout);
    expect(summary.overall).toMatchObject({ n: 6, judged: 4, S_l: 100 });
    // Per dimension over the 4 usable rows (4, 5, 2, 1 — Clarity 4, 4.5, 3, 1; Relevance 4, 5, 2, 6), (mean − 1) × 25.
    const dim = (values: number[]) => (values.reduce((a, b) => a + b, 0) / values.length - 1) * 25;
    const expected = (dim([4, 5, 2, 6]) + dim([4, 4.5, 3, 1]) + 4 * dim([4, 5, 2, 1])) / 6;
    expect(Math.abs(summary.overall.S_q - expected)).toBeLessThan(1e-12);
  });

  it("names the file, line and field of a bad predictions row", async () => {
    const file = join(dir, "bad.jsonl");
    writeFileSync(file, `${JSON.stringify({ prompt: "p", length: 10, response: "x" })}\n${JSON.stringify({ prompt: "q", length: -3, response: "y" })}\n`);
    await expect(runLongBenchWrite({ predictionsFile: file, benchFile: "../shared/data/longbench-write/longbench_write.jsonl" })).rejects.toThrow(
      /bad\.jsonl:2: field length: /,
    );
  });

  it("needs --model unless --predictions is given (usage error, exit 2)", async () => {
    const result = await runCli(["eval", "longbench-write", "--bench-file", "../shared/data/longbench-write/", "--no-judge"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--model is required/);
  });
  it("with SOURCE_DATE_EPOCH a rerun writes byte-identical scores.json and report.html", async () => {
    const bench = join(dir, "bench-epoch.jsonl");
    const predictions = join(dir, "pred-epoch.jsonl");
    writeFileSync(bench, `${JSON.stringify({ prompt: "Write 10 words.", type: "t", length: 10 })}\n`);
    writeFileSync(predictions, `${JSON.stringify({ prompt: "Write 10 words.", type: "t", length: 10, response: words(9) })}\n`);
    const env = { SOURCE_DATE_EPOCH: "1700000000" };
    const files = [];
    for (const name of ["epoch-a", "epoch-b"]) {
      const out = join(dir, name);
      const result = await runCli(["eval", "longbench-write", "--predictions", predictions, "--no-judge", "--bench-file", bench, "--out", out], { env });
      expect(result.code, result.stderr).toBe(0);
      files.push([readFileSync(join(out, "scores.json"), "utf8"), readFileSync(join(out, "report.html"), "utf8")]);
    }
    expect(files[0]![0]).toContain("2023-11-14T22:13:20.000Z");
    expect(files[1]).toEqual(files[0]);
    const bad = await runCli(["eval", "longbench-write", "--predictions", predictions, "--no-judge", "--bench-file", bench, "--out", join(dir, "epoch-bad")], {
      env: { SOURCE_DATE_EPOCH: "yesterday" },
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("SOURCE_DATE_EPOCH must be a whole number of seconds");
  });
});
