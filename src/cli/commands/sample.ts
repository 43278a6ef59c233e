/**
 * @module cli/commands/sample — `longwriter sample <prompts> --model M --n 4 --out candidates.jsonl`:
 * k responses per prompt from any OpenAI-compatible endpoint, each a Candidate with its length and S_l;
 * resumable through the journal beside the output.
 */
import { rm } from "node:fs/promises";
import type { Argv, CommandModule } from "yargs";
import { sampleCandidates, type SampleFailure } from "../../dpo/sample-candidates.js";
import { readSamplePrompts } from "../../dpo/sample-prompts.js";
import { ConfigError } from "../../errors.js";
import type { InputIssue } from "../../io/input-issue.js";
import { issueToString } from "../../io/input-issue.js";
import { writeJsonl } from "../../io/jsonl.js";
import { createLlmClient } from "../../llm/client.js";
import { countJsonlLines, itemProgress } from "../item-progress.js";
import { BATCH_WINDOW, llmClientOptionsFromArgs, llmOptions, type LlmArgs } from "../llm-options.js";
import { budgetMessage, spendFields, spendText } from "../spend-text.js";
import { runCommand } from "../run-command.js";

interface SampleArgs extends LlmArgs {
  prompts: string;
  out: string;
  n: number;
  temperature: number;
  "top-p"?: number;
  "max-tokens"?: number;
  seed: number;
  failures?: string;
  journal?: string;
  "skip-invalid": boolean;
  json: boolean;
}

export const sampleCommand: CommandModule<object, SampleArgs> = {
  command: "sample <prompts>",
  describe: "Sample k responses per prompt (DPO candidates) with their length and length score",
  builder: (yargs) =>
    (yargs as Argv)
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
      ) as unknown as Argv<SampleArgs>,
  handler: runCommand(async (args: SampleArgs) => {
    if (!Number.isInteger(args.n) || args.n < 1) throw new ConfigError(`--n must be a positive integer, got ${args.n}`);
    if (!Number.isInteger(args.seed)) throw new ConfigError(`--seed must be an integer, got ${args.seed}`);
    if (args["max-tokens"] !== undefined && (!Number.isInteger(args["max-tokens"]) || args["max-tokens"] < 1)) {
      throw new ConfigError(`--max-tokens must be a positive integer, got ${args["max-tokens"]}`);
    }
    const journalPath = args.journal ?? `${args.out}.journal.jsonl`;
    const failuresPath = args.failures ?? `${args.out}.failures.jsonl`;
    const client = createLlmClient(await llmClientOptionsFromArgs(args, { journalPath }));
    const controller = new AbortController();
    const onSignal = (): void => controller.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    const issues: InputIssue[] = [];
    const failures: SampleFailure[] = [];
    const progress = itemProgress({ label: "sample", total: await countJsonlLines(args.prompts) });
    let prompts = 0;
    let replayed = 0;
    let written: number;
    try {
      const stream = sampleCandidates({
        client,
        prompts: readSamplePrompts(args.prompts, { skipInvalid: args["skip-invalid"], issues }),
        model: args.model,
        n: args.n,
        temperature: args.temperature,
        ...(args["top-p"] === undefined ? {} : { topP: args["top-p"] }),
        ...(args["max-tokens"] === undefined ? {} : { maxTokens: args["max-tokens"] }),
        seed: args.seed,
        window: args.batch ? Math.ceil(BATCH_WINDOW / args.n) : Math.max(1, Math.ceil(args.concurrency / args.n) * 2),
        signal: controller.signal,
      });
      written = await writeJsonl(
        args.out,
        (async function* () {
          for await (const sampled of stream) {
            prompts += 1;
            replayed += sampled.replayed;
            failures.push(...sampled.failures);
            progress.update(prompts, { replayed, failed: failures.length, ...spendFields(client.totals()) });
            yield* sampled.candidates;
          }
        })(),
      );
    } finally {
      progress.stop();
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      await client.close();
    }
    for (const issue of issues) process.stderr.write(`skipped ${issueToString(issue)}\n`);
    if (failures.length > 0) await writeJsonl(failuresPath, failures);
    else await rm(failuresPath, { force: true });
    const totals = client.totals();
    const summary = {
      prompts,
      candidates: written,
      failedSamples: failures.length,
      skippedLines: issues.length,
      calls: totals.calls,
      replayed: totals.replayed,
      batchCalls: totals.batchCalls,
      promptTokens: totals.promptTokens,
      cachedTokens: totals.cachedTokens,
      completionTokens: totals.completionTokens,
      costUsd: totals.costUsd,
      budgetReached: totals.budgetReached,
      out: args.out,
      journal: journalPath,
      ...(failures.length > 0 ? { failures: failuresPath } : {}),
    };
    if (args.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      process.stdout.write(
        `sampled ${written} candidates for ${prompts} prompts → ${args.out} (${totals.calls} calls, ${totals.replayed} replayed from the journal; ${spendText(totals)})\n`,
      );
    }
    if (totals.budgetReached) process.stderr.write(budgetMessage(totals, args["max-cost"]!));
    if (failures.length > 0) {
      process.stderr.write(`${failures.length} samples failed (see ${failuresPath}); run the same command again to retry them\n`);
      return 1;
    }
    return 0;
  }),
};
