import { describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import { ConfigError } from "../errors.js";
import { costOf, loadPrices } from "./prices.js";

const dir = makeTmpDir("lw-prices-");

describe("prices", () => {
  it("computes cost per 1M tokens, matching a dated model by prefix", () => {
    const table = { "gpt-4o": { input: 2.5, output: 10 }, "gpt-4o-mini": { input: 0.15, output: 0.6 } };
    expect(costOf(table, "gpt-4o", 1_000_000, 100_000)).toBeCloseTo(3.5, 10);
    expect(costOf(table, "gpt-4o-mini-2024-07-18", 1_000_000, 0)).toBeCloseTo(0.15, 10);
    expect(costOf(table, "llama", 5, 5)).toBe(0);
    expect(costOf(undefined, "gpt-4o", 5, 5)).toBe(0);
  });

  it("prices cached prompt tokens at cachedInput and batch calls at the batch prices (default: half)", () => {
    const table = { m: { input: 2, cachedInput: 0.5, output: 8 }, b: { input: 2, output: 8, batchInput: 1.5, batchOutput: 3, batchCachedInput: 0.1 } };
    const usage = { promptTokens: 1_000_000, cachedTokens: 400_000, completionTokens: 100_000 };
    expect(costOf(table, "m", usage)).toBeCloseTo(0.6 * 2 + 0.4 * 0.5 + 0.1 * 8, 10);
    expect(costOf(table, "m", usage, { batch: true })).toBeCloseTo((0.6 * 2 + 0.4 * 0.5 + 0.1 * 8) / 2, 10);
    expect(costOf(table, "b", usage, { batch: true })).toBeCloseTo(0.6 * 1.5 + 0.4 * 0.1 + 0.1 * 3, 10);
    // No cachedInput: cached tokens cost the full input price; more cached than prompt tokens is clamped.
    expect(costOf({ x: { input: 2, output: 0 } }, "x", { promptTokens: 10, cachedTokens: 50, completionTokens: 0 })).toBeCloseTo(20 / 1e6, 15);
  });

  it("loads a table and names the file and field on errors", async () => {
    const good = join(dir, "good.json");
    writeFileSync(good, JSON.stringify({ m: { input: 1, output: 2 } }));
    expect(await loadPrices(good)).toEqual({ m: { input: 1, output: 2 } });
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ m: { input: -1, output: 2 } }));
    const error = await loadPrices(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain("bad.json");
    expect((error as Error).message).toContain("m.input");
  });
});
