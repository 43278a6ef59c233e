/**
 * @module cli/commands/judge — `longwriter judge <candidates> --judge-model M --out scored.jsonl`:
 * LongBench-Write's six-dimension quality judge over candidates, cached so a rerun re-judges nothing.
 */
import type { CommandModule } from "yargs";
import { ConfigError } from "../../errors.js";
import { issueToString } from "../../io/input-issue.js";
import { loadJudgeTemplate } from "../../judge/judge-template.js";
import { runJudge } from "../../judge/run-judge.js";
import { estimateJudgeCost } from "../../judge/judge-cost.js";
import { costEstimateText } from "../../llm/cost-estimate.js";
import { countJsonlLines } from "../item-progress.js";
import { llmClientOptionsFromArgs, llmOptions, type LlmArgs } from "../llm-options.js";
import { budgetMessage, spendFields, spendText } from "../spend-text.js";
import { RESUME_FROM_CACHE, runCommand } from "../run-command.js";

interface JudgeArgs extends LlmArgs {
  candidates: string;
  out: string;
  cache?: string | undefined;
  template?: string | undefined;
  attempts: number;
  temperature: number;
  "max-tokens": number;
  twice: boolean;
  "retry-failed": boolean;
  "skip-invalid": boolean;
  journal?: string | undefined;
  json: boolean;
}

export const judgeCommand: CommandModule<object, JudgeArgs> = {
  command: "judge <candidates>",
  describe: "Score candidates with an LLM judge on LongBench-Write's six quality dimensions",
  builder: (yargs) =>
    yargs
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
      ),
  handler: runCommand(async (args: JudgeArgs, run) => {
    for (const name of ["attempts", "max-tokens"] as const) {
      if (!Number.isInteger(args[name]) || args[name] < 1) throw new ConfigError(`--${name} must be a positive integer, got ${args[name]}`);
    }
    const template = await loadJudgeTemplate(args.template);
    const llm = await llmClientOptionsFromArgs(args);
    if (args["dry-run"]) {
      const estimate = await estimateJudgeCost({
        input: args.candidates,
        cachePath: args.cache ?? `${args.out}.judge-cache.jsonl`,
        judgeModel: args.model,
        template,
        twice: args.twice,
        retryFailed: args["retry-failed"],
        prices: llm.prices,
        skipInvalid: args["skip-invalid"],
      });
      process.stdout.write(args.json ? `${JSON.stringify(estimate)}\n` : costEstimateText("judge", estimate));
      return 0;
    }
    const progress = run.progress("judge", await countJsonlLines(args.candidates));
    const { invalid, agreementPath, ...summary } = await runJudge({
      input: args.candidates,
      out: args.out,
      cachePath: args.cache,
      journalPath: args.journal,
      template,
      llm,
      judgeModel: args.model,
      maxAttempts: args.attempts,
      temperature: args.temperature,
      maxTokens: args["max-tokens"],
      twice: args.twice,
      retryFailed: args["retry-failed"],
      skipInvalid: args["skip-invalid"],
      signal: run.signal,
      onProgress: ({ done, cached, unscored, totals }) => progress.update(done, { cached, unscored, ...spendFields(totals) }),
    });
    progress.stop();
    for (const issue of invalid) process.stderr.write(`skipped ${issueToString(issue)}\n`);
    if (summary.failed > 0) {
      if (args.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      process.stderr.write(
        `error: ${summary.failed} candidate(s) got no verdict: the judge call failed in transport (listed in ${summary.failuresPath}). ` +
          `Nothing was written to ${args.out}; run the same command again to judge only those (the other verdicts are cached).\n`,
      );
      if (summary.budgetReached) process.stderr.write(budgetMessage(summary, args["max-cost"]!));
      return 1;
    }
    if (args.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      process.stdout.write(
        `judged ${summary.candidates} candidates → ${args.out} (${summary.fromCache} from the cache, ${summary.calls} judge calls, ${summary.unscored} without a usable verdict; ${spendText(summary)})\n`,
      );
      if (summary.budgetReached) process.stderr.write(budgetMessage(summary, args["max-cost"]!));
      const { agreement } = summary;
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
  }, RESUME_FROM_CACHE),
};
