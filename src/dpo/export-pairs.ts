/**
 * @module dpo/export-pairs — writes preference pairs in the layout a trainer reads:
 * - `trl`: JSONL of TRL conversational explicit-prompt rows (`prompt`, `chosen`, `rejected`, scores);
 * - `llama-factory`: a ShareGPT ranking file (JSON array) plus its entry in `dataset_info.json`
 *   (merged into an existing one);
 * - `openai-dpo`: OpenAI preference fine-tuning JSONL (`input.messages`, `preferred_output`,
 *   `non_preferred_output`).
 * Every file is written atomically. `openAiDpoToPair` reads the OpenAI layout back (for round trips).
 */
import { basename } from "node:path";
import { InputError, ToolkitError } from "../errors.js";
import { type AtomicFile, withAtomicFile } from "../io/atomic-file.js";
import { writeLlamaFactoryDataset } from "../io/llama-factory-dataset.js";
import { sharegptPreferenceAdapter } from "../io/adapters/sharegpt-preference.js";
import { trlAdapter } from "../io/adapters/trl.js";
import { messageSchema, type Message } from "../schemas/message.js";
import type { PreferencePair } from "../schemas/preference-pair.js";
import { pairToKtoRows, writeKtoJsonl, type KtoRow } from "./export-kto.js";

/**
 * `orpo` and `simpo` write exactly the `trl` rows: TRL's ORPOTrainer and CPOTrainer (SimPO is CPO with
 * `loss_type="simpo"`) read the same prompt/chosen/rejected preference columns as DPOTrainer.
 */
export const EXPORT_TARGETS = ["trl", "orpo", "simpo", "kto", "llama-factory", "openai-dpo"] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

export interface ExportResult {
  target: ExportTarget;
  rows: number;
  /** Files written. */
  files: string[];
  /** Things the user should know (e.g. multi-turn prompts in OpenAI's one-turn preference format). */
  warnings?: string[];
}

type PairSource = AsyncIterable<PreferencePair> | Iterable<PreferencePair>;

/** Drops the free-form envelope (meta varies row to row, which Arrow schema inference dislikes). */
function withoutMeta(row: Record<string, unknown>): Record<string, unknown> {
  const { meta: _meta, ...rest } = row;
  return rest;
}

async function writeLines(out: string, rows: AsyncIterable<Record<string, unknown>>): Promise<number> {
  return withAtomicFile(out, async (file: AtomicFile) => {
    let count = 0;
    let buffer = "";
    for await (const row of rows) {
      buffer += `${JSON.stringify(row)}\n`;
      count += 1;
      if (buffer.length >= 1 << 20) {
        await file.write(buffer);
        buffer = "";
      }
    }
    if (buffer) await file.write(buffer);
    return count;
  });
}

/**
 * TRL rows: `{id, prompt, chosen, rejected, score_chosen, score_rejected, signals?, reason?}` per line, for
 * DPOTrainer (`target: "trl"`), ORPOTrainer (`"orpo"`) or CPOTrainer with SimPO loss (`"simpo"`).
 */
export async function exportTrl({ pairs, out, target = "trl" }: { pairs: PairSource; out: string; target?: "trl" | "orpo" | "simpo" }): Promise<ExportResult> {
  async function* rows(): AsyncGenerator<Record<string, unknown>> {
    for await (const pair of pairs as AsyncIterable<PreferencePair>) yield withoutMeta(trlAdapter.fromCanonical(pair));
  }
  return { target, rows: await writeLines(out, rows()), files: [out] };
}

/** KTO rows from pairs: each pair gives its chosen answer (`label: true`) and its rejected one (`label: false`). */
export async function exportKto({ pairs, out }: { pairs: PairSource; out: string }): Promise<ExportResult> {
  async function* rows(): AsyncGenerator<KtoRow> {
    for await (const pair of pairs as AsyncIterable<PreferencePair>) yield* pairToKtoRows(pair);
  }
  const counts = await writeKtoJsonl({ rows: rows(), out });
  return { target: "kto", rows: counts.rows, files: [out] };
}

/** One OpenAI preference fine-tuning row; completions must be a single assistant turn each. */
export function pairToOpenAiDpo(pair: PreferencePair): Record<string, unknown> {
  const one = (side: "chosen" | "rejected"): Message[] => {
    const turns = pair[side];
    if (turns.length !== 1 || turns[0]!.role !== "assistant") {
      throw new ToolkitError(`pair ${pair.id}: ${side} has ${turns.length} turn(s); OpenAI preference data needs exactly one assistant turn`);
    }
    return [{ role: "assistant", content: turns[0]!.content }];
  };
  if (pair.prompt[pair.prompt.length - 1]?.role !== "user") {
    throw new ToolkitError(`pair ${pair.id}: the prompt must end with a user turn for OpenAI preference data`);
  }
  return {
    input: { messages: pair.prompt.map(({ role, content }) => ({ role, content })) },
    preferred_output: one("chosen"),
    non_preferred_output: one("rejected"),
  };
}

/** Reads an OpenAI preference row back into a pair (scores are not part of that format). */
export function openAiDpoToPair(raw: unknown, where: { file: string; line: number }): PreferencePair {
  const fail = (field: string, reason: string): never => {
    throw new InputError({ ...where, field }, reason);
  };
  if (typeof raw !== "object" || raw === null) return fail("", "expected an object");
  const row = raw as Record<string, unknown>;
  const input = row.input as Record<string, unknown> | undefined;
  const messages = (value: unknown, field: string): Message[] => {
    if (!Array.isArray(value) || value.length === 0) return fail(field, "expected a non-empty list of messages");
    return value.map((m, i) => {
      const parsed = messageSchema.safeParse(m);
      return parsed.success ? parsed.data : fail(`${field}.${i}`, "expected {role, content}");
    });
  };
  const prompt = messages(input?.messages, "input.messages");
  const chosen = messages(row.preferred_output, "preferred_output");
  const rejected = messages(row.non_preferred_output, "non_preferred_output");
  return { id: `${basename(where.file)}:${where.line}`, prompt, chosen, rejected, score_chosen: null, score_rejected: null };
}

/**
 * OpenAI preference fine-tuning JSONL. OpenAI trains on the final assistant turn only; pairs whose prompt
 * holds earlier assistant turns (multi-turn) are written, and counted in a warning.
 */
export async function exportOpenAiDpo({ pairs, out }: { pairs: PairSource; out: string }): Promise<ExportResult> {
  let multiTurn = 0;
  let firstId: string | undefined;
  async function* rows(): AsyncGenerator<Record<string, unknown>> {
    for await (const pair of pairs as AsyncIterable<PreferencePair>) {
      if (pair.prompt.some((m) => m.role === "assistant")) {
        multiTurn += 1;
        firstId ??= pair.id;
      }
      yield pairToOpenAiDpo(pair);
    }
  }
  const count = await writeLines(out, rows());
  const warnings =
    multiTurn > 0
      ? [
          `${multiTurn} of ${count} pairs have a multi-turn prompt (first: ${firstId}); OpenAI preference fine-tuning learns from the last assistant turn only, the earlier turns are context`,
        ]
      : [];
  return { target: "openai-dpo", rows: count, files: [out], ...(warnings.length ? { warnings } : {}) };
}

/** The `dataset_info.json` entry LLaMA-Factory needs for a ShareGPT ranking file. */
export function llamaFactoryDatasetInfo({ fileName, hasSystem }: { fileName: string; hasSystem: boolean }): Record<string, unknown> {
  return {
    file_name: fileName,
    formatting: "sharegpt",
    ranking: true,
    columns: { messages: "conversations", chosen: "chosen", rejected: "rejected", ...(hasSystem ? { system: "system" } : {}) },
  };
}

/**
 * LLaMA-Factory: `<outDir>/<name>.json` (JSON array of `{conversations, chosen, rejected, system?}`) and the
 * `<name>` entry in `<outDir>/dataset_info.json` (other entries kept).
 */
export async function exportLlamaFactory({ pairs, outDir, name }: { pairs: PairSource; outDir: string; name: string }): Promise<ExportResult> {
  async function* rows(): AsyncGenerator<Record<string, unknown>> {
    for await (const pair of pairs as AsyncIterable<PreferencePair>) yield withoutMeta(sharegptPreferenceAdapter.fromCanonical(pair));
  }
  const written = await writeLlamaFactoryDataset({
    outDir,
    name,
    rows: rows(),
    entry: ({ fileName, hasSystem }) => llamaFactoryDatasetInfo({ fileName, hasSystem }),
  });
  return { target: "llama-factory", ...written };
}
