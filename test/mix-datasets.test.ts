/**
 * mixDatasets end to end: determinism, seeds, accounting of every input row on the real LLaMA-Factory
 * demo files, the filtered (S_l ≥ 80) variant, decontamination, Hub sources through the pull seam, and
 * the quickstart recipe through the CLI.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readDatasetDir } from "../src/io/dataset-dir.js";
import { mixDatasets } from "../src/mix/mix-datasets.js";
import { publishableRecipe } from "../src/mix/publishable-recipe.js";
import type { MixManifest } from "../src/mix/mix-manifest.js";
import type { MixRecipe } from "../src/schemas/mix-recipe.js";
import { tempPathFor } from "../src/io/atomic-file.js";
import { PROJECT_ROOT, runCli, startCli } from "./helpers/run-cli.js";
import { filesOf } from "./helpers/files-of.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const tmp = makeTmpDir("lw-mix-");
const EXAMPLES = join(process.cwd(), "examples/data");
const GENERAL = join(process.cwd(), "../shared/data/general-sft");

async function ids(dir: string, split = "train"): Promise<string[]> {
  const dataset = await readDatasetDir(dir);
  const out: string[] = [];
  for await (const { record } of dataset.rows<{ id: string }>(split)) out.push(record.id);
  return out;
}

function checkAccounting(manifest: MixManifest): void {
  for (const s of manifest.sources) {
    const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0);
    expect(dropped + s.notSampled + s.obtained.uniqueRows, `${s.source}: taken + dropped + not sampled = input`).toBe(s.input);
  }
  expect(manifest.balanced).toBe(true);
}

describe("mixDatasets", () => {
  it("quickstart: same seed → byte-identical dataset dirs; another seed → another order", async () => {
    const a = join(tmp, "qs-a");
    const b = join(tmp, "qs-b");
    const c = join(tmp, "qs-c");
    const first = await mixDatasets({ recipePath: "recipes/quickstart.yaml", outDir: a });
    await mixDatasets({ recipePath: "recipes/quickstart.yaml", outDir: b });
    const filesA = filesOf(a);
    expect(Object.keys(filesA).sort()).toEqual(
      ["README.md", "data/test-00000-of-00001.parquet", "data/train-00000-of-00001.parquet", "length-histogram.svg", "manifest.json", "recipe.yaml"].sort(),
    );
    expect(filesOf(b)).toEqual(filesA);

    const other = await mixDatasets({ recipePath: "recipes/quickstart.yaml", outDir: c, seed: 7 });
    const [idsA, idsC] = [
      [...(await ids(a)), ...(await ids(a, "test"))],
      [...(await ids(c)), ...(await ids(c, "test"))],
    ];
    expect(idsC).not.toEqual(idsA);
    // Row totals may differ by seed: upsampled copies of the rows drawn for the test split leave train.
    expect(idsC.length).toBe(other.manifest.totals.rows);
    expect(idsA.length).toBe(first.manifest.totals.rows);

    const m = first.manifest;
    checkAccounting(m);
    const bySource = Object.fromEntries(m.sources.map((s) => [s.source, s]));
    // long-writing: the 55-word refusal is dropped, the other 9 rows are taken twice (fraction 2).
    expect(bySource["long-writing"]).toMatchObject({ input: 10, dropped: { "words<500": 1 }, candidates: 9, copies: 2, upsampleFactor: 2 });
    expect(bySource["long-writing"]!.obtained).toMatchObject({ rows: 18, uniqueRows: 9 });
    expect(bySource["general-sharegpt"]!.obtained.rows).toBe(15);
    // the Alpaca copy of a chat row ("name three primary colours") is an exact duplicate after normalising
    expect(bySource["general-alpaca"]!.dropped["duplicate:exact"]).toBe(1);
    // share 0.2 of the final mixture: 16 of 79 rows
    const total = m.totals.rows;
    expect(bySource["general-alpaca"]!.obtained.rows).toBe(Math.round(0.2 * ((total - bySource["general-alpaca"]!.obtained.rows) / 0.8)));
    expect(m.splitTotals.test!.rows).toBe(Math.round(0.1 * total));
    const written = await readDatasetDir(a);
    expect(written.manifest.splits.train!.rows + written.manifest.splits.test!.rows).toBe(total);
    const card = readFileSync(join(a, "README.md"), "utf8");
    expect(card).toMatch(/## Mixture/);
    expect(card).toMatch(/\| long-writing \| 10 \| 1 \| 9 \| fraction 2, upsampled ×2 \| 18 \| 9 \|/);
    expect(card).toMatch(/length-histogram\.svg/);
    // the recipe as written, its local paths cut to file names (as the card names them)
    const copied = readFileSync(join(a, "recipe.yaml"), "utf8");
    expect(copied).toBe(publishableRecipe(readFileSync("recipes/quickstart.yaml", "utf8")));
    expect(copied).not.toMatch(/path: \.\.\//);
    expect(copied).toContain("    path: long-writing.jsonl\n");
  });

  it("real LLaMA-Factory files + a long-output set: the manifest accounts for every input row", async () => {
    const dir = join(tmp, "real");
    writeFileSync(
      join(dir + "-recipe.yaml"),
      [
        "name: real-mix",
        "seed: 11",
        "sources:",
        `  - { source: long, path: ${EXAMPLES}/long-writing.jsonl, amount: { count: 25 }, filters: { minWords: 500 } }`,
        `  - { source: alpaca-en, path: ${GENERAL}/alpaca_en_demo.json, amount: { fraction: 0.5 } }`,
        `  - { source: alpaca-zh, path: ${GENERAL}/alpaca_zh_demo.json, amount: { words: 20k } }`,
        `  - { source: glaive, path: ${GENERAL}/glaive_toolcall_en_demo.json, amount: { count: 40 } }`,
        `  - { source: identity, path: ${GENERAL}/identity.json, amount: { share: 0.05 } }`,
        `  - { source: kto, path: ${GENERAL}/kto_en_demo.json, amount: { count: 50 } }`,
        "filters: { roles: true }",
        "dedup: { exact: true }",
        "",
      ].join("\n"),
    );
    const { manifest, dataset } = await mixDatasets({ recipePath: `${dir}-recipe.yaml`, outDir: dir });
    checkAccounting(manifest);
    const inputRows = (file: string) => (JSON.parse(readFileSync(join(GENERAL, file), "utf8")) as unknown[]).length;
    const bySource = Object.fromEntries(manifest.sources.map((s) => [s.source, s]));
    expect(bySource["alpaca-en"]!.input).toBe(inputRows("alpaca_en_demo.json"));
    expect(bySource["alpaca-zh"]!.input).toBe(inputRows("alpaca_zh_demo.json"));
    expect(bySource.glaive!.input).toBe(inputRows("glaive_toolcall_en_demo.json"));
    expect(bySource.identity!.input).toBe(inputRows("identity.json"));
    expect(bySource.kto!.input).toBe(inputRows("kto_en_demo.json"));
    // tool-call rows are SFT records too: none of glaive's 300 rows is invalid
    expect(bySource.glaive!.dropped.invalid).toBeUndefined();
    expect(bySource.glaive!.invalidExamples).toEqual([]);
    // fraction 0.5 of the candidates, rounded
    expect(bySource["alpaca-en"]!.obtained.rows).toBe(Math.round(0.5 * bySource["alpaca-en"]!.candidates));
    // the word budget is met by whole rows, overshooting by less than one row
    expect(bySource["alpaca-zh"]!.obtained.words).toBeGreaterThanOrEqual(20_000);
    expect(bySource["alpaca-zh"]!.obtained.words).toBeLessThan(21_500);
    // count 25 of 9 long rows: two whole copies + 7 random rows
    expect(bySource.long).toMatchObject({ copies: 2, obtained: { rows: 25, uniqueRows: 9 } });
    // the written rows are exactly what the manifest says was taken
    const taken = manifest.sources.reduce((n, s) => n + s.obtained.rows, 0);
    expect(dataset.splits.train!.rows).toBe(taken);
    const sources = new Map<string, number>();
    for await (const { record } of (await readDatasetDir(dir)).rows<{ source: string; messages: unknown[] }>("train")) {
      sources.set(record.source, (sources.get(record.source) ?? 0) + 1);
    }
    for (const s of manifest.sources) expect(sources.get(s.source) ?? 0, s.source).toBe(s.obtained.rows);
    // the order is shuffled, not source by source
    const order = await ids(dir);
    expect(order.slice(0, 30).some((id, i, all) => i > 0 && all[i - 1] !== undefined && id !== all[i - 1])).toBe(true);
  });

  it("the filtered variant keeps rows with one explicit length and S_l ≥ 80", async () => {
    const { manifest } = await mixDatasets({
      recipe: {
        name: "filtered",
        sources: [{ source: "long", path: "examples/data/long-writing.jsonl", filters: { requireLength: true, minLengthScore: 80 } }],
      },
      baseDir: process.cwd(),
      outDir: join(tmp, "filtered"),
    });
    expect(manifest.sources[0]!.dropped).toEqual({ "length-score<80": 3, "no-required-length": 2 });
    expect((await ids(join(tmp, "filtered"))).sort()).toEqual(["long-01", "long-02", "long-03", "long-07", "long-08"]);
  });

  it("decontaminates against eval prompt files and reports the prompt each row matched", async () => {
    const evalFile = join(tmp, "eval.jsonl");
    const long = readFileSync(join(EXAMPLES, "long-writing.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    writeFileSync(
      evalFile,
      [
        { prompt: long[2].messages[0].content, type: "x", length: 2000 },
        { prompt: "Compose an epic poem about a dragon who collects lost umbrellas in a rainy city.", type: "x", length: 500 },
      ]
        .map((r) => JSON.stringify(r))
        .join("\n") + "\n",
    );
    const { manifest } = await mixDatasets({
      recipe: { name: "decon", sources: [{ source: "long", path: "examples/data/long-writing.jsonl" }] },
      baseDir: process.cwd(),
      outDir: join(tmp, "decon"),
      decontaminateWith: [evalFile],
    });
    expect(manifest.decontamination).toMatchObject({ dropped: 1, evalPrompts: 2, ngram: 8, threshold: 0.5 });
    expect(manifest.decontamination!.matches[0]).toMatchObject({ source: "long", id: "long-03", line: 3, evalLine: 1, overlap: 1 });
    expect(manifest.sources[0]!.dropped).toEqual({ contaminated: 1 });
  });

  it("Hub sources: fetched through pullDataset, resolved sha recorded in the manifest and card", async () => {
    const calls: unknown[] = [];
    const { manifest } = await mixDatasets({
      recipe: {
        name: "hub",
        sources: [{ source: "lw", repo: "THUDM/LongWriter-6k", revision: "main", files: ["long.jsonl"], amount: { count: 4 } }],
      },
      outDir: join(tmp, "hub"),
      pullDataset: async (args) => {
        calls.push(args);
        return { sha: "a".repeat(40), files: [{ path: "long.jsonl", localPath: join(EXAMPLES, "long-writing.jsonl") }] };
      },
    });
    expect(calls).toEqual([{ repo: "THUDM/LongWriter-6k", revision: "main", files: ["long.jsonl"] }]);
    expect(manifest.sources[0]!.location).toEqual({ kind: "hub", repo: "THUDM/LongWriter-6k", revision: "main", sha: "a".repeat(40), files: ["long.jsonl"] });
    expect(readFileSync(join(tmp, "hub", "README.md"), "utf8")).toContain("a".repeat(40));
  });

  it("the CLI runs the quickstart recipe and prints a JSON summary", async () => {
    const out = join(tmp, "cli");
    const result = await runCli(["mix", "recipes/quickstart.yaml", "--out", out, "--json"]);
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as MixManifest & { outDir: string };
    expect(summary.outDir).toBe(out);
    expect(summary.recipe.name).toBe("quickstart");
    expect(summary.totals.rows).toBe(summary.splitTotals.train!.rows + summary.splitTotals.test!.rows);
    expect(filesOf(out)["data/train-00000-of-00001.parquet"]).toEqual(filesOf(join(tmp, "qs-a"))["data/train-00000-of-00001.parquet"]);
  });

  it("the CLI refuses a bad LONGWRITER_DIRECT_IO before reading anything (exit 2), and runs with it off", async () => {
    const bad = join(tmp, "cli-direct-bad");
    const refused = await runCli(["mix", "recipes/quickstart.yaml", "--out", bad], { env: { LONGWRITER_DIRECT_IO: "maybe" } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('LONGWRITER_DIRECT_IO must be one of auto, off, got "maybe"');
    expect(readdirSync(tmp).filter((name) => name.includes("cli-direct-bad"))).toEqual([]);
    // Before the first pass: no source is read.
    const phases: string[] = [];
    const saved = process.env.LONGWRITER_DIRECT_IO;
    process.env.LONGWRITER_DIRECT_IO = "maybe";
    try {
      await expect(mixDatasets({ recipePath: "recipes/quickstart.yaml", outDir: bad, onProgress: (event) => phases.push(event.phase) })).rejects.toThrow(
        "LONGWRITER_DIRECT_IO",
      );
    } finally {
      if (saved === undefined) delete process.env.LONGWRITER_DIRECT_IO;
      else process.env.LONGWRITER_DIRECT_IO = saved;
    }
    expect(phases.filter((phase) => phase !== "resolve")).toEqual([]);

    const off = join(tmp, "cli-direct-off");
    const result = await runCli(["mix", "recipes/quickstart.yaml", "--out", off], { env: { LONGWRITER_DIRECT_IO: "off" } });
    expect(result.code).toBe(0);
    expect(filesOf(off)).toEqual(filesOf(join(tmp, "qs-a")));
  });
});

describe("mixDatasets: token budgets and language filters", () => {
  it("takes rows until a cl100k_base token budget is met and keeps only the languages asked for", async () => {
    const { manifest } = await mixDatasets({
      recipe: {
        name: "tokens",
        seed: 3,
        tokenizer: "cl100k_base",
        sources: [
          { source: "zh-long", path: "examples/data/long-writing.jsonl", filters: { languages: ["zh"] } },
          { source: "chat", path: "examples/data/general-chat.jsonl", amount: { tokens: "1.5k" } },
        ],
      },
      baseDir: process.cwd(),
      outDir: join(tmp, "tokens"),
    });
    const [zh, chat] = manifest.sources;
    expect(zh!.dropped).toEqual({ "language:en": 6 });
    expect(zh!.obtained.rows).toBe(4);
    expect(chat!.amount).toEqual({ kind: "tokens", requested: 1500, unit: "tokens", tokenizer: "cl100k_base" });
    expect(chat!.obtained.tokens).toBeGreaterThanOrEqual(1500);
    expect(chat!.obtained.tokens).toBeLessThan(1500 + 200); // whole rows: overshoot below one row
    expect(chat!.obtained.rows).toBeLessThan(chat!.candidates);
    expect(manifest.totals.tokens).toBe(zh!.obtained.tokens! + chat!.obtained.tokens!);
    expect(manifest.tokenizer).toBe("cl100k_base");
  });

  it("an unknown tokenizer names the recipe field", async () => {
    await expect(
      mixDatasets({
        recipe: { name: "t", sources: [{ path: "examples/data/general-chat.jsonl", amount: { tokens: 100, tokenizer: "glm4" } }] },
        baseDir: process.cwd(),
        outDir: join(tmp, "tok-bad"),
      }),
    ).rejects.toThrow(/<recipe>: field sources\.0\.amount\.tokenizer: .*glm4/);
  });
});

describe("mixDatasets: splits and output layout", () => {
  it("testSources feed only the test split; output options shard and compress", async () => {
    const out = join(tmp, "layout");
    const { manifest, dataset } = await mixDatasets({
      recipe: {
        name: "layout",
        sources: [
          { source: "chat", path: "examples/data/general-chat.jsonl" },
          { source: "alpaca", path: "examples/data/general-alpaca.json", amount: { count: 10 } },
          { source: "heldout", path: "examples/data/general-sharegpt.json", amount: { count: 8 } },
        ],
        splits: { testSources: ["heldout"] },
        output: { compression: "zstd", rowGroupRows: 5, shardMB: 0.004 },
      },
      baseDir: process.cwd(),
      outDir: out,
    });
    expect(manifest.sources.map((s) => s.split)).toEqual(["train", "train", "test"]);
    expect(manifest.splitTotals.test!.rows).toBe(8);
    expect(dataset.codec).toBe("ZSTD");
    expect(dataset.splits.train!.files.length).toBeGreaterThan(1);
    const sources = new Set<string>();
    for await (const { record } of (await readDatasetDir(out)).rows<{ source: string }>("test")) sources.add(record.source);
    expect([...sources]).toEqual(["heldout"]);
    const trainRows = dataset.splits.train!.rows;
    expect(trainRows).toBe(manifest.sources[0]!.obtained.rows + 10);
  });

  it("a test size of N rows is carved from the shuffled mixture; one that leaves no train rows is an error", async () => {
    const recipe = (test: number) => ({ name: "split", sources: [{ source: "chat", path: "examples/data/general-chat.jsonl" }], splits: { test } });
    const { manifest } = await mixDatasets({ recipe: recipe(5), baseDir: process.cwd(), outDir: join(tmp, "split5") });
    expect([manifest.splitTotals.train!.rows, manifest.splitTotals.test!.rows]).toEqual([25, 5]);
    await expect(mixDatasets({ recipe: recipe(30), baseDir: process.cwd(), outDir: join(tmp, "split30") })).rejects.toThrow(
      /field splits\.test: a test split of 30 leaves no training rows/,
    );
  });
});

describe("mixDatasets: evalscope's length rule", () => {
  it("reads required lengths with evalscope's regexes when lengthRule is evalscope", async () => {
    const { manifest } = await mixDatasets({
      recipe: {
        name: "evalscope",
        sources: [{ source: "long", path: "examples/data/long-writing.jsonl", filters: { requireLength: true, lengthRule: "evalscope", minLengthScore: 80 } }],
      },
      baseDir: process.cwd(),
      outDir: join(tmp, "evalscope"),
    });
    // Only "2000字" and "800字" prompts state a length under the regexes ("2,000-word", "800-word" do not).
    expect(manifest.sources[0]!.dropped).toEqual({ "no-required-length": 7, "length-score<80": 1 });
    expect((await ids(join(tmp, "evalscope"))).sort()).toEqual(["long-03", "long-08"]);
  });
});

describe("mix scratch space", () => {
  it("removes the row spool of a killed run and leaves none of its own", async () => {
    const root = makeTmpDir("lw-mix-spool-");
    const outDir = join(root, "out");
    // A spool left by a process that no longer exists (pid 4194305 is above Linux's largest pid_max).
    const stale = tempPathFor(outDir).replace(`.${process.pid}.`, ".4194305.");
    writeFileSync(stale, "{}\n");
    await mixDatasets({
      baseDir: join(PROJECT_ROOT, "examples"),
      outDir,
      recipe: { name: "spool", seed: 1, sources: [{ source: "chat", path: "data/general-chat.jsonl", amount: { count: 5 } }] },
    });
    expect(readdirSync(root)).toEqual(["out"]);
  });

  it("removes the temp dir of a killed run, and keeps those of live processes and a dir moved aside", async () => {
    const root = makeTmpDir("lw-mix-tempdir-");
    const outDir = join(root, "out");
    const staleDir = join(root, ".out.tmp-4194305-0badcafe");
    mkdirSync(join(staleDir, "data"), { recursive: true });
    writeFileSync(join(staleDir, "data", "train-00000-of-00001.parquet"), "half");
    const live = join(root, `.out.tmp-${process.ppid}-0badcafe`);
    const aside = join(root, ".out.tmp-4194305-0badcafe.old");
    mkdirSync(live);
    mkdirSync(aside);
    await mixDatasets({
      baseDir: join(PROJECT_ROOT, "examples"),
      outDir,
      recipe: { name: "tempdir", seed: 1, sources: [{ source: "chat", path: "data/general-chat.jsonl", amount: { count: 5 } }] },
    });
    expect(readdirSync(root).sort()).toEqual([".out.tmp-4194305-0badcafe.old", `.out.tmp-${process.ppid}-0badcafe`, "out"].sort());
  });

  it("stops when aborted, in the first pass or while writing: the earlier output stays, no scratch is left", async () => {
    const root = makeTmpDir("lw-mix-abort-");
    const outDir = join(root, "out");
    const recipe: MixRecipe = {
      name: "abort",
      seed: 1,
      sources: [
        { source: "chat", path: "data/general-chat.jsonl" },
        { source: "long", path: "data/long-writing.jsonl" },
      ],
      output: { rowGroupRows: 5 },
    };
    await mixDatasets({ baseDir: join(PROJECT_ROOT, "examples"), outDir, recipe });
    const before = filesOf(outDir);
    // "read" comes when the first source is read (the second is not yet), "write" after the first row group.
    for (const phase of ["read", "write"]) {
      const controller = new AbortController();
      const seen: string[] = [];
      const run = mixDatasets({
        baseDir: join(PROJECT_ROOT, "examples"),
        outDir,
        recipe: { ...recipe, seed: 2 },
        signal: controller.signal,
        onProgress: (event) => {
          seen.push(`${event.phase}:${"source" in event ? event.source : event.split}`);
          if (event.phase === phase) controller.abort();
        },
      });
      await expect(run, phase).rejects.toMatchObject({ name: "AbortError" });
      // It stopped there: the second source was not read, or no second row group was written.
      expect(
        seen.filter((event) => event.startsWith(`${phase}:`)),
        phase,
      ).toEqual([phase === "read" ? "read:chat" : "write:train"]);
      expect(filesOf(outDir), phase).toEqual(before);
      expect(readdirSync(root), phase).toEqual(["out"]);
    }
  });

  it("the CLI stops on Ctrl-C with exit 130, says nothing was written, and leaves no scratch", async () => {
    const root = makeTmpDir("lw-mix-sigint-");
    const big = join(root, "big.jsonl");
    const rows = readFileSync(join(EXAMPLES, "long-writing.jsonl"), "utf8").trim().split("\n");
    // Enough rows (distinct ids and text) that the mix is still running when the signal comes.
    const lines: string[] = [];
    for (let i = 0; i < 4000; i++) {
      const row = JSON.parse(rows[i % rows.length]!) as { id: string; messages: Array<{ role: string; content: string }> };
      lines.push(JSON.stringify({ ...row, id: `${row.id}-${i}`, messages: row.messages.map((m) => ({ ...m, content: `${i} ${m.content}` })) }));
    }
    writeFileSync(big, `${lines.join("\n")}\n`);
    writeFileSync(join(root, "recipe.yaml"), "name: sigint\nseed: 1\nsources:\n  - source: big\n    path: big.jsonl\n");
    const cli = startCli(["mix", join(root, "recipe.yaml"), "--out", join(root, "out")]);
    // Signal once the run has made its spool beside the output (the first pass is reading rows then).
    while (!readdirSync(root).some((name) => name.startsWith(".out."))) await new Promise((resolve) => setTimeout(resolve, 10));
    cli.child.kill("SIGINT");
    const result = await cli.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain("interrupted: nothing written");
    expect(readdirSync(root).sort()).toEqual(["big.jsonl", "recipe.yaml"]);
  });
});

describe("upsampling and the test split", () => {
  it("never puts a row (or an upsampled copy of it) in both splits, and keeps ids unique", async () => {
    const outDir = join(makeTmpDir("lw-mix-leak-"), "out");
    await mixDatasets({
      baseDir: join(PROJECT_ROOT, "examples"),
      outDir,
      recipe: {
        name: "leak",
        seed: 3,
        sources: [{ source: "chat", path: "data/general-chat.jsonl", amount: { fraction: 3 } }],
        splits: { test: 0.3 },
      },
    });
    const dataset = await readDatasetDir(outDir);
    const rows: Record<string, { id: string; messages: unknown }[]> = {};
    for (const name of dataset.splits) {
      rows[name] = [];
      for await (const { record } of dataset.rows<{ id: string; messages: unknown }>(name)) rows[name]!.push(record);
    }
    const key = (r: { messages: unknown }) => JSON.stringify(r.messages);
    const trainKeys = new Set(rows.train!.map(key));
    expect(rows.test!.length).toBeGreaterThan(0);
    expect(rows.test!.filter((r) => trainKeys.has(key(r)))).toEqual([]);
    expect(new Set(rows.test!.map(key)).size).toBe(rows.test!.length);
    const ids = [...rows.train!, ...rows.test!].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.some((id) => id.includes("#copy2"))).toBe(true);
  });
});
