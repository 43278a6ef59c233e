/**
 * @module bench/startup.bench — how long a command takes before it does any work: `longwriter mix --help`,
 * `longwriter stats` on 20 rows (no tokenizer), `--version`, and importing `countWords` from the package entry,
 * against a bare `node -e 0`. Runs the built CLI (`dist/`, as users run it): `npm run build` first.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatMb, formatMs, markdownTable, ratio } from "./lib/markdown.js";
import { measureCommand, PROJECT_ROOT, type Measurement } from "./lib/measure.js";
import { workDir } from "./lib/scale.js";
import type { BenchSection } from "./run.js";

const RUNS = 5;

/** Median of RUNS measurements (wall and CPU taken from the median-wall run). */
async function median(command: string, args: string[]): Promise<Measurement> {
  const runs: Measurement[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await measureCommand({ command, args }));
  runs.sort((a, b) => a.wallMs - b.wallMs);
  return runs[Math.floor(RUNS / 2)]!;
}

export default async function startupBench(): Promise<BenchSection> {
  const cli = join(PROJECT_ROOT, "dist", "cli", "index.js");
  if (!existsSync(cli)) throw new Error("dist/cli/index.js is missing: run `npm run build` first");
  const dir = await workDir("startup");
  const rowsFile = join(dir, "20-rows.jsonl");
  writeFileSync(
    rowsFile,
    Array.from({ length: 20 }, (_, i) =>
      JSON.stringify({
        messages: [
          { role: "user", content: `Write ${i + 1}00 words about rivers.` },
          { role: "assistant", content: "Rivers carry water. ".repeat(20 + i) },
        ],
      }),
    ).join("\n") + "\n",
  );
  const entry = join(PROJECT_ROOT, "dist", "index.js");
  const textEntry = join(PROJECT_ROOT, "dist", "text", "count-words.js");
  const anchor = await median(process.execPath, ["-e", "0"]);
  const jobs: Array<[string, Measurement]> = [
    ["`node -e 0` (anchor)", anchor],
    ["`longwriter --version`", await median(process.execPath, [cli, "--version"])],
    ["`longwriter mix --help`", await median(process.execPath, [cli, "mix", "--help"])],
    ["`longwriter stats` 20 rows (no tokens)", await median(process.execPath, [cli, "stats", rowsFile])],
    ["`longwriter stats --tokens` 20 rows", await median(process.execPath, [cli, "stats", rowsFile, "--tokens"])],
    [
      "`import { countWords }` from the package entry",
      await median(process.execPath, ["--input-type=module", "-e", `import { countWords } from ${JSON.stringify(entry)}; countWords("a b");`]),
    ],
    [
      "`import { countWords }` from its module",
      await median(process.execPath, ["--input-type=module", "-e", `import { countWords } from ${JSON.stringify(textEntry)}; countWords("a b");`]),
    ],
  ];
  return {
    title: "Start-up: commands and imports before any work",
    markdown: [
      `Median of ${RUNS} runs each of the built CLI (\`dist/\`), a fresh process every time; wall includes Node's own start-up,`,
      "which the `node -e 0` anchor measures. `stats` without `--tokens` loads no tokenizer; `mix --help` loads no part of",
      "the mixer. Importing from the package entry still evaluates every module the entry re-exports (Node has no tree",
      "shaking; `sideEffects: false` lets bundlers drop what is unused).",
      "",
      markdownTable(
        ["command", "wall", "CPU", "peak RSS", "wall vs node -e 0", "wall minus node -e 0"],
        jobs.map(([name, m]) => [
          name,
          formatMs(m.wallMs),
          formatMs(m.cpuMs),
          formatMb(m.peakRssMb),
          ratio(m.wallMs, anchor.wallMs),
          formatMs(Math.max(0, m.wallMs - anchor.wallMs)),
        ]),
        ["l", "r", "r", "r", "r", "r"],
      ),
    ].join("\n"),
  };
}
