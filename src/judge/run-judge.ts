/**
 * @module judge/run-judge — `judge` as a library call: a Candidate JSONL file through the quality judge
 * to an output file (atomic, in input order), every verdict cached in `<out>.judge-cache.jsonl` so a
 * re-run judges nothing twice; with `twice`, an agreement report in `<out>.agreement.json`. A candidate
 * whose judge call failed in transport is an item failure: listed in `<out>.failures.jsonl`, never cached,
 * and the output is then not written (the run is incomplete); a re-run asks only for those.
 */
import { writeFileAtomic } from "../io/atomic-file.js";
import type { InputIssue } from "../io/input-issue.js";
import { readJsonl, writeJsonl } from "../io/jsonl.js";
import { BATCH_WINDOW } from "../llm/batch-chat.js";
import { prevalidateInput } from "../io/prevalidate-input.js";
import { createLlmClient, type LlmClient, type LlmClientOptions } from "../llm/client.js";
import { spendSummary, type LlmTotals, type SpendSummary } from "../llm/spend-ledger.js";
import { candidateSchema, type Candidate } from "../schemas/candidate.js";
import type { Judgement } from "../schemas/judgement.js";
import { judgeAgreement, type JudgeAgreement } from "./judge-agreement.js";
import { openJudgeCache } from "./judge-cache.js";
import { judgeCandidates, type JudgeCandidatesOptions } from "./judge-candidates.js";
import { loadJudgeTemplate, type JudgeTemplate } from "./judge-template.js";
import { OptionError } from "../errors.js";
import { withOutputLock } from "../io/output-lock.js";

export interface RunJudgeOptions extends Omit<JudgeCandidatesOptions, "client" | "candidates" | "template" | "cache"> {
  /** JSONL of Candidate records (from `runSample`). */
  input: string;
  /** Output JSONL: the candidates with a `judgement` each. */
  out: string;
  /** @default `${out}.judge-cache.jsonl` */
  cachePath?: string | undefined;
  /** @default the bundled rubric (`loadJudgeTemplate()`) */
  template?: JudgeTemplate | undefined;
  /**
   * LLM call journal. @default none; `${out}.journal.jsonl` when `llm.batch` is set (the Batch API path
   * keeps its batch ids and answers there; verdicts stay in the cache either way)
   */
  journalPath?: string | undefined;
  /** Client options; ignored when `client` is given. */
  llm?: LlmClientOptions | undefined;
  /** A ready client (tests, library callers); closing it is the caller's business. */
  client?: LlmClient | undefined;
  /** Skip invalid candidate lines (listed in `invalid`) instead of stopping. @default false */
  skipInvalid?: boolean | undefined;
  /** Called after every candidate (progress rendering). */
  onProgress?: ((progress: { done: number; cached: number; unscored: number; totals: LlmTotals }) => void) | undefined;
}

export interface JudgeSummary extends SpendSummary {
  candidates: number;
  fromCache: number;
  unscored: number;
  judgeModel: string;
  templateHash: string;
  out: string;
  cache: string;
  /** With `twice`: how far the two verdicts agree (also written to `agreementPath`). */
  agreement?: JudgeAgreement;
  agreementPath?: string;
  /** Skipped input lines (with `skipInvalid`). */
  invalid: InputIssue[];
  /** Candidates whose judge call failed in transport (the output is not written when there are any). */
  failed: number;
  failuresPath?: string;
}

/** One candidate whose judge call failed in transport, as written to `<out>.failures.jsonl`. */
export interface JudgeFailure {
  promptId: string;
  sample: number;
  prompt: string;
  kind: string;
  message: string;
}

/** Stops the output stream when candidates failed, so no incomplete output file is written. */
class IncompleteJudging extends Error {}

/**
 * Judges a candidates file.
 *
 * @example
 * const summary = await runJudge({ input: "candidates.jsonl", out: "scored.jsonl", llm: { model: "gpt-4o" }, judgeModel: "gpt-4o" });
 */
export async function runJudge(options: RunJudgeOptions): Promise<JudgeSummary> {
  // One run per output: a second process on the same output would pay for every call again.
  return withOutputLock(options.out, () => judgeUnlocked(options));
}

async function judgeUnlocked(options: RunJudgeOptions): Promise<JudgeSummary> {
  const {
    input,
    out,
    skipInvalid = false,
    onProgress,
    llm,
    client: given,
    cachePath = `${out}.judge-cache.jsonl`,
    journalPath: journalOption,
    ...judging
  } = options;
  const journalPath = journalOption ?? (llm?.batch ? `${out}.journal.jsonl` : undefined);
  const template = options.template ?? (await loadJudgeTemplate());
  if (!given && !llm) throw new OptionError("runJudge needs `client` or `llm` options", { field: "llm" });
  // The whole input is validated before the cache is opened and the first call is paid for.
  await prevalidateInput(input, readJsonl(input, { schema: candidateSchema, skipInvalid, issues: [] }));
  const cache = openJudgeCache({ path: cachePath });
  const client = given ?? createLlmClient(journalPath ? { ...llm!, journalPath } : llm!);
  const invalid: InputIssue[] = [];
  const pairs: Array<[Judgement, Judgement]> = [];
  let done = 0;
  let cached = 0;
  let unscored = 0;
  let written = 0;
  const failures: JudgeFailure[] = [];
  try {
    const candidates = (async function* (): AsyncGenerator<Candidate> {
      for await (const { record } of readJsonl(input, { schema: candidateSchema, skipInvalid, issues: invalid })) yield record;
    })();
    written = await writeJsonl(
      out,
      (async function* () {
        for await (const judged of judgeCandidates({
          ...judging,
          client,
          candidates,
          template,
          cache,
          // Batch mode keeps a batch file's worth of candidates in flight, so they go out as one batch.
          window: judging.window ?? (llm?.batch ? BATCH_WINDOW : Math.max(4, (llm?.concurrency ?? 4) * 2)),
        })) {
          done += 1;
          if (judged.failure) {
            const { candidate } = judged;
            failures.push({ promptId: candidate.promptId, sample: candidate.sample, prompt: candidate.prompt, ...judged.failure });
            onProgress?.({ done, cached, unscored, totals: client.totals() });
            continue;
          }
          if (judged.cached) cached += 1;
          if (judged.candidate.judgement?.scores === null) unscored += 1;
          if (judged.second) pairs.push([judged.candidate.judgement!, judged.second]);
          onProgress?.({ done, cached, unscored, totals: client.totals() });
          yield judged.candidate;
        }
        if (failures.length > 0) throw new IncompleteJudging();
      })(),
    );
  } catch (error) {
    if (!(error instanceof IncompleteJudging)) throw error;
  } finally {
    cache.close();
    if (!given) await client.close();
  }
  const failuresPath = `${out}.failures.jsonl`;
  if (failures.length > 0) await writeJsonl(failuresPath, failures);
  const totals = client.totals();
  const agreement = judging.twice ? judgeAgreement(pairs) : undefined;
  const agreementPath = `${out}.agreement.json`;
  if (agreement) await writeFileAtomic(agreementPath, `${JSON.stringify(agreement, null, 2)}\n`);
  return {
    candidates: written,
    fromCache: cached,
    unscored,
    judgeModel: judging.judgeModel,
    templateHash: template.hash,
    ...spendSummary(totals),
    out,
    cache: cachePath,
    ...(agreement ? { agreement, agreementPath } : {}),
    invalid,
    failed: failures.length,
    ...(failures.length > 0 ? { failuresPath } : {}),
  };
}
