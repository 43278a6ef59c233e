/**
 * @module agentwrite/run-agentwrite — AgentWrite from an instructions file to an SFT file. Outputs are
 * written atomically at the end, in input order, so a killed run leaves no torn file; the LLM journal
 * beside the output (`<out>.journal.jsonl`) makes the re-run replay every finished call, so the resumed
 * output equals an uninterrupted run's. Failed instructions go to `<out>.failures.jsonl` with a reason.
 */
import { AtomicFile, removeStaleTempFiles } from "../io/atomic-file.js";
import type { InputIssue } from "../io/input-issue.js";
import { BATCH_WINDOW } from "../llm/batch-chat.js";
import { prevalidateInput } from "../io/prevalidate-input.js";
import { createLlmClient, type LlmClient, type LlmClientOptions, type LlmTotals } from "../llm/client.js";
import type { Instruction } from "../schemas/instruction.js";
import { agentWrite, type AgentWriteEvent, type AgentWriteOptions } from "./agent-write.js";
import type { AgentWriteFailure } from "./errors.js";
import { readInstructions } from "./read-instructions.js";
import { OptionError } from "../errors.js";
import { withOutputLock } from "../io/output-lock.js";

export interface RunAgentWriteOptions extends Omit<AgentWriteOptions, "client" | "instructions"> {
  /** Instructions JSONL (Instruction records or `{"prompt": ...}` lines). */
  input: string;
  /** Output SFT JSONL. */
  out: string;
  /** @default `${out}.failures.jsonl` */
  failuresPath?: string | undefined;
  /** @default `${out}.journal.jsonl` */
  journalPath?: string | undefined;
  /** Client options (the journal path is added); ignored when `client` is given. */
  llm?: LlmClientOptions | undefined;
  /** A ready client (tests, library callers); its journal is the caller's business. */
  client?: LlmClient | undefined;
  /** Instructions worked on at once. @default 2 × `llm.concurrency` (the Batch API: every instruction in the window) */
  parallel?: number | undefined;
  /** Skip invalid input lines (reported in the summary) instead of failing. @default false */
  skipInvalid?: boolean | undefined;
  /**
   * How many instructions may be started past the first one not yet written (bounds memory when one
   * instruction is slow). @default max(64, 8 × parallel)
   */
  lookAhead?: number | undefined;
  /** Called for every event (progress rendering). */
  onEvent?: ((event: AgentWriteEvent, llm: LlmTotals) => void) | undefined;
}

export interface AgentWriteSummary {
  /** Which prompts ran: upstream's or ours. */
  prompts: "upstream" | "toolkit";
  input: string;
  out: string;
  failuresPath: string;
  journalPath: string | null;
  instructions: number;
  done: number;
  failed: number;
  /** Instructions skipped because an earlier line had the same id. */
  duplicates: number;
  invalid: InputIssue[];
  failuresByKind: Record<string, number>;
  sections: number;
  words: number;
  llm: LlmTotals;
}

/**
 * Runs AgentWrite over a file.
 * @example
 * const summary = await runAgentWrite({ input: "inst.jsonl", out: "sft.jsonl", llm: { model: "gpt-4o" }, prompts });
 */
export async function runAgentWrite(options: RunAgentWriteOptions): Promise<AgentWriteSummary> {
  // One run per output: a second process on the same output would pay for every call again.
  return withOutputLock(options.out, () => agentWriteUnlocked(options));
}

async function agentWriteUnlocked(options: RunAgentWriteOptions): Promise<AgentWriteSummary> {
  const { input, out, skipInvalid = false, onEvent } = options;
  const failuresPath = options.failuresPath ?? `${out}.failures.jsonl`;
  const journalPath = options.client ? null : (options.journalPath ?? `${out}.journal.jsonl`);
  if (!options.client && !options.llm) throw new OptionError("runAgentWrite needs `client` or `llm` options", { field: "llm" });
  // Every line is validated before the first call is paid for (a bad line 9,000 must not cost 8,999
  // answers) and before the journal is created.
  await prevalidateInput(input, readInstructions(input, { skipInvalid, issues: [] }));
  const client = options.client ?? createLlmClient({ ...options.llm!, journalPath: journalPath! });
  // Batch mode starts every instruction at once: all plans go out as one batch, then each section
  // index is one batch (round k holds every instruction's k-th section). Direct calls: twice as many
  // instructions as call slots, so a slot freed between one instruction's serial calls goes to another
  // (agentWrite ranks the waiting calls); one instruction per slot left ~11 % of the slots idle.
  const parallel = options.parallel ?? (options.llm?.batch ? BATCH_WINDOW : 2 * (options.llm?.concurrency ?? 4));
  const invalid: InputIssue[] = [];
  let instructions = 0;
  let duplicates = 0;
  const seen = new Set<string>();
  async function* unique(): AsyncGenerator<Instruction> {
    for await (const { record } of readInstructions(input, { skipInvalid, issues: invalid })) {
      if (seen.has(record.id)) {
        duplicates += 1;
        continue;
      }
      seen.add(record.id);
      // Bounded look-ahead: finished records wait in memory only until the ones before them are written.
      while (instructions - nextPosition >= lookAhead) await new Promise<void>((resolve) => waiting.push(resolve));
      instructions += 1;
      yield record;
    }
  }

  // Temp files of earlier runs that were killed before renaming them into place.
  await removeStaleTempFiles(out);
  await removeStaleTempFiles(failuresPath);
  const outFile = await AtomicFile.open(out);
  const failFile = await AtomicFile.open(failuresPath);
  const pending = new Map<number, { line: string; failed: boolean }>();
  let nextPosition = 0;
  const lookAhead = options.lookAhead ?? Math.max(64, parallel * 8);
  const waiting: Array<() => void> = [];
  let done = 0;
  let failed = 0;
  let sections = 0;
  let words = 0;
  const failuresByKind: Record<string, number> = {};
  const flush = async (): Promise<void> => {
    for (let item = pending.get(nextPosition); item; item = pending.get(nextPosition)) {
      pending.delete(nextPosition);
      await (item.failed ? failFile : outFile).write(`${item.line}\n`);
      nextPosition += 1;
    }
    for (const resolve of waiting.splice(0)) resolve();
  };
  try {
    for await (const event of agentWrite({ ...options, parallel, client, instructions: unique() })) {
      if (event.type === "section") sections += 1;
      if (event.type === "done") {
        done += 1;
        words += (event.record.meta?.agentwrite as { words?: number } | undefined)?.words ?? 0;
        pending.set(event.position, { line: JSON.stringify(event.record), failed: false });
        await flush();
      } else if (event.type === "failed") {
        failed += 1;
        failuresByKind[event.failure.kind] = (failuresByKind[event.failure.kind] ?? 0) + 1;
        const failure: AgentWriteFailure = event.failure;
        pending.set(event.position, { line: JSON.stringify(failure), failed: true });
        await flush();
      }
      onEvent?.(event, client.totals());
    }
    await outFile.commit();
    await failFile.commit();
  } catch (error) {
    await outFile.abort();
    await failFile.abort();
    throw error;
  } finally {
    if (!options.client) await client.close();
  }
  return {
    prompts: options.prompts.preset ?? "toolkit",
    input,
    out,
    failuresPath,
    journalPath,
    instructions,
    done,
    failed,
    duplicates,
    invalid,
    failuresByKind,
    sections,
    words,
    llm: client.totals(),
  };
}
