/**
 * @module cli/commands/sample — `longwriter sample <prompts> --model M --n 4 --out candidates.jsonl`:
 * k responses per prompt from any OpenAI-compatible endpoint, each a Candidate with its length and S_l;
 * resumable through the journal beside the output.
 */
import type { CommandModule } from "yargs";
import { runSample } from "../../dpo/run-sample.js";
import { estimateSampleCost } from "../../dpo/sample-cost.js";
import { costEstimateText } from "../../llm/cost-estimate.js";
import { ConfigError } from "../../errors.js";
import { issueToString } from "../../io/input-issue.js";
import { countJsonlLines } from "../item-progress.js";
import { llmClientOptionsFromArgs, llmOptions, type LlmArgs } from "../llm-options.js";
import { budgetMessage, spendFields, spendText } from "../spend-text.js";
import { RESUME_FROM_JOURNAL, runCommand } from "../run-command.js";
import { MAX_SAMPLES_PER_PROMPT } from "../../dpo/sample-candidates.js";

interface SampleArgs extends LlmArgs {
  prompts: string;
  out: string;
  n: number;
  temperature: number;
  "top-p"?: number | undefined;
  "max-tokens"?: number | undefined;
  seed: number;
  failures?: string | undefined;
  journal?: string | undefined;
  "skip-invalid": boolean;
  json: boolean;
}

export const sampleCommand: CommandModule<object, SampleArgs> = {
  command: "sample <prompts>",
  describe: "Sample k responses per prompt (DPO candidates) with their length and length score",
  builder: (yargs) =>
    yargs
      .positional("prompts", {
        type: "string",
        demandOption: true,
        describe: 'Prompts: JSONL (or a JSON array) of {"prompt": ...} lines, Instruction records or LongBench-Write rows',
      })
      .options({
        out: { type: "string", demandOption: true, describe: "Output JSONL of Candidate records (k per prompt, in input order)" },
        n: { type: "number", default: 4, describe: "Responses per prompt (the LongWriter paper used 4)" },
        temperature: { type: "number", default: 0.8, describe: "Sampling temperature" },
        "top-p": { type: "number", describe: "Nucleus sampling top_p (not sent unless given)" },
        "max-tokens": { type: "number", describe: "max_tokens per response; a response cut off there is a failed sample (not sent unless given)" },
        seed: { type: "number", default: 0, describe: "Sample i of a prompt is sent with seed = --seed + i (keeps the k requests distinct)" },
        failures: { type: "string", describe: "Where failed samples are listed (default: <out>.failures.jsonl)" },
        journal: { type: "string", describe: "LLM call journal (default: <out>.journal.jsonl)" },
        "skip-invalid": { type: "boolean", default: false, describe: "Skip invalid prompt lines (reported on stderr) instead of stopping" },
        json: { type: "boolean", default: false, describe: "Print a JSON summary on stdout" },
        ...llmOptions,
      })
      .example("$0 sample prompts.jsonl --model my-model --base-url http://127.0.0.1:8000/v1 --n 4 --out candidates.jsonl", "4 candidates per prompt")
      .epilog(
        "Each candidate records lengthWords (LongBench-Write's word count), requiredLength (a requiredLength/length field, " +
          "else parsed from the prompt) and lengthScore (S_l, null when the prompt states no length). Every finished call is " +
          "appended to the journal; after a crash or kill, run the same command again: finished samples replay for free. " +
          "The output appears only when the run ends; failed samples are listed in the failures file and the exit code is 1.",
      ),
  handler: runCommand(async (args: SampleArgs, run) => {
    if (!Number.isInteger(args.n) || args.n < 1 || args.n > MAX_SAMPLES_PER_PROMPT) {
      throw new ConfigError(`--n must be a whole number of samples per prompt in 1–${MAX_SAMPLES_PER_PROMPT}, got ${args.n}`);
    }
    if (!Number.isInteger(args.seed)) throw new ConfigError(`--seed must be an integer, got ${args.seed}`);
    if (args["max-tokens"] !== undefined && (!Number.isInteger(args["max-tokens"]) || args["max-tokens"] < 1)) {
      throw new ConfigError(`--max-tokens must be a positive integer, got ${args["max-tokens"]}`);
    }
    const llm = await llmClientOptionsFromArgs(args);
    if (args["dry-run"]) {
      const estimate = await estimateSampleCost({
        input: args.prompts,
        model: args.model,
        n: args.n,
        temperature: args.temperature,
        topP: args["top-p"],
        maxTokens: args["max-tokens"],
        seed: args.seed,
        journalPath: args.journal ?? `${args.out}.journal.jsonl`,
        prices: llm.prices,
        skipInvalid: args["skip-invalid"],
      });
      process.stdout.write(args.json ? `${JSON.stringify(estimate)}\n` : costEstimateText("sample", estimate));
      return 0;
    }
    const progress = run.progress("sample", await countJsonlLines(args.prompts));
    const { invalid, ...summary } = await runSample({
      input: args.prompts,
      out: args.out,
      failuresPath: args.failures,
      journalPath: args.journal,
      llm,
      model: args.model,
      n: args.n,
      temperature: args.temperature,
      topP: args["top-p"],
      maxTokens: args["max-tokens"],
      seed: args.seed,
      skipInvalid: args["skip-invalid"],
      signal: run.signal,
      onProgress: ({ prompts, replayed, failed, totals }) => progress.update(prompts, { replayed, failed, ...spendFields(totals) }),
    });
    progress.stop();
    for (const issue of invalid) process.stderr.write(`skipped ${issueToString(issue)}\n`);
    if (args.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      process.stdout.write(
        `sampled ${summary.candidates} candidates for ${summary.prompts} prompts → ${args.out} (${summary.calls} calls, ${summary.replayed} replayed from the journal; ${spendText(summary)})\n`,
      );
    }
    if (summary.budgetReached) process.stderr.write(budgetMessage(summary, args["max-cost"]!));
    if (summary.failures !== undefined) {
      process.stderr.write(`${summary.failedSamples} samples failed (see ${summary.failures}); run the same command again to retry them\n`);
      return 1;
    }
    return 0;
  }, RESUME_FROM_JOURNAL),
};
