/**
 * @module dpo/run-sample — `sample` as a library call: k responses per prompt from a prompts file to a
 * Candidate JSONL file (atomic, in input order), failed samples to `<out>.failures.jsonl`, every finished
 * call in the journal beside the output so a re-run replays them for free.
 */
import { rm } from "node:fs/promises";
import type { InputIssue } from "../io/input-issue.js";
import { writeJsonl } from "../io/jsonl.js";
import { BATCH_WINDOW } from "../llm/batch-chat.js";
import { createLlmClient, type LlmClient, type LlmClientOptions } from "../llm/client.js";
import { spendSummary, type LlmTotals, type SpendSummary } from "../llm/spend-ledger.js";
import { sampleCandidates, type SampleCandidatesOptions, type SampleFailure } from "./sample-candidates.js";
import { prevalidateInput } from "../io/prevalidate-input.js";
import { readSamplePrompts } from "./sample-prompts.js";
import { OptionError } from "../errors.js";
import { withOutputLock } from "../io/output-lock.js";

export interface RunSampleOptions extends Omit<SampleCandidatesOptions, "client" | "prompts"> {
  /** Prompts: JSONL (or a JSON array) of `{"prompt": ...}` lines, Instruction records or LongBench-Write rows. */
  input: string;
  /** Output JSONL of Candidate records. */
  out: string;
  /** @default `${out}.failures.jsonl` */
  failuresPath?: string | undefined;
  /** @default `${out}.journal.jsonl` */
  journalPath?: string | undefined;
  /** Client options (the journal path is added); ignored when `client` is given. */
  llm?: LlmClientOptions | undefined;
  /** A ready client (tests, library callers); its journal and closing are the caller's business. */
  client?: LlmClient | undefined;
  /** Skip invalid prompt lines (listed in `invalid`) instead of stopping. @default false */
  skipInvalid?: boolean | undefined;
  /** Called after every prompt (progress rendering). */
  onProgress?: ((progress: { prompts: number; replayed: number; failed: number; totals: LlmTotals }) => void) | undefined;
}

export interface SampleSummary extends SpendSummary {
  prompts: number;
  candidates: number;
  failedSamples: number;
  skippedLines: number;
  out: string;
  journal: string | null;
  /** The failures file, when any sample failed. */
  failures?: string;
  /** Skipped input lines (with `skipInvalid`). */
  invalid: InputIssue[];
}

/**
 * Samples a prompts file into a candidates file. The output appears only when the run ends; the
 * failures file is written when a sample failed and removed otherwise.
 *
 * @example
 * const summary = await runSample({ input: "prompts.jsonl", out: "candidates.jsonl", llm: { model: "m" }, model: "m", n: 4 });
 */
export async function runSample(options: RunSampleOptions): Promise<SampleSummary> {
  // One run per output: a second process on the same output would pay for every call again.
  return withOutputLock(options.out, () => sampleUnlocked(options));
}

async function sampleUnlocked(options: RunSampleOptions): Promise<SampleSummary> {
  const { input, out, skipInvalid = false, onProgress, llm, client: given, failuresPath = `${out}.failures.jsonl`, ...rest } = options;
  const { journalPath: journalOption, ...sampling } = rest;
  const journalPath = given ? null : (journalOption ?? `${out}.journal.jsonl`);
  if (!given && !llm) throw new OptionError("runSample needs `client` or `llm` options", { field: "llm" });
  // The whole input is validated before the journal is created and the first call is paid for.
  await prevalidateInput(input, readSamplePrompts(input, { skipInvalid, issues: [] }));
  const client = given ?? createLlmClient({ ...llm!, journalPath: journalPath! });
  const n = sampling.n ?? 4;
  const invalid: InputIssue[] = [];
  const failures: SampleFailure[] = [];
  let prompts = 0;
  let replayed = 0;
  let written: number;
  try {
    const stream = sampleCandidates({
      ...sampling,
      client,
      prompts: readSamplePrompts(input, { skipInvalid, issues: invalid }),
      // Batch mode keeps a batch file's worth of requests in flight, so they go out as one batch.
      window: sampling.window ?? (llm?.batch ? Math.ceil(BATCH_WINDOW / n) : Math.max(1, Math.ceil((llm?.concurrency ?? 4) / n) * 2)),
    });
    written = await writeJsonl(
      out,
      (async function* () {
        for await (const sampled of stream) {
          prompts += 1;
          replayed += sampled.replayed;
          failures.push(...sampled.failures);
          onProgress?.({ prompts, replayed, failed: failures.length, totals: client.totals() });
          yield* sampled.candidates;
        }
      })(),
    );
  } finally {
    if (!given) await client.close();
  }
  if (failures.length > 0) await writeJsonl(failuresPath, failures);
  else await rm(failuresPath, { force: true });
  const totals = client.totals();
  return {
    prompts,
    candidates: written,
    failedSamples: failures.length,
    skippedLines: invalid.length,
    ...spendSummary(totals),
    out,
    journal: journalPath,
    ...(failures.length > 0 ? { failures: failuresPath } : {}),
    invalid,
  };
}
