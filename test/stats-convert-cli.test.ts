/** `longwriter convert` and `longwriter stats` end to end through the CLI (exit codes, stdout/stderr, files). */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const DATA = fileURLToPath(new URL("../../shared/data/general-sft/", import.meta.url));
const dir = makeTmpDir("lw-cli-");

describe("longwriter convert / stats", () => {
  it("explains itself with --help", async () => {
    const convert = await runCli(["convert", "--help"]);
    expect(convert.code).toBe(0);
    for (const flag of ["--from", "--to", "--kind", "--skip-invalid", "--codec", "--json", "sharegpt-preference"]) expect(convert.stdout).toContain(flag);
    const stats = await runCli(["stats", "--help"]);
    expect(stats.code).toBe(0);
    for (const flag of ["--tokenizer", "--plot", "--plot-unit", "--json", "S_l"]) expect(stats.stdout).toContain(flag);
  });

  it("converts alpaca JSON to Parquet, then describes the Parquet file with --json and --plot", async () => {
    const out = join(dir, "alpaca.parquet");
    const converted = await runCli(["convert", DATA + "alpaca_zh_demo.json", out]);
    expect(converted.stderr).toBe("");
    expect(converted.code).toBe(0);
    expect(converted.stdout).toBe(`converted ${DATA}alpaca_zh_demo.json (alpaca) → ${out} (messages): 1000 written\n`);
    const svg = join(dir, "lengths.svg");
    const stats = await runCli(["stats", out, "--json", "--tokens", "--plot", svg]);
    expect(stats.code).toBe(0);
    const report = JSON.parse(stats.stdout) as { formats: string[]; stats: { rows: number; languages: Record<string, number>; tokens: { tokenizer: string } } };
    expect(report.formats).toEqual(["messages"]);
    expect(report.stats.rows).toBe(1000);
    expect(report.stats.languages.zh).toBeGreaterThan(900);
    expect(report.stats.tokens.tokenizer).toBe("o200k_base");
    expect(readFileSync(svg, "utf8")).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>\n$/);
  });

  it("stats without --tokens (or a --tokenizer) loads no tokenizer and reports no token statistics", async () => {
    const file = DATA + "alpaca_zh_demo.json";
    const plain = await runCli(["stats", file, "--json"]);
    expect(plain.code).toBe(0);
    const words = JSON.parse(plain.stdout) as { stats: { rows: number; tokens: unknown; tokenBuckets: unknown } };
    expect(words.stats.rows).toBe(1000);
    expect(words.stats.tokens).toBeNull();
    expect(words.stats.tokenBuckets).toBeNull();
    const tokensPlot = await runCli(["stats", file, "--plot", join(dir, "tokens.svg"), "--plot-unit", "tokens"]);
    expect(tokensPlot.code).toBe(2);
    expect(tokensPlot.stderr).toContain("--plot-unit tokens needs --tokens or a --tokenizer");
  });

  it("converts all 300 glaive tool-call rows; a malformed call fails with file:line:field, exit 1 and no output; --skip-invalid reports it", async () => {
    const outDir = join(dir, "bad");
    mkdirSync(outDir);
    const out = join(outDir, "out.json");
    const all = await runCli(["convert", DATA + "glaive_toolcall_en_demo.json", join(outDir, "glaive.parquet"), "--json"]);
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout)).toMatchObject({ read: 300, written: 300, skipped: 0 });
    // The demo as JSONL with one function_call broken on line 3 (its first call turn is conversations.3).
    const rows = JSON.parse(readFileSync(DATA + "glaive_toolcall_en_demo.json", "utf8")) as Array<{ conversations: Array<{ from: string; value: string }> }>;
    const broken = rows.findIndex((r) => r.conversations[3]?.from === "function_call");
    expect(broken).toBeGreaterThanOrEqual(0);
    rows[broken]!.conversations[3]!.value = '{"name": "search_recipes", "arguments": {"ingredients": ["rice"]}';
    const input = join(dir, "glaive-broken.jsonl");
    writeFileSync(input, `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
    const failed = await runCli(["convert", input, out]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      new RegExp(`^error: ${input.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:${broken + 1}: field conversations\\.3\\.value: function_call is not JSON`),
    );
    expect(readdirSync(outDir)).toEqual(["glaive.parquet"]);
    const skipped = await runCli(["convert", input, out, "--skip-invalid", "--json", "--to", "sharegpt"]);
    expect(skipped.code).toBe(0);
    const summary = JSON.parse(skipped.stdout) as { read: number; written: number; skipped: number; issues: Array<{ line: number; field: string }> };
    expect(summary).toMatchObject({ read: 299, written: 299, skipped: 1 });
    expect(summary.issues).toMatchObject([{ line: broken + 1, field: "conversations.3.value" }]);
    expect(readdirSync(outDir).sort()).toEqual(["glaive.parquet", "out.json"]);
  });

  it("exits 2 on a usage error", async () => {
    const input = join(dir, "in.jsonl");
    writeFileSync(input, '{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]}\n{"messages": [\n');
    const badFormat = await runCli(["convert", input, join(dir, "x.jsonl"), "--to", "csv-ish"]);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/^error: unknown --to format "csv-ish"; expected one of messages, sharegpt, alpaca/);
    expect(existsSync(join(dir, "x.jsonl"))).toBe(false);
  });
  it("describes candidates from sample / judge: responses against their recorded required length, prompts, judge quality", async () => {
    const judgement = (quality: number | null) => ({
      scores: { Relevance: 3, Accuracy: 3, Coherence: 3, Clarity: 3, "Breadth and Depth": 3, "Reading Experience": 3 },
      quality,
      analysis: "ok",
      judgeModel: "judge",
      promptHash: "h",
    });
    const candidate = (promptId: string, sample: number, words: number, requiredLength: number | null, quality?: number | null) => ({
      promptId,
      // The prompt states no length: the required length is the one sample recorded (a LongBench-Write row's field).
      prompt: `Write about ${promptId}.`,
      response: Array.from({ length: words }, () => "word").join(" "),
      model: "m",
      sample,
      lengthWords: words,
      requiredLength,
      lengthScore: null,
      ...(quality === undefined ? {} : { judgement: judgement(quality) }),
    });
    const rows = [candidate("a", 0, 1000, 1000, 50), candidate("a", 1, 500, 1000, 75), candidate("b", 0, 3000, null, null), candidate("b", 1, 2500, null)];
    const file = join(dir, "candidates.jsonl");
    writeFileSync(file, rows.map((row) => JSON.stringify(row)).join("\n") + "\n");
    const json = await runCli(["stats", file, "--json"]);
    expect(json.stderr).toBe("");
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { formats: string[]; stats: Record<string, any> };
    expect(report.formats).toEqual(["candidates"]);
    expect(report.stats).toMatchObject({ rows: 4, kind: "candidates", measured: "sampled response" });
    expect(report.stats.candidates).toMatchObject({ prompts: 2, judged: 2, quality: { min: 50, max: 75 } });
    expect(report.stats.words).toMatchObject({ min: 500, max: 3000 });
    expect(report.stats.over[0]).toMatchObject({ words: 2000, count: 2 });
    // S_l (Eq. 1) of the two candidates with a required length of 1000: 100 at 1000 words, 50 at 500.
    expect(report.stats.requiredLength).toMatchObject({ stated: 2, required: { min: 1000, max: 1000 }, sl: { min: 50, max: 100 } });
    const table = await runCli(["stats", file]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("4 candidates");
    expect(table.stdout).toMatch(/prompts\s+2 \(2\.0 candidates each\)/);
    expect(table.stdout).toMatch(/judged\s+2 \(50\.0%\) · quality mean 62\.5/);
    // Named explicitly it reads the same; a bad candidate names its line and field.
    expect((await runCli(["stats", file, "--from", "candidates", "--json"])).stdout).toBe(json.stdout);
    const bad = join(dir, "bad-candidates.jsonl");
    writeFileSync(bad, `${JSON.stringify(rows[0])}\n${JSON.stringify({ ...rows[1], sample: -1 })}\n`);
    const failed = await runCli(["stats", bad]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("bad-candidates.jsonl:2");
    expect(failed.stderr).toContain("sample");
  });
});
