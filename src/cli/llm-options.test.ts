import { describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import { ConfigError } from "../errors.js";
import { llmClientOptionsFromArgs, type LlmArgs } from "./llm-options.js";

const dir = makeTmpDir("lw-llm-options-");
const base: LlmArgs = {
  model: "m",
  "api-key-env": "OPENAI_API_KEY",
  concurrency: 4,
  timeout: 600,
  "idle-timeout": 600,
  "max-retries": 2,
  "max-retry-after": 60,
  stream: true,
  batch: false,
  "poll-interval": 30,
  "dry-run": false,
};

describe("llmClientOptionsFromArgs", () => {
  it("maps flags to client options (seconds → ms), loads prices and adds the journal", async () => {
    const prices = join(dir, "prices.json");
    writeFileSync(prices, JSON.stringify({ m: { input: 1, output: 2 } }));
    const options = await llmClientOptionsFromArgs(
      { ...base, "base-url": "http://127.0.0.1:9/v1", timeout: 1.5, "idle-timeout": 0.5, "max-retry-after": 2, prices, stream: false },
      { journalPath: "x.journal.jsonl" },
    );
    expect(options).toEqual({
      model: "m",
      apiKeyEnv: "OPENAI_API_KEY",
      concurrency: 4,
      timeoutMs: 500,
      deadlineMs: 1500,
      maxRetries: 2,
      maxRetryAfterMs: 2000,
      stream: false,
      baseURL: "http://127.0.0.1:9/v1",
      prices: { m: { input: 1, output: 2 } },
      journalPath: "x.journal.jsonl",
      onWarning: expect.any(Function),
    });
  });

  it("maps --batch, --poll-interval and --max-cost, and rejects bad values", async () => {
    const prices = join(dir, "prices-2.json");
    writeFileSync(prices, JSON.stringify({ m: { input: 1, output: 2 } }));
    const options = await llmClientOptionsFromArgs({ ...base, batch: true, "poll-interval": 0.5, "max-cost": 3, prices });
    expect(options.batch).toMatchObject({ pollIntervalSec: 0.5 });
    expect(options.maxCostUsd).toBe(3);
    await expect(llmClientOptionsFromArgs({ ...base, "max-cost": 3 })).rejects.toThrow(/--max-cost needs --prices/);
    await expect(llmClientOptionsFromArgs({ ...base, "max-cost": -1, prices })).rejects.toThrow(/--max-cost must be a positive/);
    await expect(llmClientOptionsFromArgs({ ...base, batch: true, "poll-interval": 0 })).rejects.toThrow(/--poll-interval/);
  });

  it.each([
    [{ concurrency: 0 }, "--concurrency"],
    [{ concurrency: 1.5 }, "--concurrency"],
    [{ timeout: -1 }, "--timeout"],
    [{ "idle-timeout": 0 }, "--idle-timeout"],
    [{ "api-key-env": "sk-not-a-name!" }, "--api-key-env"],
    [{ model: " " }, "--model"],
  ] as Array<[Partial<LlmArgs>, string]>)("rejects %j with a usage error", async (patch, flag) => {
    const error = await llmClientOptionsFromArgs({ ...base, ...patch }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    expect((error as Error).message).toContain(flag);
    expect((error as Error).message).not.toContain("sk-not-a-name");
  });
});
