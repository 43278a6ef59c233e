/**
 * A hostile (or merely careless) OpenAI-compatible server echoes the request's Authorization header in
 * its 400/401/500 bodies and in an SSE error event. Whatever it echoes, the API key must not appear on
 * stdout, stderr or in any file the command writes (outputs, failure files, journals, caches,
 * scores.json, report.html), for sample, judge, agentwrite and eval (generation and judge).
 */
import { fileURLToPath } from "node:url";
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLlmClient } from "../src/llm/client.js";
import { LlmCallError } from "../src/llm/errors.js";
import { startOpenAiServer, type OpenAiServer, type ServerFault } from "./helpers/openai-server.js";
import { runCli } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

/** Upstream AgentWrite prompts from ../shared (agentwrite's default prompts; no download in tests). */
const UPSTREAM = fileURLToPath(new URL("../../shared/data/longwriter-upstream/", import.meta.url));

const dir = makeTmpDir("lw-secrets-");
/** An OpenAI-shaped key, and a gateway key of no recognisable shape (only the configured value finds it). */
const KEYS = { openai: "sk-proj-Zt4QvX9mWr2LpK7nB5cY8dHs", gateway: "gw.7f3a9b2c41d0e8aa" } as const;

type Mode = "400" | "401" | "500" | "sse";
const MODES: Mode[] = ["400", "401", "500", "sse"];
let mode: Mode = "400";

/** The fault of the current mode, carrying the Authorization header the server received. */
function echo(authorization: string | undefined): ServerFault {
  const header = authorization ?? "(none)";
  switch (mode) {
    case "400":
      return { fault: "status", status: 400, body: `Bad request. You sent Authorization: ${header}` };
    case "401":
      return {
        fault: "status",
        status: 401,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ error: { message: `Incorrect API key provided: ${header.replace(/^Bearer /, "")}. Header was "${header}"`, type: "invalid_request_error" } }),
      };
    case "500":
      return { fault: "status", status: 500, body: `upstream failed; request headers: {"authorization": "${header}", "x-key": "${header.slice(7)}"}` };
    case "sse":
      return { fault: "sse_error", message: `gateway error for ${header}`, text: "Partial " };
  }
}

let server: OpenAiServer;
beforeAll(async () => {
  server = await startOpenAiServer({
    respond: (body, ctx) => {
      // eval's generation model answers; everything else echoes the header back.
      if (body.model === "gen-ok") return "word ".repeat(50).trim();
      return echo(ctx.request.authorization);
    },
  });
});
afterAll(() => server.close());

/** Every file under `root`, recursively. */
function filesUnder(root: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

function expectNoSecret(where: string, text: string, key: string): void {
  expect(text.includes(key), `${where} holds the key`).toBe(false);
  expect(/Bearer\s+\S/.test(text), `${where} holds a Bearer token`).toBe(false);
  // No fragment long enough to matter either.
  expect(text.includes(key.slice(0, 12)), `${where} holds part of the key`).toBe(false);
}

const PROMPT = (n: number) => JSON.stringify({ id: `p${n}`, prompt: `Write a 300-word essay about topic ${n}.` });
const CANDIDATE = (n: number) =>
  JSON.stringify({ promptId: `p${n}`, prompt: `Write about ${n}.`, response: `An answer ${n}.`, model: "m", sample: 0, lengthWords: 3, requiredLength: null, lengthScore: null });

type Command = "sample" | "judge" | "agentwrite" | "eval-generation" | "eval-judge";
const COMMANDS: Command[] = ["sample", "judge", "agentwrite", "eval-generation", "eval-judge"];

function argsFor(command: Command, caseDir: string, keyEnv: string): string[] {
  const llm = ["--base-url", server.baseURL, "--api-key-env", keyEnv, "--max-retries", "0", "--concurrency", "2"];
  const prompts = join(caseDir, "prompts.jsonl");
  writeFileSync(prompts, `${PROMPT(1)}\n${PROMPT(2)}\n`);
  switch (command) {
    case "sample":
      return ["sample", prompts, "--model", "m", "--n", "2", "--out", join(caseDir, "out", "cands.jsonl"), "--json", ...llm];
    case "agentwrite":
      return ["agentwrite", prompts, "--model", "m", "--call-retries", "0", "--plan-attempts", "1", "--out", join(caseDir, "out", "sft.jsonl"), "--json", ...llm];
    case "judge": {
      const candidates = join(caseDir, "cands.jsonl");
      writeFileSync(candidates, `${CANDIDATE(1)}\n${CANDIDATE(2)}\n`);
      return ["judge", candidates, "--judge-model", "judge", "--attempts", "1", "--out", join(caseDir, "out", "scored.jsonl"), "--json", ...llm];
    }
    case "eval-generation":
    case "eval-judge": {
      const bench = join(caseDir, "bench.jsonl");
      const rows = readFileSync("../shared/data/longbench-write/longbench_write.jsonl", "utf8").split("\n").slice(0, 2);
      writeFileSync(bench, `${rows.join("\n")}\n`);
      return [
        "eval", "longbench-write", "--bench-file", bench, "--out", join(caseDir, "out", "run"), "--json",
        "--model", command === "eval-generation" ? "gen-bad" : "gen-ok",
        "--judge-model", "judge", "--judge-base-url", server.baseURL, "--judge-api-key-env", keyEnv, "--judge-attempts", "1",
        ...llm,
      ];
    }
  }
}

let counter = 0;
const cases = COMMANDS.flatMap((command) => MODES.map((m, i) => ({ command, mode: m, key: i % 2 === 0 ? KEYS.openai : KEYS.gateway })));

describe("no API key in any output when the server echoes the Authorization header", () => {
  it.each(cases)("$command, $mode", async (c) => {
    mode = c.mode;
    const caseDir = join(dir, `case-${counter++}`);
    mkdirSync(join(caseDir, "out"), { recursive: true });
    const before = server.requestCount();
    const run = await runCli(argsFor(c.command, caseDir, "LW_TEST_SECRET_KEY"), { env: { LW_TEST_SECRET_KEY: c.key, OPENAI_API_KEY: undefined, LONGWRITER_UPSTREAM_DIR: UPSTREAM } });
    // The server did receive the key, and echoed it: the test is not vacuous.
    const echoed = server.requests.slice(before).filter((r) => r.authorization === `Bearer ${c.key}`);
    expect(echoed.length).toBeGreaterThan(0);
    // Judge failures become item failures (exit 1) with issue 10; until then a verdict with a reason (exit 0).
    if (c.command === "judge" || c.command === "eval-judge") expect([0, 1], run.stderr).toContain(run.code);
    else expect(run.code, run.stderr).toBe(1);
    expectNoSecret("stdout", run.stdout, c.key);
    expectNoSecret("stderr", run.stderr, c.key);
    const files = filesUnder(join(caseDir, "out"));
    for (const file of files) expectNoSecret(file, readFileSync(file, "utf8"), c.key);
    // The failure is still explained.
    const everything = run.stderr + run.stdout + files.map((f) => readFileSync(f, "utf8")).join("\n");
    const judged = c.command === "judge" || c.command === "eval-judge";
    expect(everything).toMatch(judged ? /call failed|HTTP \d{3}|error event/ : c.mode === "sse" ? /gateway error for \[redacted\]/ : new RegExp(`HTTP ${c.mode}`));
  });
});

describe("LlmCallError messages and causes are redacted", () => {
  it("removes the configured key, Bearer tokens and key-shaped tokens from message and cause", async () => {
    mode = "401";
    const llm = createLlmClient({ baseURL: server.baseURL, model: "m", apiKey: KEYS.gateway, maxRetries: 0 });
    const error = await llm.chat({ messages: [{ role: "user", content: "hi" }] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    await llm.close();
    expect(LlmCallError.isLlmCallError(error)).toBe(true);
    const e = error as LlmCallError;
    expect(e.status).toBe(401);
    const text = `${e.message}\n${e.stack}\n${String((e.cause as Error).message)}\n${(e.cause as Error).stack}\n${JSON.stringify(e)}`;
    expect(text).not.toContain(KEYS.gateway);
    expect(text).not.toMatch(/Bearer\s+(?!\[redacted\])/);
    expect(e.message).toContain("[redacted]");
  });
});
