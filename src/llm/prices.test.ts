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
