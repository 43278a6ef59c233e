/**
 * @module select/run-select — `longwriter select`: find the instructions that need long answers, by
 * rules (stated length ≥ threshold; writing task + long-output cue) and optionally an LLM classifier,
 * and write them as Instruction records (requiredLength, language, reason) in input order.
 */
import { AtomicFile, removeStaleTempFiles } from "../io/atomic-file.js";
import { handleBadRecord, type InputIssue } from "../io/input-issue.js";
import { readRawRecords } from "../io/read-records.js";
import { InputError, OptionError } from "../errors.js";
import { createLlmClient, type LlmClient, type LlmClientOptions, type LlmTotals } from "../llm/client.js";
import { LlmCallError } from "../llm/errors.js";
import type { Instruction } from "../schemas/instruction.js";
import { detectLanguage } from "../text/language.js";
import { recordId } from "../text/record-id.js";
import { classifyInstruction, loadClassifierPrompt } from "./classify-instruction.js";
import { selectByRules } from "./select-by-rules.js";
import { mapOrdered } from "../util/map-ordered.js";

/** When the LLM classifier is asked: never, only when rules cannot tell (no stated length), or always. */
export type ClassifyMode = "none" | "undecided" | "all";

export interface SelectOptions {
  input: string;
  out: string;
  rejects?: string | undefined;
  /** Minimum answer length (words; characters for Chinese). @default 2000 */
  minLength?: number | undefined;
  /** @default "none" */
  classify?: ClassifyMode | undefined;
  /** Client options for the classifier (journal `<out>.journal.jsonl` added). */
  llm?: LlmClientOptions | undefined;
  client?: LlmClient | undefined;
  /** Own classifier template ({{instruction}}). */
  classifierPromptFile?: string | undefined;
  skipInvalid?: boolean | undefined;
  /** For a dataset dir input: the split to read, or "all". @default every file */
  split?: string | undefined;
  onProgress?: ((progress: { read: number; kept: number }) => void) | undefined;
}

export interface SelectSummary {
  input: string;
  out: string;
  rejects: string | null;
  read: number;
  kept: number;
  /** Kept rows by rule: length, cues, classifier. */
  keptBy: Record<string, number>;
  dropped: Record<string, number>;
  invalid: InputIssue[];
  llm: LlmTotals | null;
}

interface Decision {
  instruction: Instruction;
  keep: boolean;
  code: string;
}

/** The instruction text of a row: `prompt`, Alpaca `instruction` (+ `input`), or the first user turn. */
export function promptOfRow(row: Record<string, unknown>): string | undefined {
  if (typeof row.prompt === "string") return row.prompt;
  if (typeof row.instruction === "string") {
    return typeof row.input === "string" && row.input.trim() !== "" ? `${row.instruction}\n\n${row.input}` : row.instruction;
  }
  for (const field of ["messages", "conversations"]) {
    const turns = row[field];
    if (!Array.isArray(turns)) continue;
    for (const turn of turns as Array<Record<string, unknown>>) {
      const role = turn.role ?? turn.from;
      const content = turn.content ?? turn.value;
      if ((role === "user" || role === "human") && typeof content === "string") return content;
    }
  }
  return undefined;
}

/**
 * Selects long-output instructions from a file.
 * @example await runSelect({ input: "wildchat.jsonl", out: "long-instructions.jsonl", minLength: 2000 });
 */
export async function runSelect(options: SelectOptions): Promise<SelectSummary> {
  const { input, out, rejects, minLength = 2000, classify = "none", skipInvalid = false, onProgress } = options;
  let client = options.client;
  const ownClient = !client && classify !== "none";
  if (ownClient) {
    if (!options.llm) throw new OptionError("runSelect: classify needs `llm` options or a `client`", { field: "llm" });
    client = createLlmClient({ ...options.llm, journalPath: `${out}.journal.jsonl` });
  }
  const template = classify === "none" ? "" : await loadClassifierPrompt(options.classifierPromptFile);
  const invalid: InputIssue[] = [];
  const seen = new Set<string>();
  const summary: SelectSummary = { input, out, rejects: rejects ?? null, read: 0, kept: 0, keptBy: {}, dropped: {}, invalid, llm: null };

  const decide = async (prompt: string, row: Record<string, unknown>): Promise<Decision> => {
    const id = typeof row.id === "string" && row.id !== "" ? row.id : recordId(prompt);
    const rules = selectByRules({ prompt, minLength });
    const base: Instruction = {
      id,
      prompt,
      requiredLength: rules.requiredLength,
      language: detectLanguage(prompt),
      ...(typeof row.source === "string" ? { source: row.source } : {}),
      reason: rules.reason,
    };
    const ask = client && (classify === "all" || (classify === "undecided" && rules.undecided));
    if (!ask) return { instruction: base, keep: rules.keep, code: rules.rule };
    try {
      const result = await classifyInstruction({ client: client!, prompt, template });
      if (!result.ok) {
        return { instruction: { ...base, reason: `${rules.reason} (classifier reply unusable: ${result.reason})` }, keep: rules.keep, code: rules.rule };
      }
      const { writingTask, estimatedWords, reason } = result.verdict;
      const keep = writingTask && estimatedWords >= minLength;
      const why = `classifier: ${writingTask ? "writing task" : "not a writing task"}, about ${estimatedWords} words${reason ? ` — ${reason}` : ""}`;
      return {
        instruction: { ...base, reason: why, meta: { estimatedLength: estimatedWords } },
        keep,
        code: keep ? "classifier" : writingTask ? "classifier_short" : "classifier_not_writing",
      };
    } catch (error) {
      if (!LlmCallError.isLlmCallError(error) || error.kind === "aborted") throw error;
      return { instruction: { ...base, reason: `${rules.reason} (classifier call failed: ${error.kind})` }, keep: rules.keep, code: rules.rule };
    }
  };

  await removeStaleTempFiles(out);
  if (rejects) await removeStaleTempFiles(rejects);
  const outFile = await AtomicFile.open(out);
  const rejectFile = rejects ? await AtomicFile.open(rejects) : undefined;
  const emit = async (decision: Decision | "duplicate", row?: Record<string, unknown>): Promise<void> => {
    if (decision === "duplicate") {
      summary.dropped.duplicate = (summary.dropped.duplicate ?? 0) + 1;
      if (rejectFile) await rejectFile.write(`${JSON.stringify({ reason: "duplicate", record: row })}\n`);
      return;
    }
    if (decision.keep) {
      summary.kept += 1;
      summary.keptBy[decision.code] = (summary.keptBy[decision.code] ?? 0) + 1;
      await outFile.write(`${JSON.stringify(decision.instruction)}\n`);
    } else {
      summary.dropped[decision.code] = (summary.dropped[decision.code] ?? 0) + 1;
      if (rejectFile) await rejectFile.write(`${JSON.stringify({ reason: decision.code, record: decision.instruction })}\n`);
    }
    onProgress?.({ read: summary.read, kept: summary.kept });
  };
  try {
    // Up to `window` decisions in flight, written in input order as the head resolves.
    async function* prompts(): AsyncGenerator<{ prompt: string; row: Record<string, unknown>; duplicate: boolean }> {
      for await (const { file, line, record } of readRawRecords(input, {
        skipInvalid,
        issues: invalid,
        split: options.split,
      })) {
        const prompt = promptOfRow(record);
        if (prompt === undefined || prompt.trim() === "") {
          try {
            throw new InputError({ file, line, field: "prompt" }, "no instruction found (expected prompt, instruction, messages or conversations)");
          } catch (error) {
            handleBadRecord(error, { skipInvalid, issues: invalid });
            continue;
          }
        }
        summary.read += 1;
        const key = recordId(prompt);
        const duplicate = seen.has(key);
        seen.add(key);
        yield { prompt, row: record, duplicate };
      }
    }
    const decided = mapOrdered({
      source: prompts(),
      window: Math.max(8, (options.llm?.concurrency ?? 4) * 4),
      map: async ({ prompt, row, duplicate }) => ({ decision: duplicate ? ("duplicate" as const) : await decide(prompt, row), row }),
    });
    for await (const { decision, row } of decided) await emit(decision, row);
    await outFile.commit();
    await rejectFile?.commit();
  } catch (error) {
    await outFile.abort();
    await rejectFile?.abort();
    throw error;
  } finally {
    if (client) summary.llm = client.totals();
    if (ownClient) await client!.close();
  }
  return summary;
}
