/**
 * One run per output: a second process started on the same `--out` stops before its first call (it
 * would pay for every call again), a lock left by a killed run is taken over, and the lock is gone
 * when a run ends.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireOutputLock, OutputLockedError, withOutputLock } from "../src/io/output-lock.js";
import { startOpenAiServer, type OpenAiServer } from "./helpers/openai-server.js";
import { startCli } from "./helpers/run-cli.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const dir = makeTmpDir("output-lock-");

describe("acquireOutputLock", () => {
  it("refuses a second holder, and frees the output on release", async () => {
    const target = join(dir, "a.jsonl");
    const lock = await acquireOutputLock(target);
    expect(existsSync(`${target}.lock`)).toBe(true);
    await expect(acquireOutputLock(target)).rejects.toMatchObject({ code: "output_locked" });
    await lock.release();
    expect(existsSync(`${target}.lock`)).toBe(false);
    await withOutputLock(target, async () => expect(existsSync(`${target}.lock`)).toBe(true));
    expect(existsSync(`${target}.lock`)).toBe(false);
  });

  it("names a live holder in the error, and takes over the lock of a process that is gone", async () => {
    const target = join(dir, "b.jsonl");
    const sleeper = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
    try {
      writeFileSync(`${target}.lock`, JSON.stringify({ pid: sleeper.pid, host: hostname(), startedAt: "2026-01-01T00:00:00Z" }));
      const error = await acquireOutputLock(target).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OutputLockedError);
      expect((error as Error).message).toContain(`pid ${sleeper.pid}`);
      expect((error as OutputLockedError).exitCode).toBe(1);
    } finally {
      sleeper.kill("SIGKILL");
    }
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid;
    writeFileSync(`${target}.lock`, JSON.stringify({ pid: gone, host: hostname(), startedAt: "2026-01-01T00:00:00Z" }));
    const lock = await acquireOutputLock(target);
    expect(JSON.parse(readFileSync(`${target}.lock`, "utf8")).pid).toBe(process.pid);
    await lock.release();
  });
});

describe("two runs on one --out", () => {
  let server: OpenAiServer;
  // Answers wait for the gate, so the first run is surely still running when the second one starts.
  let openGate: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    openGate = resolve;
  });
  beforeAll(async () => {
    server = await startOpenAiServer({ respond: async () => gate.then(() => "word ".repeat(50)) });
  });
  afterAll(() => server.close());

  it("the second sample run exits 1 before calling the model; the first finishes alone", async () => {
    const prompts = join(dir, "prompts.jsonl");
    writeFileSync(prompts, `${Array.from({ length: 6 }, (_, i) => JSON.stringify({ prompt: `Write about topic ${i}.` })).join("\n")}\n`);
    const out = join(dir, "candidates.jsonl");
    const args = ["sample", prompts, "--out", out, "--model", "m", "--base-url", server.baseURL, "--n", "2", "--concurrency", "2"];
    const first = startCli(args, { env: { OPENAI_API_KEY: "sk-test-lock" } });
    // Wait until the first run holds the lock (it has started calling).
    const deadline = Date.now() + 30_000;
    while (server.requestCount() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const second = await startCli(args, { env: { OPENAI_API_KEY: "sk-test-lock" } }).done;
    expect(second.code).toBe(1);
    expect(second.stderr).toContain("is being written by another run");
    openGate();
    const firstResult = await first.done;
    expect(firstResult.code, firstResult.stderr).toBe(0);
    expect(server.requestCount()).toBe(12);
    expect(existsSync(`${out}.lock`)).toBe(false);
  });
});
