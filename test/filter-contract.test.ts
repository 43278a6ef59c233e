/**
 * One filter contract across stages: the same `Filter<SftRecord>` (a user's own, or the toolkit's)
 * drops rows in `runFilter` and in `mixDatasets`, each drop counted under its reason; recipe filters are
 * the toolkit's filters, their manifest keys carrying the recipe's threshold.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildRowFilter, recipeFilters } from "../src/mix/filters/build-row-filter.js";
import { mixDatasets } from "../src/mix/mix-datasets.js";
import type { SftRecord } from "../src/schemas/sft-record.js";
import { applyFilters, combineFilters, filterDrop, newFilterCounts, type Filter } from "../src/select/filter.js";
import { runFilter } from "../src/select/run-filter.js";
import { DROP_REASONS, minWords } from "../src/select/sft-filters.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const tmp = makeTmpDir("lw-filter-contract-");
const row = (id: string, answer: string): SftRecord => ({
  id,
  messages: [
    { role: "user", content: `Question ${id}?` },
    { role: "assistant", content: answer },
  ],
});
/** A user's own filter: drops answers that mention a banned word. */
const noBanana: Filter<SftRecord> = (record) => (record.messages.at(-1)!.content.includes("banana") ? filterDrop("mentions_banana", "banana") : true);

describe("one filter contract", () => {
  it("a user's filter and a toolkit filter combine and count by reason", async () => {
    const counts = newFilterCounts();
    const rows = [row("a", "ok ".repeat(10)), row("b", "banana ".repeat(10)), row("c", "short")];
    const kept: SftRecord[] = [];
    for await (const r of applyFilters({ records: rows, filter: combineFilters([noBanana, minWords(5)]), counts })) kept.push(r);
    expect(kept.map((r) => r.id)).toEqual(["a"]);
    expect(counts).toEqual({ read: 3, kept: 1, dropped: { mentions_banana: 1, too_short: 1 } });
  });

  it("recipe filters are the toolkit's filters, reasons from DROP_REASONS", () => {
    const filters = recipeFilters({ spec: { roles: { noSystem: true }, minWords: 3, maxWords: 5 } });
    const reasons = [row("a", "one"), row("b", "one two three four five six")].map((r) => combineFilters(filters)(r));
    expect(reasons).toEqual([filterDrop("too_short", "1 < 3 words"), filterDrop("too_long", "6 > 5 words")]);
    for (const r of reasons) expect(DROP_REASONS).toContain(r === true ? "" : r.reason);
    expect(buildRowFilter({ spec: { minWords: 3 } })!(row("a", "one"))).toBe("words<3");
  });

  it("runFilter and mixDatasets take the same user filter", async () => {
    const input = join(tmp, "rows.jsonl");
    const rows = Array.from({ length: 6 }, (_, i) => row(`r${i}`, i % 3 === 0 ? "a banana answer here" : "a plain answer here"));
    writeFileSync(input, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");

    const filtered = await runFilter({ input, out: join(tmp, "kept.jsonl"), filter: noBanana });
    expect(filtered).toMatchObject({ read: 6, kept: 4, dropped: { mentions_banana: 2 } });

    const { manifest } = await mixDatasets({
      recipe: { kind: "mix", name: "own-filter", seed: 1, sources: [{ source: "rows", path: input }] },
      baseDir: tmp,
      outDir: join(tmp, "mix"),
      filter: noBanana,
    });
    expect(manifest.sources[0]).toMatchObject({ input: 6, dropped: { mentions_banana: 2 } });
    expect(manifest.totals.rows).toBe(4);
  });
});
