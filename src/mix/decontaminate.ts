/**
 * @module mix/decontaminate — eval decontamination by n-gram overlap. Eval prompts (LongBench-Write's by
 * default) are indexed by their word n-grams; a training row is contaminated when one of its user turns
 * contains at least `threshold` of some eval prompt's n-grams. The match names the eval prompt.
 */
import { InputError } from "../errors.js";
import { readJsonl } from "../io/jsonl.js";
import type { Message } from "../schemas/message.js";
import { shingleHashes, wordTokens } from "./text-shingles.js";

/** One eval prompt and where it came from. */
export interface EvalPrompt {
  file: string;
  line: number;
  text: string;
}

export interface DecontaminationOptions {
  /** Tokens per n-gram. @default 8 */
  ngram?: number | undefined;
  /** Share of an eval prompt's n-grams that must occur in one user turn. @default 0.5 */
  threshold?: number | undefined;
}

/** A contaminated row's match. */
export interface ContaminationMatch {
  evalFile: string;
  evalLine: number;
  /** The eval prompt's first 120 characters. */
  evalPrompt: string;
  /** Share of the eval prompt's n-grams found. */
  overlap: number;
}

/** Prompts with fewer tokens than this are too short to match on reliably and are skipped. */
const MIN_PROMPT_TOKENS = 4;

/**
 * Reads eval prompts from JSONL files: each row's `prompt` (LongBench-Write), `instruction`/`input`
 * (Alpaca-like) or the user turns of `messages`.
 */
export async function readEvalPrompts({ files }: { files: readonly string[] }): Promise<EvalPrompt[]> {
  const prompts: EvalPrompt[] = [];
  for (const file of files) {
    let count = 0;
    for await (const { line, record } of readJsonl<Record<string, unknown>>(file)) {
      const texts = promptTexts(record);
      if (texts.length === 0) {
        throw new InputError({ file, line, field: "prompt" }, "an eval prompt row needs a string `prompt`, `instruction` or user `messages`");
      }
      for (const text of texts) prompts.push({ file, line, text });
      count++;
    }
    if (count === 0) throw new InputError({ file }, "no eval prompts in the file");
  }
  return prompts;
}

function promptTexts(record: Record<string, unknown>): string[] {
  if (typeof record.prompt === "string") return [record.prompt];
  if (typeof record.instruction === "string") {
    return [typeof record.input === "string" && record.input ? `${record.instruction}\n${record.input}` : record.instruction];
  }
  if (Array.isArray(record.messages)) {
    return (record.messages as Array<Partial<Message>>).filter((m) => m?.role === "user" && typeof m.content === "string").map((m) => m.content as string);
  }
  return [];
}

/** An n-gram index of eval prompts; `match(messages)` returns the best match over the user turns, or null. */
export interface Decontaminator {
  match(messages: readonly Message[]): ContaminationMatch | null;
  /** Eval prompts indexed (after skipping very short ones). */
  readonly prompts: number;
}

/**
 * Builds the index.
 *
 * @example const dc = createDecontaminator({ prompts: await readEvalPrompts({ files: ["longbench_write.jsonl"] }) });
 */
export function createDecontaminator({ prompts, ngram = 8, threshold = 0.5 }: { prompts: readonly EvalPrompt[] } & DecontaminationOptions): Decontaminator {
  const index = new Map<number, number[]>();
  const gramCounts: number[] = [];
  const kept: EvalPrompt[] = [];
  const widths = new Set<number>();
  for (const prompt of prompts) {
    const tokens = wordTokens(prompt.text);
    if (tokens.length < MIN_PROMPT_TOKENS) continue;
    const id = kept.length;
    kept.push(prompt);
    const grams = shingleHashes(tokens, ngram);
    widths.add(Math.min(ngram, tokens.length));
    gramCounts.push(grams.length);
    for (const gram of grams) {
      const list = index.get(gram);
      if (list) list.push(id);
      else index.set(gram, [id]);
    }
  }
  return {
    prompts: kept.length,
    match(messages) {
      let best: ContaminationMatch | null = null;
      for (const message of messages) {
        if (message.role !== "user") continue;
        const tokens = wordTokens(message.content);
        if (tokens.length === 0) continue;
        const hits = new Map<number, number>();
        // An eval prompt shorter than `ngram` tokens is one shingle of its own length: look for it at
        // that width too. A shingle is counted once per prompt.
        for (const width of widths) {
          if (width > tokens.length) continue;
          for (const gram of shingleHashes(tokens, width)) {
            for (const id of index.get(gram) ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
          }
        }
        for (const [id, count] of hits) {
          const overlap = count / gramCounts[id]!;
          if (overlap >= threshold && (best === null || overlap > best.overlap)) {
            const prompt = kept[id]!;
            best = { evalFile: prompt.file, evalLine: prompt.line, evalPrompt: prompt.text.slice(0, 120), overlap: round(overlap) };
          }
        }
      }
      return best;
    },
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
