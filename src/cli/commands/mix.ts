/**
 * @module cli/commands/mix — `longwriter mix <recipe.yaml>`: build the mixture a recipe describes and write
 * it as a dataset dir (Parquet shards, manifest.json, README.md card, recipe.yaml, length histogram).
 */
import type { SingleBar } from "cli-progress";
import type { Argv, CommandModule } from "yargs";
import type { MixProgress } from "../../mix/mix-datasets.js";
import type { MixManifest } from "../../mix/mix-manifest.js";
import { cliProgress } from "../cli-progress.js";
import { NOTHING_WRITTEN, runCommand } from "../run-command.js";

interface MixArgs {
  recipe: string;
  out?: string | undefined;
  seed?: number | undefined;
  frozen: boolean;
  "decontaminate-with"?: string[] | undefined;
  threads?: number | undefined;
  json: boolean;
  format?: "parquet" | "jsonl" | "json" | undefined;
}

function builder(yargs: Argv) {
  return yargs
    .positional("recipe", { type: "string", demandOption: true, describe: "Mixture recipe (YAML); relative source paths resolve against its folder" })
    .options({
      out: { type: "string", describe: "Output dataset dir (default: out/<recipe name>); replaced as a whole when it holds an earlier mix" },
      seed: { type: "number", describe: "Seed for sampling, shuffling and the test split (overrides the recipe's seed)" },
      frozen: {
        type: "boolean",
        default: false,
        describe: "Refuse Hub sources that are not pinned to a 40-hex commit (reproducible runs, CI)",
      },
      "decontaminate-with": {
        type: "string",
        array: true,
        describe: "Eval prompt file (JSONL with `prompt`) to decontaminate against; turns decontamination on (repeat the flag for several files)",
      },
      threads: {
        type: "number",
        describe: "Threads reading JSONL and Parquet sources and writing Parquet row groups (default: every core); the output is the same for any number",
      },
      json: { type: "boolean", default: false, describe: "Print the mix manifest (sources, drops, splits) as JSON on stdout" },
      format: {
        choices: ["parquet", "jsonl", "json"] as const,
        describe:
          "Data files: Parquet shards (default, or the recipe's output.format), or one JSON Lines / JSON array file per split (data/{split}-00000-of-00001.jsonl)",
      },
    })
    .check((args) => {
      if (args.seed !== undefined && !(Number.isInteger(args.seed) && args.seed >= 0 && args.seed < 2 ** 32)) {
        throw new Error("--seed must be an integer in 0..4294967295");
      }
      if (args.threads !== undefined && !(Number.isInteger(args.threads) && args.threads >= 1 && args.threads <= 256)) {
        throw new Error("--threads must be an integer from 1 to 256");
      }
      return true;
    })
    .example("$0 mix recipes/quickstart.yaml --out out/quickstart", "Mix the bundled example data (no network)")
    .example("$0 mix recipes/quickstart.yaml --format jsonl --out out/quickstart-jsonl", "The same, as data/{train,test}-00000-of-00001.jsonl")
    .example("$0 mix recipes/longwriter-paper.yaml --seed 1 --json", "The paper's mixture from the Hub, JSON summary")
    .example("$0 mix my-mix.yaml --frozen --decontaminate-with eval.jsonl", "Pinned Hub revisions only; drop rows overlapping eval prompts")
    .epilog(
      "A recipe names its sources (local files/globs or Hub repo + revision + files), an amount per source " +
        "(count, fraction, share of the mixture, or a words/tokens budget), filters, dedup, decontamination, " +
        "splits, output layout and card. Every input row ends up taken, dropped (with a reason) or not sampled, " +
        "and manifest.json says which. Same recipe + seed + inputs = byte-identical output. See docs/mix.md.",
    );
}

/** Progress on stderr: a bar per split on a TTY, plain lines otherwise. */
async function progressReporter(): Promise<{ onProgress: (event: MixProgress) => void; stop: () => void }> {
  const tty = process.stderr.isTTY === true;
  let bar: SingleBar | undefined;
  let barSplit: string | undefined;
  let lastSource: string | undefined;
  let lastRows = 0;
  return {
    onProgress(event) {
      if (event.phase === "resolve") process.stderr.write(`fetching ${event.source} from the Hub\n`);
      else if (event.phase === "read") {
        if (event.source !== lastSource) {
          lastSource = event.source;
          lastRows = 0;
        }
        if (tty || event.rows - lastRows >= 50_000 || event.rows === 0) {
          lastRows = event.rows;
          process.stderr.write(`${tty ? "\r" : ""}reading ${event.source}: ${event.rows} rows${tty ? "" : "\n"}`);
        }
      } else if (event.phase === "write") {
        if (tty) {
          if (barSplit !== event.split) {
            bar?.stop();
            if (lastSource !== undefined) process.stderr.write("\n");
            lastSource = undefined;
            barSplit = event.split;
            bar = new (cliProgress().SingleBar)(
              { format: `writing ${event.split} [{bar}] {value}/{total} rows | ETA {eta_formatted}`, stream: process.stderr },
              cliProgress().Presets.shades_classic,
            );
            bar.start(event.total, 0);
          }
          bar?.update(event.rows);
        } else process.stderr.write(`writing ${event.split}: ${event.rows}/${event.total} rows\n`);
      }
    },
    stop() {
      bar?.stop();
    },
  };
}

function renderSummary(outDir: string, manifest: MixManifest): string {
  const lines = [`wrote ${outDir}`];
  for (const [split, totals] of Object.entries(manifest.splitTotals))
    lines.push(`  ${split}: ${totals.rows} rows, ${totals.words} words${totals.tokens !== null ? `, ${totals.tokens} tokens` : ""}`);
  for (const s of manifest.sources) {
    const dropped = Object.entries(s.dropped)
      .map(([reason, n]) => `${reason} ${n}`)
      .join(", ");
    lines.push(
      `  ${s.source}: input ${s.input}, dropped ${Object.values(s.dropped).reduce((a, b) => a + b, 0)}${dropped ? ` (${dropped})` : ""}, ` +
        `not sampled ${s.notSampled}, taken ${s.obtained.rows}${s.upsampleFactor > 1 ? ` (×${s.upsampleFactor})` : ""}`,
    );
  }
  if (manifest.decontamination) lines.push(`  decontamination: ${manifest.decontamination.dropped} rows matched eval prompts`);
  return `${lines.join("\n")}\n`;
}

export const mixCommand: CommandModule<object, MixArgs> = {
  command: "mix <recipe>",
  describe: "Build an SFT mixture from a recipe (sample, filter, dedup, decontaminate, shuffle) into a dataset dir",
  builder,
  handler: runCommand<MixArgs>(async (args, run) => {
    // The library is loaded only when the command runs, so `mix --help` starts fast.
    const [{ loadRecipe }, { mixDatasets }, { resolveBenchFile }] = await Promise.all([
      import("../../mix/load-recipe.js"),
      import("../../mix/mix-datasets.js"),
      import("../../eval/bench-files.js"),
    ]);
    const { recipe } = await loadRecipe({ path: args.recipe });
    const outDir = args.out ?? `out/${recipe.name}`;
    const progress = await progressReporter();
    try {
      const result = await mixDatasets({
        recipePath: args.recipe,
        outDir,
        seed: args.seed,
        frozen: args.frozen,
        threads: args.threads,
        format: args.format,
        decontaminateWith: args["decontaminate-with"],
        onProgress: progress.onProgress,
        signal: run.signal,
        defaultEvalFile: async () =>
          (await resolveBenchFile({ name: "longbench_write.jsonl", onDownload: (url) => process.stderr.write(`downloading ${url}\n`) })).path,
      });
      progress.stop();
      if (args.json) process.stdout.write(`${JSON.stringify({ outDir: result.outDir, ...result.manifest }, null, 2)}\n`);
      else process.stdout.write(renderSummary(outDir, result.manifest));
    } finally {
      progress.stop();
    }
  }, NOTHING_WRITTEN),
};
