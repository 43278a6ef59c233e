#!/usr/bin/env -S npx tsx
/**
 * @module examples/mix-quickstart — mixing with the library API: a recipe built in code over the bundled
 * example data (no network), written as a dataset dir, then the accounting of every input row printed.
 *
 *   npx tsx examples/mix-quickstart.ts [outDir]
 */
import { fileURLToPath } from "node:url";
import { mixDatasets, readDatasetDir } from "../src/index.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const outDir = process.argv[2] ?? "out/example-mix";

const { manifest } = await mixDatasets({
  baseDir: here, // relative paths below resolve against examples/
  outDir,
  recipe: {
    name: "example-mix",
    seed: 1,
    sources: [
      // Long answers in Chinese only (language of the prompt), at least 500 words, each kept once.
      { source: "long-zh", path: "data/long-writing.jsonl", filters: { languages: ["zh"], minWords: 500 } },
      // General chat: a word budget instead of a row count (whole random rows until 1,000 words).
      { source: "chat", path: "data/general-chat.jsonl", amount: { words: "1k" } },
      // Alpaca-format rows: a quarter of the final mixture.
      { source: "alpaca", path: "data/general-alpaca.json", amount: { share: 0.25 } },
    ],
    filters: { roles: true },
    dedup: { exact: true },
  },
  onProgress: (event) => {
    if (event.phase === "read") console.error(`read ${event.source}: ${event.rows} rows`);
  },
});

console.log(`wrote ${outDir}: ${manifest.totals.rows} rows, ${manifest.totals.words} words (seed ${manifest.seed})`);
for (const s of manifest.sources) {
  const dropped =
    Object.entries(s.dropped)
      .map(([reason, n]) => `${reason}=${n}`)
      .join(" ") || "none";
  console.log(
    `  ${s.source.padEnd(8)} input ${s.input} = dropped ${Object.values(s.dropped).reduce((a, b) => a + b, 0)} (${dropped})` +
      ` + not sampled ${s.notSampled} + taken ${s.obtained.uniqueRows}; rows written ${s.obtained.rows}, ${s.obtained.words} words`,
  );
}

// Read the first rows back from the Parquet shards.
const dataset = await readDatasetDir(outDir);
let shown = 0;
for await (const { record } of dataset.rows<{ id: string; source: string; messages: Array<{ role: string; content: string }> }>("train")) {
  console.log(`  ${record.source}/${record.id}: ${record.messages[0]!.content.slice(0, 60).replace(/\n/g, " ")}…`);
  if (++shown === 3) break;
}
