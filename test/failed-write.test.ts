/**
 * 20,000 good rows, then one bad line: every streaming command stops with one clean `file:line` error
 * (no stack trace, exit 1) and leaves nothing beside where its output would go — no output, no temp
 * file. For agentwrite the bad line is found before the first (paid) call.
 */
import { fileURLToPath } from "node:url";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAiServer, type OpenAiServer } from "./helpers/openai-server.js";
import { runCli } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

/** Upstream AgentWrite prompts from ../shared (agentwrite's default prompts; no download in tests). */
const UPSTREAM = fileURLToPath(new URL("../../shared/data/longwriter-upstream/", import.meta.url));

const dir = makeTmpDir("lw-failed-write-");
const ROWS = 20_000;
const BAD = ROWS + 1;

const sft = join(dir, "sft.jsonl");
const pairs = join(dir, "pairs.jsonl");
const prompts = join(dir, "prompts.jsonl");
let server: OpenAiServer;

beforeAll(async () => {
  const answer = "Roses are red and the sea is wide. ".repeat(12);
  const lines = (make: (i: number) => unknown, bad: string) => `${Array.from({ length: ROWS }, (_, i) => JSON.stringify(make(i))).join("\n")}\n${bad}\n`;
  writeFileSync(sft, lines((i) => ({ id: `r${i}`, messages: [{ role: "user", content: `Write a 300-word poem, number ${i}.` }, { role: "assistant", content: answer }] }), '{"messages": [oops'));
  writeFileSync(
    pairs,
    lines((i) => ({ id: `p${i}`, prompt: [{ role: "user", content: `Question ${i}?` }], chosen: [{ role: "assistant", content: answer }], rejected: [{ role: "assistant", content: "Short." }] }), '{"prompt": [oops'),
  );
  writeFileSync(prompts, lines((i) => ({ prompt: `Write a 2000-word essay about topic ${i}.` }), '{"prompt": [oops'));
  server = await startOpenAiServer({ respond: () => "Paragraph 1 - Main point: intro - Word count: 300 words" });
});
afterAll(() => server.close());

const cases: Array<{ name: string; input: string; args: (out: string) => string[] }> = [
  { name: "filter --min-words 1", input: sft, args: (out) => ["filter", sft, "--out", join(out, "kept.jsonl"), "--rejects", join(out, "rejects.jsonl"), "--min-words", "1"] },
  { name: "select", input: prompts, args: (out) => ["select", prompts, "--out", join(out, "selected.jsonl")] },
  { name: "export --to llama-factory", input: pairs, args: (out) => ["export", pairs, "--to", "llama-factory", "--out", out] },
  { name: "export --to trl", input: pairs, args: (out) => ["export", pairs, "--to", "trl", "--out", join(out, "trl.jsonl")] },
  { name: "convert to JSON", input: sft, args: (out) => ["convert", sft, join(out, "converted.json")] },
  { name: "convert to Parquet", input: sft, args: (out) => ["convert", sft, join(out, "converted.parquet")] },
  { name: "agentwrite", input: prompts, args: (out) => ["agentwrite", prompts, "--out", join(out, "sft.jsonl"), "--model", "m", "--base-url", server.baseURL] },
];

describe("a bad line after 20,000 good ones", () => {
  let n = 0;
  it.each(cases)("$name: one file:line error, exit 1, nothing left", async (c) => {
    const out = join(dir, `out-${n++}`);
    mkdirSync(out);
    const before = server.requestCount();
    const run = await runCli(c.args(out), { env: { OPENAI_API_KEY: undefined, LONGWRITER_UPSTREAM_DIR: UPSTREAM } });
    expect(run.code, run.stderr).toBe(1);
    const errors = run.stderr.split("\n").filter((line) => line.startsWith("error: "));
    expect(errors).toEqual([`error: ${c.input}:${BAD}: invalid JSON: ${errors[0]?.split("invalid JSON: ")[1] ?? "?"}`]);
    expect(run.stderr).not.toMatch(/^\s+at |ERR_STREAM_DESTROYED|node:events/m);
    expect(readdirSync(out)).toEqual([]);
    expect(server.requestCount()).toBe(before); // agentwrite validated the whole input before paying for a call
  });
});
