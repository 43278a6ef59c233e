/**
 * @module dpo/export-kto — unpaired preference data for TRL's KTOTrainer: one row per completion with
 * `prompt` (the conversation before the answer), `completion` (the assistant answer) and a boolean `label`
 * (desirable or not), in TRL's conversational form (message lists). Rows come from preference pairs (the
 * chosen side → `label: true`, the rejected side → `label: false`) or from feedback data such as
 * LLaMA-Factory's `kto_en_demo.json` (`messages` ending with the assistant's answer, plus `label`).
 */
import { InputError } from "../errors.js";
import { withAtomicFile } from "../io/atomic-file.js";
import { messageSchema, type Message } from "../schemas/message.js";
import type { PreferencePair } from "../schemas/preference-pair.js";

/** One KTO row (TRL's conversational unpaired preference format). */
export interface KtoRow {
  prompt: Message[];
  completion: Message[];
  label: boolean;
}

/** The two KTO rows of a pair: its chosen answer is desirable, its rejected answer is not. */
export function pairToKtoRows(pair: PreferencePair): [KtoRow, KtoRow] {
  const prompt = pair.prompt.map(({ role, content }) => ({ role, content }));
  const side = (turns: Message[]): Message[] => turns.map(({ role, content }) => ({ role, content }));
  return [
    { prompt, completion: side(pair.chosen), label: true },
    { prompt: prompt.map((m) => ({ ...m })), completion: side(pair.rejected), label: false },
  ];
}

/** Whether a raw record is feedback data (`messages` + boolean `label`) rather than a pair. */
export function isKtoFeedback(raw: unknown): boolean {
  return typeof raw === "object" && raw !== null && Array.isArray((raw as { messages?: unknown }).messages) && typeof (raw as { label?: unknown }).label === "boolean";
}

/**
 * A KTO row from feedback data: `{messages: [..., {role: "assistant", content}], label: true|false}` (the
 * layout of `kto_en_demo.json`); the last turn is the completion, the turns before it the prompt.
 */
export function ktoRowFromFeedback(raw: unknown, where: { file: string; line: number }): KtoRow {
  const fail = (field: string, reason: string): never => {
    throw new InputError({ ...where, field }, reason);
  };
  if (!isKtoFeedback(raw)) return fail("", "expected {messages: [...], label: true|false}");
  const row = raw as { messages: unknown[]; label: boolean };
  const messages = row.messages.map((m, i) => {
    const parsed = messageSchema.safeParse(m);
    return parsed.success ? { role: parsed.data.role, content: parsed.data.content } : fail(`messages.${i}`, "expected {role, content}");
  });
  const last = messages.at(-1);
  if (!last || last.role !== "assistant") fail(`messages.${messages.length - 1}`, "the last turn must be the assistant's answer (the completion)");
  if (messages.length < 2 || messages.at(-2)!.role !== "user") fail(`messages.${messages.length - 2}`, "the answer must follow a user turn");
  if (last!.content.trim() === "") fail(`messages.${messages.length - 1}.content`, "the completion is empty");
  return { prompt: messages.slice(0, -1), completion: [last!], label: row.label };
}

/**
 * Checks a row against TRL's documented KTO dataset columns: `prompt` and `completion` of the same kind
 * (both text, or both message lists — the completion being assistant turns), and a boolean `label`.
 * Returns the problems (empty when the row is valid).
 */
export function ktoRowProblems(row: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const keys = Object.keys(row).sort();
  if (keys.join(",") !== "completion,label,prompt") problems.push(`columns must be prompt, completion, label (got ${keys.join(", ")})`);
  if (typeof row.label !== "boolean") problems.push("label must be a boolean");
  const isMessages = (v: unknown) =>
    Array.isArray(v) && v.length > 0 && v.every((m) => typeof m === "object" && m !== null && typeof (m as Message).role === "string" && typeof (m as Message).content === "string");
  const conversational = isMessages(row.prompt);
  if (conversational) {
    if (!isMessages(row.completion)) problems.push("a conversational prompt needs a conversational completion (a list of messages)");
    else if (!(row.completion as Message[]).every((m) => m.role === "assistant")) problems.push("completion turns must be the assistant's");
    if ((row.prompt as Message[]).at(-1)?.role === "assistant") problems.push("the prompt must not end with the assistant's turn");
  } else if (typeof row.prompt !== "string" || typeof row.completion !== "string") {
    problems.push("prompt and completion must both be strings or both be message lists");
  }
  return problems;
}

/** Writes KTO rows as JSONL (atomically); returns the counts of desirable and undesirable rows. */
export async function writeKtoJsonl({ rows, out }: { rows: AsyncIterable<KtoRow> | Iterable<KtoRow>; out: string }): Promise<{ rows: number; desirable: number; undesirable: number }> {
  return withAtomicFile(out, async (file) => {
    let desirable = 0;
    let undesirable = 0;
    let buffer = "";
    for await (const row of rows as AsyncIterable<KtoRow>) {
      buffer += `${JSON.stringify({ prompt: row.prompt, completion: row.completion, label: row.label })}\n`;
      if (row.label) desirable += 1;
      else undesirable += 1;
      if (buffer.length >= 1 << 20) {
        await file.write(buffer);
        buffer = "";
      }
    }
    if (buffer) await file.write(buffer);
    return { rows: desirable + undesirable, desirable, undesirable };
  });
}
