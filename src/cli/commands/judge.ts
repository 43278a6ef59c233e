/**
 * @module cli/commands/judge — `longwriter judge <candidates> --judge-model M --out scored.jsonl`:
 * LongBench-Write's six-dimension quality judge over candidates, cached so a rerun re-judges nothing.
 */
import type { Argv, CommandModule } from "yargs";
import { ConfigError } from "../../errors.js";
import { writeFileAtomic } from "../../io/atomic-file.js";
import { issueToString, type InputIssue } from "../../io/input-issue.js";
import { readJsonl, writeJsonl } from "../../io/jsonl.js";
import { judgeAgreement } from "../../judge/judge-agreement.js";
import { openJudgeCache } from "../../judge/judge-cache.js";
import { judgeCandidates } from "../../judge/judge-candidates.js";
import { loadJudgeTemplate } from "../../judge/judge-template.js";
import { createLlmClient } from "../../llm/client.js";
import { candidateSchema, type Candidate } from "../../schemas/candidate.js";
import type { Judgement } from "../../schemas/judgement.js";
import { countJsonlLines, itemProgress } from "../item-progress.js";
import { BATCH_WINDOW, llmClientOptionsFromArgs, llmOptions, type LlmArgs } from "../llm-options.js";
import { budgetMessage, spendFields, spendText } from "../spend-text.js";
import { runCommand } from "../run-command.js";

interface JudgeArgs extends LlmArgs {
  candidates: string;
  out: string;
  cache?: string;
  template?: string;
  attempts: number;
  temperature: number;
  "max-tokens": number;
  twice: boolean;
  "retry-failed": boolean;
  "skip-invalid": boolean;
  journal?: string;
  json: boolean;
}

export const judgeCommand: CommandModule<object, JudgeArgs> = {
  command: "judge <candidates>",
  describe: "Score candidates with an LLM judge on LongBench-Write's six quality dimensions",
  builder: (yargs) =>
    (yargs as Argv)
      .positional("candidates", { type: "string", demandOption: true, describe: "JSONL of Candidate records (from `longwriter sample`)" })
      .options({
        out: { type: "string", demandOption: true, describe: "Output JSONL: the candidates with a `judgement` each, in input order" },
        cache: { type: "string", describe: "Judgement cache (default: <out>.judge-cache.jsonl); keyed by prompt, response, judge model, template" },
        template: { type: "string", describe: "Own judge template with {{prompt}} and {{response}} (default: the bundled rubric)" },
        attempts: { type: "number", default: 3, describe: "Judge calls per candidate before its verdict is recorded as null + reason" },
        temperature: { type: "number", default: 0.5, describe: "Judge temperature (LongBench-Write: 0.5)" },
        "max-tokens": { type: "number", default: 1024, describe: "max_tokens per judge reply" },
        twice: { type: "boolean", default: false, describe: "Judge each candidate twice and report agreement (<out>.agreement.json)" },
        "retry-failed": { type: "boolean", default: false, describe: "Re-judge cached verdicts that never parsed" },
        "skip-invalid": { type: "boolean", default: false, describe: "Skip invalid candidate lines instead of stopping" },
        journal: { type: "string", describe: "LLM call journal (default: none; <out>.journal.jsonl with --batch)" },
        json: { type: "boolean", default: false, describe: "Print a JSON summary on stdout" },
        ...llmOptions,
        model: { ...llmOptions.model, alias: "judge-model", describe: "Judge model (e.g. gpt-4o-2024-05-13, LongBench-Write's judge)" },
      })
      .example("$0 judge candidates.jsonl --judge-model gpt-4o-2024-05-13 --out scored.jsonl", "Judge with OpenAI (OPENAI_API_KEY)")
      .epilog(
        "The judge writes a short analysis, then strict JSON with six integer scores 1–5 (Relevance, Accuracy, Coherence, " +
          "Clarity, Breadth and Depth, Reading Experience), and is told to ignore length. quality = (mean of the six − 1) × 25. " +
          "A reply that never parses is recorded as scores: null with the reason — never a made-up number. Each judgement " +
          "records the judge model and the sha256 of the template; a rerun takes cached verdicts for free.",
      ) as unknown as Argv<JudgeArgs>,
  handler: runCommand(async (args: JudgeArgs) => {
    for (const name of ["attempts", "max-tokens"] as const) {
      if (!Number.isInteger(args[name]) || args[name] < 1) throw new ConfigError(`--${name} must be a positive integer, got ${args[name]}`);
    }
    const template = await loadJudgeTemplate(args.template);
    const cachePath = args.cache ?? `${args.out}.judge-cache.jsonl`;
    const cache = openJudgeCache({ path: cachePath });
    // The Batch API path keeps batch ids and answers in a journal (the verdict cache stays the source of verdicts).
    const journalPath = args.journal ?? (args.batch ? `${args.out}.journal.jsonl` : undefined);
    const client = createLlmClient(await llmClientOptionsFromArgs(args, journalPath ? { journalPath } : {}));
    const controller = new AbortController();
    const onSignal = (): void => controller.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    const issues: InputIssue[] = [];
    const progress = itemProgress({ label: "judge", total: await countJsonlLines(args.candidates) });
    const pairs: Array<[Judgement, Judgement]> = [];
    let done = 0;
    let cached = 0;
    let unscored = 0;
    let written: number;
    try {
      const input = (async function* (): AsyncGenerator<Candidate> {
        for await (const { record } of readJsonl(args.candidates, { schema: candidateSchema, skipInvalid: args["skip-invalid"], issues })) yield record;
      })();
      written = await writeJsonl(
        args.out,
        (async function* () {
          for await (const judged of judgeCandidates({
            client,
            candidates: input,
            judgeModel: args.model,
            template,
            cache,
            maxAttempts: args.attempts,
            temperature: args.temperature,
            maxTokens: args["max-tokens"],
            twice: args.twice,
            retryFailed: args["retry-failed"],
            window: args.batch ? BATCH_WINDOW : Math.max(4, args.concurrency * 2),
            signal: controller.signal,
          })) {
            done += 1;
            if (judged.cached) cached += 1;
            if (judged.candidate.judgement?.scores === null) unscored += 1;
            if (judged.second) pairs.push([judged.candidate.judgement!, judged.second]);
            progress.update(done, { cached, unscored, ...spendFields(client.totals()) });
            yield judged.candidate;
          }
        })(),
      );
    } finally {
      progress.stop();
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      cache.close();
      await client.close();
    }
    for (const issue of issues) process.stderr.write(`skipped ${issueToString(issue)}\n`);
    const totals = client.totals();
    const agreement = args.twice ? judgeAgreement(pairs) : undefined;
    const agreementPath = `${args.out}.agreement.json`;
    if (agreement) await writeFileAtomic(agreementPath, `${JSON.stringify(agreement, null, 2)}\n`);
    const summary = {
      candidates: written,
      fromCache: cached,
      unscored,
      judgeModel: args.model,
      templateHash: template.hash,
      calls: totals.calls,
      batchCalls: totals.batchCalls,
      replayed: totals.replayed,
      promptTokens: totals.promptTokens,
      cachedTokens: totals.cachedTokens,
      completionTokens: totals.completionTokens,
      costUsd: totals.costUsd,
      budgetReached: totals.budgetReached,
      out: args.out,
      cache: cachePath,
      ...(agreement ? { agreement } : {}),
    };
    if (args.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      process.stdout.write(
        `judged ${written} candidates → ${args.out} (${cached} from the cache, ${totals.calls} judge calls, ${unscored} without a usable verdict; ${spendText(totals)})\n`,
      );
      if (agreement?.quality) {
        const exact = Object.entries(agreement.dimensions)
          .map(([d, a]) => `${d} ${(a.exact * 100).toFixed(0)}%`)
          .join(", ");
        process.stdout.write(
          `agreement over ${agreement.items} twice-judged candidates: quality mean |diff| ${agreement.quality.meanAbsDiff.toFixed(2)}, ` +
            `r = ${agreement.quality.pearson === null ? "—" : agreement.quality.pearson.toFixed(3)}; exact per dimension: ${exact} (${agreementPath})\n`,
        );
      }
    }
    return 0;
  }),
};
