/**
 * @module bench/startup.bench — how long a command takes before it does any work: `longwriter mix --help`
 * (printed from the help the build rendered) and `eval ruler --help` (laid out by yargs), `longwriter stats` on
 * 20 rows (no tokenizer), `--version`, and importing `countWords` from the package entry and from
 * `longwriter-toolkit/text`, against a bare `node -e 0`; and how long a row-group worker takes to be ready.
 * Runs the built CLI (package.json "bin", as users run it): `npm run build` first.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatMb, formatMs, markdownTable, ratio } from "./lib/markdown.js";
import { measureCommand, measureNode, PROJECT_ROOT, type Measurement } from "./lib/measure.js";
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
  // The command users get: package.json "bin" (the bundle `npm run build` writes).
  const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { bin: Record<string, string> };
  const cli = join(PROJECT_ROOT, manifest.bin.longwriter!);
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`npm run build\` first`);
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
  const anchor = await median(process.execPath, ["-e", "0"]);
  const jobs: Array<[string, Measurement]> = [
    ["`node -e 0` (anchor)", anchor],
    ["`longwriter --version`", await median(process.execPath, [cli, "--version"])],
    ["`longwriter mix --help`", await median(process.execPath, [cli, "mix", "--help"])],
    ["`longwriter eval ruler --help` (yargs lays it out)", await median(process.execPath, [cli, "eval", "ruler", "--help"])],
    ["`longwriter stats` 20 rows (no tokens)", await median(process.execPath, [cli, "stats", rowsFile])],
    ["`longwriter stats --tokens` 20 rows", await median(process.execPath, [cli, "stats", rowsFile, "--tokens"])],
    // Through the package's own "exports" (a self-reference: the bench runs inside the package), as users import it.
    [
      '`import { countWords } from "longwriter-toolkit"`',
      await median(process.execPath, ["--input-type=module", "-e", 'import { countWords } from "longwriter-toolkit"; countWords("a b");']),
    ],
    [
      '`import { countWords } from "longwriter-toolkit/text"`',
      await median(process.execPath, ["--input-type=module", "-e", 'import { countWords } from "longwriter-toolkit/text"; countWords("a b");']),
    ],
  ];
  const workers = (await measureNode({ script: "bench/jobs/worker-ready.ts", args: [String(RUNS)] })).result as { aloneMs: number[]; pairMs: number[][] };
  const middle = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return {
    title: "Start-up: commands and imports before any work",
    markdown: [
      `Median of ${RUNS} runs each of the built CLI (\`dist/bundle\`), a fresh process every time; wall includes Node's own start-up,`,
      "which the `node -e 0` anchor measures (CPU is user + system of the process). `stats` without `--tokens` loads no",
      "tokenizer and no progress bar (both load on first use); `mix --help` loads no yargs and no part of the library. The CLI",
      "and the package entries are bundles (scripts/bundle.mjs: a few dozen files instead of ~260 modules); importing from the",
      "package entry still evaluates all of the library it re-exports; the `longwriter-toolkit/text` entry loads only the text",
      "metrics and no dependency.",
      "",
      markdownTable(
        ["command", "wall", "CPU", "peak RSS", "wall vs node -e 0", "wall minus node -e 0", "CPU minus node -e 0"],
        jobs.map(([name, m]) => [
          name,
          formatMs(m.wallMs),
          formatMs(m.cpuMs),
          formatMb(m.peakRssMb),
          ratio(m.wallMs, anchor.wallMs),
          formatMs(Math.max(0, m.wallMs - anchor.wallMs)),
          formatMs(Math.max(0, m.cpuMs - anchor.cpuMs)),
        ]),
        ["l", "r", "r", "r", "r", "r", "r"],
      ),
      "",
      "`--help` and `--version` are printed from the text `npm run build` rendered with yargs (dist/cli/help.json) when the request",
      "is a plain `[<command>] --help` at 80, 100 or 110 columns in an English locale; anything else is laid out by yargs,",
      "as `eval ruler --help` is here.",
      "",
      `A built row-group worker (SNAPPY) is ready for its first row group ${formatMs(middle(workers.aloneMs))} after \`new Worker\` when started`,
      `alone, ${formatMs(middle(workers.pairMs.map((pair) => Math.max(...pair))))} when two start together (median of ${RUNS}; in-process wall time).`,
    ].join("\n"),
  };
}
