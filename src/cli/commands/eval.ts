/**
 * @module cli/commands/eval — `longwriter eval longbench-write|ruler`: run a benchmark against an
 * OpenAI-compatible endpoint (or score a predictions file), judge, and write the run folder.
 */
import type { SingleBar } from "cli-progress";
import { cliProgress } from "../cli-progress.js";
import { basename, join } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { ConfigError } from "../../errors.js";
import type { BenchmarkRunOutput, EvalProgress } from "../../eval/run-benchmark.js";
import { RUN_FILES } from "../../eval/write-run-dir.js";
import { runLongBenchWrite } from "../../eval/run-longbench-write.js";
import { runRuler } from "../../eval/run-ruler.js";
import type { BenchmarkName, LanguageFilter } from "../../eval/load-bench.js";
import type { GroupScores } from "../../eval/score/aggregate.js";
import { loadJudgeTemplate, loadUpstreamJudgeTemplate } from "../../judge/judge-template.js";
import { BATCH_WINDOW } from "../../llm/batch-chat.js";
import { costEstimateText } from "../../llm/cost-estimate.js";
import { estimateEvalCost } from "../../eval/eval-cost.js";
import { loadBench } from "../../eval/load-bench.js";
import { createLlmClient, type LlmClient } from "../../llm/client.js";
import { renderScoresMarkdown } from "../../eval/scores-markdown.js";
import { llmClientOptionsFromArgs, llmOptions, type LlmArgs } from "../llm-options.js";
import { runCommand } from "../run-command.js";

interface EvalArgs extends Omit<LlmArgs, "model"> {
  model?: string | undefined;
  judge: boolean;
  "judge-model": string;
  "judge-base-url"?: string | undefined;
  "judge-api-key-env": string;
  "judge-template"?: string | undefined;
  "judge-parse": "upstream" | "tolerant";
  "judge-attempts": number;
  "upstream-dir"?: string | undefined;
  lang: LanguageFilter;
  out?: string | undefined;
  "max-tokens"?: number | undefined;
  temperature: number;
  predictions?: string | undefined;
  "bench-file"?: string | undefined;
  label?: string | undefined;
  json: boolean;
}

/** The benchmark's judge (LongBench-Write used gpt-4o-2024-05-13). */
const DEFAULT_JUDGE_MODEL = "gpt-4o-2024-05-13";

function builder(benchmark: BenchmarkName) {
  return (yargs: Argv) =>
    yargs
      .options({
        ...llmOptions,
        model: { ...llmOptions.model, demandOption: false, describe: "Model to evaluate (required unless --predictions)" },
        judge: {
          type: "boolean",
          default: benchmark === "longbench-write",
          describe:
            benchmark === "longbench-write"
              ? "Judge each response for S_q; --no-judge reports S_l only"
              : "Also judge each response for quality (off by default for the ruler)",
          group: "Judge:",
        },
        "judge-model": { type: "string", default: DEFAULT_JUDGE_MODEL, describe: "Judge model", group: "Judge:" },
        "judge-base-url": {
          type: "string",
          describe: "Judge endpoint (default: $OPENAI_BASE_URL, else api.openai.com — not --base-url, which is the model under test)",
          group: "Judge:",
        },
        "judge-api-key-env": { type: "string", default: "OPENAI_API_KEY", describe: "Environment variable with the judge's API key", group: "Judge:" },
        "judge-template": {
          type: "string",
          describe:
            "Judge prompt file with upstream's $INST$ and $RESPONSE$, or {{prompt}} and {{response}} (default: LongBench-Write's judge.txt, downloaded at the pinned commit)",
          group: "Judge:",
        },
        "judge-parse": {
          choices: ["upstream", "tolerant"] as const,
          default: "upstream" as const,
          describe: "upstream: LongBench-Write's reply rules (the benchmark's numbers); tolerant: our parser (fences, prose, key spellings; whole numbers 1–5)",
          group: "Judge:",
        },
        "judge-attempts": {
          type: "number",
          default: 5,
          describe: "Tries per item (upstream rules) or calls per item (tolerant) before its verdict counts as unparseable (dropped from S_q)",
          group: "Judge:",
        },
        "upstream-dir": {
          type: "string",
          describe:
            "Folder with local copies of upstream files (judge.txt, the bench files), used offline when their sha256 matches (default $LONGWRITER_UPSTREAM_DIR)",
        },
        lang: { choices: ["en", "zh", "all"] as const, default: "all" as const, describe: "Output-language subset of the prompts" },
        out: { type: "string", describe: "Run folder (default: longwriter-eval/<benchmark>-<model>)" },
        "max-tokens": { type: "number", describe: "max_tokens per response (default: none sent, i.e. the server's maximum)" },
        temperature: { type: "number", default: 0.5, describe: "Sampling temperature (the benchmark uses 0.5)" },
        predictions: {
          type: "string",
          describe: "Score this predictions file (rows with prompt, length, response, like upstream pred.jsonl) instead of generating",
        },
        "bench-file": { type: "string", describe: "Local copy of the benchmark file (or a folder holding the upstream files) instead of the pinned download" },
        label: { type: "string", describe: "Run name in reports (default: the model name)" },
        json: { type: "boolean", default: false, describe: "Print the summary as JSON on stdout" },
      })
      .example(
        benchmark === "longbench-write"
          ? "$0 eval longbench-write --base-url http://127.0.0.1:8000/v1 --model my-model --out runs/my-model"
          : "$0 eval ruler --base-url http://127.0.0.1:8000/v1 --model my-model --out runs/my-model-ruler",
        "Generate, score and write the run folder",
      )
      .example(`$0 eval ${benchmark} --predictions pred.jsonl --no-judge --json`, "Score existing outputs (S_l only)");
}

/** The judge template a run uses: --judge-template, else upstream's (with --judge-parse upstream), else the bundled one. */
async function judgeTemplateFor(args: EvalArgs) {
  if (args["judge-template"]) return loadJudgeTemplate(args["judge-template"]);
  if (args["judge-parse"] === "upstream") {
    return loadUpstreamJudgeTemplate({
      localDir: args["upstream-dir"] || undefined,
      onDownload: (url) => process.stderr.write(`downloading ${url}\n`),
    });
  }
  return loadJudgeTemplate();
}

function sanitize(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._]+/, "") || "run";
}

/** Progress on stderr: a bar on a TTY, otherwise a line every 10% (and at the end of a stage). */
function progressReporter(): { onProgress: (event: EvalProgress) => void; stop: () => void } {
  const tty = process.stderr.isTTY === true;
  let bar: SingleBar | undefined;
  let lastTenth = -1;
  return {
    onProgress(event) {
      if (event.event === "start") {
        lastTenth = -1;
        if (tty) {
          bar = new (cliProgress().SingleBar)(
            {
              format: `${event.stage.padEnd(8)} [{bar}] {value}/{total} | failed {failed} | replayed {replayed} | ETA {eta_formatted}`,
              stream: process.stderr,
            },
            cliProgress().Presets.shades_classic,
          );
          bar.start(event.total, 0, { failed: 0, replayed: 0 });
        } else process.stderr.write(`${event.stage}: ${event.total} items\n`);
      } else if (event.event === "item") {
        if (bar) bar.update(event.done, { failed: event.failed, replayed: event.replayed });
        else {
          const tenth = Math.floor((event.done / event.total) * 10);
          if (tenth > lastTenth && tenth < 10) {
            lastTenth = tenth;
            process.stderr.write(`${event.stage}: ${event.done}/${event.total} (failed ${event.failed}, replayed ${event.replayed})\n`);
          }
        }
      } else {
        bar?.stop();
        bar = undefined;
        process.stderr.write(`${event.stage}: done ${event.done}, failed ${event.failed}\n`);
      }
    },
    stop() {
      bar?.stop();
    },
  };
}

/** The `--json` summary: overall and per-bucket S_l, S_q, S, plus the files written. */
export function summaryJson(output: BenchmarkRunOutput, files: Record<string, string> | undefined): Record<string, unknown> {
  const { run } = output;
  // judgeFailed may be missing from a run written by an older toolkit.
  const pick = (g: Pick<GroupScores, "n" | "lengthScore" | "qualityScore" | "overall" | "judged" | "unparseable"> & { judgeFailed?: number | undefined }) => ({
    n: g.n,
    S_l: g.lengthScore,
    S_q: g.qualityScore,
    S: g.overall,
    judged: g.judged,
    unparseable: g.unparseable,
    judgeFailed: g.judgeFailed ?? 0,
  });
  const mapGroups = (groups: Record<string, Parameters<typeof pick>[0]>) => Object.fromEntries(Object.entries(groups).map(([k, g]) => [k, pick(g)]));
  return {
    benchmark: run.benchmark,
    label: run.label,
    model: run.model,
    judgeModel: run.judgeModel,
    complete: run.complete,
    failures: run.failures.length,
    truncated: run.truncated ?? 0,
    overall: pick(run.summary.overall),
    byBucket: mapGroups(run.summary.byBucket),
    byLanguage: mapGroups(run.summary.byLanguage),
    ...(run.ruler
      ? {
          ruler: {
            maxRequiredLengthMet: run.ruler.maxRequiredLengthMet,
            maxRequiredLengthMetByEvery: run.ruler.maxRequiredLengthMetByEvery,
            maxOutputLength: run.ruler.maxOutputLength,
            byLength: run.ruler.rows.map((r) => ({ L: r.requiredLength, n: r.n, meanOutput: r.meanOutput, meanS_l: r.meanLengthScore, meets: r.meets })),
          },
        }
      : {}),
    ...(run.usage ? { usage: run.usage } : {}),
    ...(files ? { files } : {}),
  };
}

function evalCommand(benchmark: BenchmarkName, describe: string): CommandModule<object, EvalArgs> {
  return {
    command: benchmark,
    describe,
    builder: builder(benchmark),
    handler: runCommand(async (args: EvalArgs) => {
      if (!args.predictions && !args.model) throw new ConfigError("--model is required (or --predictions to score existing outputs)");
      if (args.predictions && args.model === undefined && args["base-url"]) {
        throw new ConfigError("--base-url needs --model; with --predictions no model is called");
      }
      if (!(args.temperature >= 0 && args.temperature <= 2)) throw new ConfigError(`--temperature must be in 0–2, got ${args.temperature}`);
      if (args["max-tokens"] !== undefined && !(Number.isInteger(args["max-tokens"]) && args["max-tokens"] > 0)) {
        throw new ConfigError(`--max-tokens must be a positive integer, got ${args["max-tokens"]}`);
      }
      if (!(Number.isInteger(args["judge-attempts"]) && args["judge-attempts"] >= 1)) {
        throw new ConfigError(`--judge-attempts must be a positive integer, got ${args["judge-attempts"]}`);
      }
      const label = args.label ?? args.model ?? basename(args.predictions!).replace(/\.jsonl$/, "");
      const outDir = args.out ?? join("longwriter-eval", `${benchmark}-${sanitize(label)}`);

      if (args["dry-run"]) {
        // Before any client exists: a dry run opens no journal and sends nothing.
        const { items } = await loadBench({ benchmark, lang: args.lang, benchFile: args["bench-file"] || undefined });
        const prices = (await llmClientOptionsFromArgs({ ...args, model: args.model ?? args["judge-model"] })).prices;
        const estimate = await estimateEvalCost({
          items,
          ...(args.predictions
            ? {}
            : {
                generator: {
                  model: args.model!,
                  temperature: args.temperature,
                  maxTokens: args["max-tokens"],
                  journalPath: join(outDir, RUN_FILES.generateJournal),
                },
              }),
          ...(args.judge ? { judge: { model: args["judge-model"], template: await judgeTemplateFor(args) } } : {}),
          prices,
        });
        process.stdout.write(args.json ? `${JSON.stringify(estimate)}\n` : costEstimateText(`eval ${benchmark}`, estimate));
        return 0;
      }

      const clients: LlmClient[] = [];
      let generator: { client: LlmClient; temperature: number; maxTokens?: number | undefined } | undefined;
      if (!args.predictions) {
        const options = await llmClientOptionsFromArgs({ ...args, model: args.model! }, { journalPath: join(outDir, RUN_FILES.generateJournal) });
        // A response cut off at max_tokens is scored as it is, like upstream does (and counted).
        const client = createLlmClient({ ...options, acceptLengthLimit: true });
        clients.push(client);
        generator = { client, temperature: args.temperature, maxTokens: args["max-tokens"] };
      }
      let judge: Parameters<typeof runLongBenchWrite>[0]["judge"];
      if (args.judge) {
        const base = await llmClientOptionsFromArgs(
          { ...args, model: args["judge-model"], "api-key-env": args["judge-api-key-env"] },
          { journalPath: join(outDir, RUN_FILES.judgeJournal) },
        );
        delete base.baseURL;
        if (args["judge-base-url"]) base.baseURL = args["judge-base-url"];
        const client = createLlmClient(base);
        clients.push(client);
        // Resolved before any call: a missing or altered template is an error before money is spent.
        const template = await judgeTemplateFor(args);
        judge = {
          client,
          model: args["judge-model"],
          parse: args["judge-parse"],
          maxAttempts: args["judge-attempts"],
          // Batch mode hands every item to the judge at once, so each judging round is one batch.
          concurrency: args.batch ? BATCH_WINDOW : args.concurrency,
          template,
        };
      }

      const progress = progressReporter();
      const run = benchmark === "ruler" ? runRuler : runLongBenchWrite;
      let output: Awaited<ReturnType<typeof runLongBenchWrite>>;
      try {
        output = await run({
          lang: args.lang,
          outDir,
          label,
          benchFile: args["bench-file"] || undefined,
          localDir: args["upstream-dir"] || undefined,
          generator,
          predictionsFile: args.predictions || undefined,
          judge,
          onProgress: progress.onProgress,
          onWarning: (message) => process.stderr.write(`warning: ${message}\n`),
          onDownload: (url) => process.stderr.write(`downloading ${url}\n`),
        });
      } finally {
        progress.stop();
        for (const client of clients) await client.close();
      }

      if (args.json) process.stdout.write(`${JSON.stringify(summaryJson(output, output.files), null, 2)}\n`);
      else {
        process.stdout.write(renderScoresMarkdown({ runs: [output.run] }));
        for (const [name, path] of Object.entries(output.files ?? {})) process.stderr.write(`wrote ${name}: ${path}\n`);
      }
      if (!output.run.complete) {
        const kinds = [...new Set(output.run.failures.map((f) => `${f.stage}/${f.kind}`))].join(", ");
        process.stderr.write(
          `error: ${output.run.failures.length} item(s) failed (${kinds}); scores cover the rest. Re-run the same command to retry only those (finished calls are replayed from the journal).\n`,
        );
        return 1;
      }
      return 0;
    }),
  };
}

/** `longwriter eval <benchmark>`. */
export const evalCommandModule: CommandModule = {
  command: "eval",
  describe: "Evaluate a model on LongBench-Write or LongWrite-Ruler (scores, tables, HTML report)",
  builder: (yargs) =>
    yargs
      .command(
        evalCommand("longbench-write", "LongBench-Write: 120 prompts, S_l (length), S_q (judge), S; by length bucket, language and type") as CommandModule,
      )
      .command(
        evalCommand(
          "ruler",
          "LongWrite-Ruler: 48 prompts at L = 1k…30k; output vs required length and the largest L still met (mean S_l ≥ 80)",
        ) as CommandModule,
      )
      .demandCommand(1, "Name a benchmark: longbench-write or ruler"),
  handler: () => undefined,
};
