/**
 * @module stats/dataset-stats — what `longwriter stats` reports about a dataset: rows, languages, the
 * length of the final assistant turn (LongBench-Write words and, optionally, tokens), the share over
 * 2k/4k/10k words, and how well outputs meet the length their prompt asks for (S_l). Candidates (`sample` /
 * `judge` output) are described the same way, by their response, with prompts counted and judge quality.
 */
import type { CanonicalRecord, RecordKind } from "../io/adapters/format.js";
import { isPreferencePair } from "../io/adapters/format.js";
import type { Candidate } from "../schemas/candidate.js";
import { hasCandidateShape } from "../schemas/candidate-shape.js";
import type { Message } from "../schemas/message.js";
import { countWords } from "../text/count-words.js";
import { detectLanguage } from "../text/language.js";
import { lengthScore } from "../text/length-score.js";
import { extractRequiredLength } from "../text/required-length.js";
import { bucketize, summarize, type Bucket, type Summary } from "./summarize.js";

/** Word thresholds whose exceedance share is reported (LongWriter's long-output regime). */
export const OVER_WORDS = [2000, 4000, 10000] as const;
/** Lower edges of the word-length table. */
export const WORD_BUCKETS = [0, 500, 1000, 2000, 4000, 10000, 20000] as const;
/** Lower edges of the S_l table (0–100). */
export const SL_BUCKETS = [0, 20, 40, 60, 80, 90] as const;

/** What a row is: an SFT record, a preference pair, or a sampled candidate. */
export type StatsKind = RecordKind | "candidates";

export interface DatasetStats {
  rows: number;
  /** "sft", "preference", "candidates", or null when there were no rows. */
  kind: StatsKind | null;
  /** What was measured: the final assistant turn of each SFT record, of each pair's chosen side, or each candidate's response. */
  measured: "final assistant turn" | "chosen final assistant turn" | "sampled response";
  /** Rows whose messages start with a system turn. */
  withSystem: number;
  /** Rows with more than one user turn. */
  multiTurn: number;
  /** Language of the last user prompt, by script (detectLanguage): zh, en, other. */
  languages: Record<string, number>;
  words: Summary | null;
  tokens: (Summary & { tokenizer: string }) | null;
  /** Rows whose measured turn has more than N words, per N in OVER_WORDS. */
  over: Array<{ words: number; count: number; share: number }>;
  wordBuckets: Bucket[];
  /** The same buckets in tokens (null without a token counter). */
  tokenBuckets: Bucket[] | null;
  requiredLength: {
    /** Rows whose last user prompt states a length (extractRequiredLength ≠ null). */
    stated: number;
    share: number;
    /** The stated lengths. */
    required: Summary | null;
    /** S_l (LongWriter Eq. 1, 0–100) of the measured turn against the stated length. */
    sl: Summary | null;
    slBuckets: Bucket[];
  };
  /** For candidates: how many prompts they answer, how many have a judge quality score, and its summary (0–100). */
  candidates: { prompts: number; judged: number; quality: Summary | null } | null;
}

export interface DatasetStatsOptions {
  /** Token counter for the measured turn (e.g. from createTokenCounter); no token stats without it. */
  countTokens?: ((text: string) => number) | undefined;
  /** Name of that tokenizer, for the report. */
  tokenizer?: string | undefined;
  /** Called every 1,000 rows. */
  onProgress?: ((rows: number) => void) | undefined;
}

/** The measured word (and token) lengths, kept for plotting. */
export interface DatasetLengths {
  words: number[];
  tokens: number[];
}

function lastOf(messages: readonly Message[], role: Message["role"]): Message | undefined {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === role) return messages[i];
  return undefined;
}

/**
 * Computes dataset statistics over canonical records (streamed; per row only a few numbers are kept).
 * Returns the stats and the raw lengths (for a histogram).
 *
 * @example
 * const { stats } = await computeDatasetStats(mapRecords(readRecords("sft.jsonl")));
 */
export async function computeDatasetStats(
  records: Iterable<CanonicalRecord | Candidate> | AsyncIterable<CanonicalRecord | Candidate>,
  { countTokens, tokenizer, onProgress }: DatasetStatsOptions = {},
): Promise<{ stats: DatasetStats; lengths: DatasetLengths }> {
  const words: number[] = [];
  const tokens: number[] = [];
  const required: number[] = [];
  const sl: number[] = [];
  const languages: Record<string, number> = {};
  let rows = 0;
  let kind: StatsKind | null = null;
  let withSystem = 0;
  let multiTurn = 0;
  const prompts = new Set<string>();
  const quality: number[] = [];
  for await (const record of records as AsyncIterable<CanonicalRecord | Candidate>) {
    rows += 1;
    let prompt: string;
    let text: string;
    let target: number | null;
    if (isCandidate(record)) {
      // A candidate's prompt is one user turn; its required length is the one `sample` recorded (a
      // LongBench-Write row's own length field, else parsed from the prompt), so S_l matches lengthScore.
      kind ??= "candidates";
      prompts.add(record.promptId);
      if (typeof record.judgement?.quality === "number") quality.push(record.judgement.quality);
      prompt = record.prompt;
      text = record.response;
      target = record.requiredLength;
    } else {
      const pair = isPreferencePair(record);
      kind ??= pair ? "preference" : "sft";
      const context = pair ? record.prompt : record.messages;
      const answer = pair ? lastOf(record.chosen, "assistant") : lastOf(record.messages, "assistant");
      prompt = lastOf(context, "user")?.content ?? "";
      if (context[0]?.role === "system") withSystem += 1;
      if (context.filter((m) => m.role === "user").length > 1) multiTurn += 1;
      text = answer?.content ?? "";
      target = extractRequiredLength(prompt);
    }
    const language = detectLanguage(prompt);
    languages[language] = (languages[language] ?? 0) + 1;
    const n = countWords(text);
    words.push(n);
    if (countTokens) tokens.push(countTokens(text));
    if (target !== null && target > 0) {
      required.push(target);
      sl.push(lengthScore(target, n));
    }
    if (rows % 1000 === 0) onProgress?.(rows);
  }
  const tokenSummary = countTokens ? summarize(tokens) : null;
  const stats: DatasetStats = {
    rows,
    kind,
    measured: kind === "preference" ? "chosen final assistant turn" : kind === "candidates" ? "sampled response" : "final assistant turn",
    withSystem,
    multiTurn,
    languages: Object.fromEntries(Object.entries(languages).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))),
    words: summarize(words),
    tokens: tokenSummary ? { ...tokenSummary, tokenizer: tokenizer ?? "custom" } : null,
    over: OVER_WORDS.map((threshold) => {
      const count = words.filter((w) => w > threshold).length;
      return { words: threshold, count, share: rows === 0 ? 0 : count / rows };
    }),
    wordBuckets: bucketize(words, WORD_BUCKETS),
    tokenBuckets: countTokens ? bucketize(tokens, WORD_BUCKETS) : null,
    requiredLength: {
      stated: required.length,
      share: rows === 0 ? 0 : required.length / rows,
      required: summarize(required),
      sl: summarize(sl),
      slBuckets: bucketize(sl, SL_BUCKETS),
    },
    candidates: kind === "candidates" ? { prompts: prompts.size, judged: quality.length, quality: summarize(quality) } : null,
  };
  return { stats, lengths: { words, tokens } };
}

/** A Candidate (has a response and a promptId) rather than an SFT record or a preference pair. */
function isCandidate(record: CanonicalRecord | Candidate): record is Candidate {
  return hasCandidateShape(record);
}
