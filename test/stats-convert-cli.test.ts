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
});
