import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import { loadPairPolicy } from "./load-pair-policy.js";

const dir = makeTmpDir("pair-policy-");
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("loadPairPolicy", () => {
  it("loads every recipes/dpo-*.yaml with defaults applied", async () => {
    const files = readdirSync("recipes").filter((f) => /^dpo-.*\.yaml$/.test(f));
    expect(files.sort()).toEqual(["dpo-best-vs-worst.yaml", "dpo-length-matched.yaml", "dpo-longwriter-paper.yaml"]);
    for (const file of files) {
      const { policy, hash } = await loadPairPolicy({ path: join("recipes", file) });
      expect(policy.signals.length).toBeGreaterThan(0);
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
    }
    const { policy } = await loadPairPolicy({ path: "recipes/dpo-longwriter-paper.yaml" });
    expect(policy.rejected).toEqual({ strategy: "random-other" });
    expect(policy.signals.map((s) => [s.source, s.weight])).toEqual([
      ["quality", 1],
      ["lengthScore", 1],
    ]);
    expect(policy.minCandidates).toBe(2);
  });

  it.each([
    ["unknown field", "name: x\nsignals:\n  - name: q\n    source: quality\n    wieght: 2\n", /field signals\.0\.wieght: unknown field \(line 5\)/],
    ["bad strategy", "name: x\nsignals:\n  - {name: q, source: quality}\nrejected:\n  strategy: best\n", /field rejected(\.strategy)?: .*random-other/],
    [
      "gate on unknown signal",
      "name: x\nsignals:\n  - {name: q, source: quality}\ngates:\n  - {signal: len, min: 3}\n",
      /field gates\.0\.signal: unknown signal "len"/,
    ],
    ["breakBy unknown", "name: x\nsignals:\n  - {name: q, source: quality}\nties: {breakBy: nope}\n", /field ties\.breakBy: unknown signal/],
    ["duplicate name", "name: x\nsignals:\n  - {name: q, source: quality}\n  - {name: q, source: lengthScore}\n", /field signals\.1\.name: duplicate/],
    ["bad range", "name: x\nsignals:\n  - {name: q, source: meta.r, normalize: {min: 5, max: 1}}\n", /field signals\.0\.normalize/],
    ["no signals", "name: x\nsignals: []\n", /field signals/],
    ["bad yaml", "name: [x\n", /invalid YAML/],
    ["not a mapping", "- a\n", /a pair policy is a YAML mapping/],
  ])("%s → a ConfigError naming file and field", async (_label, text, pattern) => {
    const path = write(`p-${Math.random().toString(36).slice(2)}.yaml`, text);
    const error = await loadPairPolicy({ path }).then(
      () => undefined,
      (e: unknown) => e as Error & { exitCode: number },
    );
    expect(error?.message).toContain(path);
    expect(error?.message).toMatch(pattern);
    expect(error?.exitCode).toBe(2);
  });

  it("names a missing file", async () => {
    await expect(loadPairPolicy({ path: join(dir, "nope.yaml") })).rejects.toThrow(/nope\.yaml: pair policy file not found/);
  });
});
