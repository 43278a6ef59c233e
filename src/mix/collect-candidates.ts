/**
 * @module mix/collect-candidates — the mixer's first pass. Reads every source once, in recipe order,
 * converts rows to SftRecords, and sends each row through filters → decontamination → exact dedup →
 * near dedup. Survivors go to the row spool with their words (and tokens when needed); every other row is
 * counted under the reason it was dropped.
 *
 * JSONL files are read in byte ranges and Parquet files in ranges of rows (io/record-range-pool,
 * io/parquet-ranges), by reader threads when the input is big enough: they parse, adapt, filter and
 * serialise rows and compute ids, exact-dedup keys and words (mix/candidate-range-handler). This thread
 * takes the results in file order and does what depends on earlier rows (dedup sets, decontamination, near
 * dedup, tokens, the spool), parsing a row's bytes only when one of those needs it. So the spool is the
 * same bytes whatever the number of threads; a dataset dir's Parquet files are read in ranges too. Other
 * inputs (JSON arrays, dirs of JSON data files) are read here, through `readRecords`.
 */
import { availableParallelism } from "node:os";
import { stat } from "node:fs/promises";
import { ToolkitError } from "../errors.js";
import type { SftFormat } from "../io/adapters/format.js";
import type { InputIssue } from "../io/input-issue.js";
import { inProcessReader, isParquetFile, RANGE_BYTES, readFileRanges, RecordRangePool, type RangeReader } from "../io/record-range-pool.js";
import { rowBytesObject } from "../io/json-row.js";
import { isPackedSftRow, unpackSftRow } from "../io/packed-sft-row.js";
import { isSplittableJsonl, parquetFilesIn, readRecords } from "../io/read-records.js";
import { resolveThreads } from "../io/row-group-pool.js";
import { moduleUrl } from "../io/start-worker.js";
import type { MixFilters } from "../schemas/mix-recipe.js";
import type { SftRecord } from "../schemas/sft-record.js";
import { createRangeHandler, type CandidateHandlerOptions, type CandidateRange } from "./candidate-range-handler.js";
import type { ContaminationMatch, Decontaminator } from "./decontaminate.js";
import { byteTurnsNormalised, messagesKeyHash, normalisedTurns } from "./exact-dedup.js";
import { buildRowFilter, chainFilters, type RowFilter } from "./filters/build-row-filter.js";
import type { createMinHashDedup } from "./minhash-dedup.js";
import { RowKeyTable, type RowTexts } from "./row-key-table.js";
import { NumberColumn, type RowSpool } from "./row-spool.js";
import { spoolRowFacts, type SpoolRowFacts } from "./spool-row-facts.js";

/** A source ready to read: its files and its filter. */
export interface CollectSource {
  tag: string;
  /** Local files to read, in order, with the name shown in manifests. */
  files: Array<{ path: string; display: string }>;
  format: SftFormat | "auto";
  /** The recipe's filters for this source, in order (recipe-wide, then the source's own); rebuilt where rows are read. */
  filterSpecs: Array<MixFilters | undefined>;
  /** A caller's own filter (runs in this thread, after the recipe's). */
  ownFilter: RowFilter | undefined;
  /** Count tokens for this source's rows (a tokens budget or recipe-wide token stats). */
  countTokens: ((text: string) => number) | undefined;
}

/** A contaminated row, reported in the manifest. */
export interface ContaminatedRow extends ContaminationMatch {
  source: string;
  file: string;
  line: number;
  id: string;
}

/** What the first pass saw for one source. */
export interface CollectedSource {
  tag: string;
  /** Rows read, including invalid ones. */
  input: number;
  /** Drops by reason (`invalid`, filter reasons, `duplicate:exact`, `duplicate:near`, `contaminated`). */
  dropped: Record<string, number>;
  /** First invalid rows (file, line, field, reason), for the manifest. */
  invalidExamples: InputIssue[];
  /** Format used per file. */
  formats: Record<string, string>;
  /** Candidate rows: spool indices [start, start + count). */
  start: number;
  count: number;
}

export interface CollectResult {
  sources: CollectedSource[];
  /** Words per spooled row (countWords over every turn). */
  words: NumberColumn;
  /** Words of the final assistant turn per spooled row (the card's length histogram). */
  answerWords: NumberColumn;
  /** Tokens per spooled row (NaN where not counted). */
  tokens: NumberColumn;
  /** Per spooled row: `rowTextBytes` of it as written (its SFT layout), so the writer can cut row groups unparsed. */
  textBytes: NumberColumn;
  /** Per spooled row: its id (copies of an upsampled row get `<id>#copy<k>` when written). */
  ids: string[];
  /** Spool indices of rows with tool calls or tools (their `textBytes` are in the tool-call layout). */
  toolRows: Set<number>;
  contaminated: ContaminatedRow[];
}

const MAX_INVALID_EXAMPLES = 20;
const HANDLER_URL = moduleUrl(import.meta.url, "./candidate-range-handler");
/**
 * Reader threads pay off only on enough input: each starts cold (~70 ms of CPU to start, then its own JIT warm-up
 * on the reading code), and with few cores they share the CPU with this thread, which spools their rows. On 2
 * cores (the bench mix, 2026-12-05): at 51 MB of JSONL, reading here ended the run in 0.67–0.69 s against 0.72 s
 * with one reader thread and 0.77–0.80 s with two; at 103 MB all three were even; at 206 MB two threads were
 * ~0.1 s ahead. So threads start from PARALLEL_BYTES ÷ the threads the cores can run at once (96 MiB on 2 cores,
 * 24 MiB on 8), and never below MIN_PARALLEL_BYTES.
 */
const PARALLEL_BYTES = 192 << 20;
const MIN_PARALLEL_BYTES = 16 << 20;

/**
 * Bytes of JSONL input (Parquet counted at about what it holds) from which `threads` reader threads are used on a
 * machine that runs `cores` threads at once.
 */
export function parallelReadingFrom(threads: number, cores: number = availableParallelism()): number {
  const concurrent = Math.max(1, Math.min(threads, cores));
  return Math.max(MIN_PARALLEL_BYTES, 2 * RANGE_BYTES, Math.round(PARALLEL_BYTES / concurrent));
}

/** Progress of the first pass. */
export interface CollectProgress {
  phase: "read";
  source: string;
  rows: number;
}

/** A row that passed the recipe's filters, as the stateful steps see it. */
interface Candidate {
  line: number;
  id: string;
  facts: SpoolRowFacts;
  /** The row (parsed from its bytes on first use when it was read elsewhere). */
  row(): SftRecord;
  /** Writes its exact-dedup key hash (`messagesKeyHash`) at `out[0]` and `out[1]`. */
  keyHash(out: Uint32Array): void;
  /** The UTF-8 of its `normalisedTurns` (what exact dedup compares when key hashes match). */
  normalised(): Uint8Array;
  /** Appends it to the spool; returns its index. */
  append(spool: RowSpool): number;
}

/**
 * Runs the first pass over `sources` into `spool`.
 */
export async function collectCandidates({
  sources,
  spool,
  exactDedup,
  nearDedup,
  decontaminator,
  onProgress,
  threads,
  rangeBytes,
  signal,
  onReadingHere,
}: {
  sources: readonly CollectSource[];
  spool: RowSpool;
  exactDedup: boolean;
  nearDedup: ReturnType<typeof createMinHashDedup> | undefined;
  decontaminator: Decontaminator | undefined;
  onProgress?: ((event: CollectProgress) => void) | undefined;
  /** Reader threads for JSONL and Parquet input. @default every core */
  threads?: number | undefined;
  /** Bytes per JSONL range (test seam): when given, reader threads are used whatever the input's size. */
  rangeBytes?: number | undefined;
  /** Stops the pass (its reason thrown at the next row) when aborted. */
  signal?: AbortSignal | undefined;
  /**
   * Called before the first row when the pass reads its sources on this thread, not in reader threads, with
   * their size in bytes (Parquet counted at twice its file size): the other cores idle until the write.
   */
  onReadingHere?: ((inputBytes: number) => void) | undefined;
}): Promise<CollectResult> {
  const exact = exactDedup ? new RowKeyTable() : undefined;
  const keyHash = new Uint32Array(2);
  /** The row the steps are on, and how the exact-dedup table compares it with an earlier row. */
  let checking: Candidate | undefined;
  const texts: RowTexts = {
    candidate: () => checking!.normalised(),
    spooled: (index) => spooledRowNormalised(spool.readView(index), index),
  };
  const words = new NumberColumn();
  const answerWords = new NumberColumn();
  const tokens = new NumberColumn();
  const textBytes = new NumberColumn();
  const toolRows = new Set<number>();
  const ids: string[] = [];
  const contaminated: ContaminatedRow[] = [];
  const collected: CollectedSource[] = [];
  const handlerOptions = sources.map((source): CandidateHandlerOptions => ({ tag: source.tag, filters: source.filterSpecs, exactKeys: exactDedup }));
  const reader = await rangeReader(sources, handlerOptions, threads, rangeBytes, onReadingHere);
  try {
    for (const [sourceIndex, source] of sources.entries()) {
      const stats: CollectedSource = { tag: source.tag, input: 0, dropped: {}, invalidExamples: [], formats: {}, start: spool.size, count: 0 };
      const drop = (reason: string): void => {
        stats.dropped[reason] = (stats.dropped[reason] ?? 0) + 1;
      };
      const countIssue = (issue: InputIssue, display: string): void => {
        stats.input++;
        drop("invalid");
        if (stats.invalidExamples.length < MAX_INVALID_EXAMPLES) stats.invalidExamples.push({ ...issue, file: display });
      };
      /** The stateful steps for one row that passed the recipe's filters (`reason` null) or not. */
      const take = (display: string, reason: string | null, candidate: Candidate): void => {
        checking = candidate;
        signal?.throwIfAborted();
        stats.input++;
        if (reason !== null) {
          drop(reason);
          return;
        }
        const own = source.ownFilter?.(candidate.row()) ?? null;
        if (own !== null) {
          drop(own);
          return;
        }
        const match = decontaminator?.match(candidate.row().messages);
        if (match) {
          drop("contaminated");
          contaminated.push({ source: source.tag, file: display, line: candidate.line, id: candidate.id, ...match });
          return;
        }
        let keySlot = -1;
        if (exact) {
          candidate.keyHash(keyHash);
          keySlot = exact.add(keyHash[0]!, keyHash[1]!, spool.size, texts);
          if (keySlot < 0) {
            drop("duplicate:exact");
            return;
          }
        }
        if (
          nearDedup &&
          nearDedup.check(
            candidate
              .row()
              .messages.map((m) => m.content)
              .join("\n"),
          ) !== null
        ) {
          // Its exact duplicates are still dropped as such: the table keeps its text, since the spool will not.
          if (keySlot >= 0) exact!.keepText(keySlot, texts.candidate());
          drop("duplicate:near");
          return;
        }
        const spoolIndex = candidate.append(spool);
        ids.push(candidate.id);
        const { facts } = candidate;
        if (facts.withTools) toolRows.add(spoolIndex);
        textBytes.push(facts.textBytes);
        words.push(facts.words);
        answerWords.push(facts.answerWords);
        if (source.countTokens) {
          let text = "";
          for (const message of candidate.row().messages) text += `${message.content}\n`;
          tokens.push(source.countTokens(text));
        } else tokens.push(Number.NaN);
        stats.count++;
        if (stats.input % 5000 === 0) onProgress?.({ phase: "read", source: source.tag, rows: stats.input });
      };

      for (const file of source.files) {
        const inRanges = reader !== undefined ? await rangeFiles(file.path) : undefined;
        if (inRanges !== undefined) {
          // A dataset dir's Parquet files are read one after the other under the dir's name, as `readRecords`
          // reads them (each file's format is the one recorded, the last file's winning).
          for (const path of inRanges) {
            const ranges = readFileRanges<CandidateRange>({
              reader: reader!,
              file: path,
              label: file.display,
              format: source.format,
              handler: sourceIndex,
              rangeBytes,
            });
            let formatSeen = false;
            for await (const { lineBase, issues, format, output } of ranges) {
              if (format && !formatSeen) {
                stats.formats[file.display] = format.format;
                formatSeen = true;
              }
              takeRange(output, lineBase, issues, file.display, countIssue, take);
              // Its rows are in the spool now: the buffer goes back to carry a later range's rows.
              reader!.recycle([output.bytes.buffer as ArrayBuffer]);
            }
          }
          continue;
        }
        const filter = chainFilters(source.filterSpecs.map((spec) => buildRowFilter({ spec })));
        const issues: InputIssue[] = [];
        let seenIssues = 0;
        const records = readRecords(file.path, {
          kind: "sft",
          format: source.format,
          skipInvalid: true,
          issues,
          allowEmpty: true,
          onFormat: ({ format }) => {
            stats.formats[file.display] = format;
          },
        });
        const countIssues = (): void => {
          for (; seenIssues < issues.length; seenIssues++) countIssue(issues[seenIssues]!, file.display);
        };
        for await (const { line, record } of records) {
          countIssues();
          const row: SftRecord = { ...record, source: source.tag };
          const reason = filter?.(row) ?? null;
          take(
            file.display,
            reason,
            reason !== null
              ? droppedCandidate(line, row)
              : {
                  line,
                  id: row.id,
                  facts: spoolRowFacts(row, file.display, line),
                  row: () => row,
                  keyHash: (out) => messagesKeyHash(row.messages, out, 0),
                  normalised: () => Buffer.from(normalisedTurns(row.messages), "utf8"),
                  append: (into) => into.append(row),
                },
          );
        }
        countIssues();
      }
      onProgress?.({ phase: "read", source: source.tag, rows: stats.input });
      collected.push(stats);
    }
  } finally {
    await reader?.close();
  }
  return { sources: collected, words, answerWords, tokens, textBytes, ids, toolRows, contaminated };
}

/**
 * The files the range reader takes for a source path: a JSON Lines file (see `isSplittableJsonl`), a
 * Parquet file, or a dataset dir's Parquet files (`parquetFilesIn`, as `readRecords` lists them); else
 * undefined (JSON arrays, a dir of JSON data files, a missing path: `readRecords` reads or names them).
 */
async function rangeFiles(path: string): Promise<string[] | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) return undefined;
  if (info.isDirectory()) {
    const files = await parquetFilesIn(path);
    return files.length > 0 ? files : undefined;
  }
  if (isParquetFile(path)) return info.isFile() ? [path] : undefined;
  return (await isSplittableJsonl(path)) ? [path] : undefined;
}

/** A row the recipe's filters dropped (only counted). */
function droppedCandidate(line: number, row: SftRecord): Candidate {
  const none = (): never => {
    throw new ToolkitError("a dropped row is not used", { code: "invalid_state" });
  };
  return {
    line,
    id: row.id,
    facts: { words: 0, answerWords: 0, textBytes: 0, withTools: false },
    row: () => row,
    keyHash: none,
    normalised: none,
    append: none,
  };
}

/** Feeds one range's records and issues, in line order, to the first pass's steps. */
function takeRange(
  range: CandidateRange,
  lineBase: number,
  issues: readonly InputIssue[],
  display: string,
  countIssue: (issue: InputIssue, display: string) => void,
  take: (display: string, reason: string | null, candidate: Candidate) => void,
): void {
  const candidate = new RangeCandidate(range);
  let issue = 0;
  let kept = 0;
  for (let i = 0; i < range.lines.length; i++) {
    const line = lineBase + range.lines[i]!;
    while (issue < issues.length && issues[issue]!.line < line) countIssue(issues[issue++]!, display);
    const dropped = range.dropped[i]!;
    if (dropped >= 0) {
      take(display, range.reasons[dropped]!, { ...DROPPED, line });
      continue;
    }
    candidate.moveTo(kept++, line);
    take(display, null, candidate);
  }
  while (issue < issues.length) countIssue(issues[issue++]!, display);
}

/** The kept rows of a range, one at a time (one object per range: the steps keep only a row's id and line). */
class RangeCandidate implements Candidate {
  line = 0;
  id = "";
  readonly facts: SpoolRowFacts = { words: 0, answerWords: 0, textBytes: 0, withTools: false };
  private readonly bytes: Buffer;
  private index = 0;
  private start = 0;
  private end = 0;
  private parsed: SftRecord | undefined;
  /** Where the range's bytes start in the spool, once written there as one block. */
  private block: number | undefined;

  constructor(private readonly range: CandidateRange) {
    this.bytes = Buffer.from(range.bytes.buffer, range.bytes.byteOffset, range.bytes.byteLength);
  }

  /** Points at the range's `index`-th kept row (in order). */
  moveTo(index: number, line: number): void {
    const { range, facts } = this;
    this.index = index;
    this.line = line;
    this.start = index === 0 ? 0 : range.ends[index - 1]!;
    this.end = range.ends[index]!;
    this.id = range.ids.slice(index === 0 ? 0 : range.idEnds[index - 1]!, range.idEnds[index]!);
    this.parsed = undefined;
    facts.words = range.words[index]!;
    facts.answerWords = range.answerWords[index]!;
    facts.textBytes = range.textBytes[index]!;
    facts.withTools = range.withTools[index] === 1;
  }

  row(): SftRecord {
    this.parsed ??= rowBytesObject(this.bytes.subarray(this.start, this.end), { file: "row spool", row: this.line }) as unknown as SftRecord;
    return this.parsed;
  }

  keyHash(out: Uint32Array): void {
    out[0] = this.range.keys[2 * this.index]!;
    out[1] = this.range.keys[2 * this.index + 1]!;
  }

  normalised(): Uint8Array {
    return spooledRowNormalised(this.bytes.subarray(this.start, this.end), this.line);
  }

  append(spool: RowSpool): number {
    // Once the spool is in its file, the range's rows go there as one block, written with its first kept row.
    if (this.block === undefined && !spool.inMemory) {
      const lastEnd = this.range.ends[this.range.ends.length - 1] ?? 0;
      this.block = spool.writeBlock(this.bytes.subarray(0, lastEnd));
    }
    if (this.block !== undefined) return spool.appendWritten(this.block + this.start, this.end - this.start);
    return spool.appendBytes(this.bytes, this.start, this.end);
  }
}

const DROPPED: Candidate = droppedCandidate(0, { id: "", messages: [] });

/**
 * The UTF-8 of the `normalisedTurns` of a row as the spool holds it: from its bytes when it is packed (mix/exact-dedup's
 * `byteTurnsNormalised`), else from its JSON parsed (`row` names it in an error).
 */
function spooledRowNormalised(bytes: Uint8Array, row: number): Uint8Array {
  if (isPackedSftRow(bytes)) {
    const normalised = byteTurnsNormalised(unpackSftRow(bytes)[0]);
    if (normalised !== undefined) return normalised;
  }
  return Buffer.from(normalisedTurns((rowBytesObject(bytes, { file: "row spool", row }) as unknown as SftRecord).messages), "utf8");
}

/**
 * Reader threads when the JSONL input is big enough (or `rangeBytes` is given), else ranges read in this
 * thread; undefined when no source has a JSONL file.
 */
async function rangeReader(
  sources: readonly CollectSource[],
  handlerOptions: CandidateHandlerOptions[],
  threads: number | undefined,
  rangeBytes: number | undefined,
  onReadingHere: ((inputBytes: number) => void) | undefined,
): Promise<RangeReader<CandidateRange> | undefined> {
  let bytes = 0;
  let any = false;
  for (const source of sources) {
    for (const file of source.files) {
      for (const path of (await rangeFiles(file.path).catch(() => undefined)) ?? []) {
        any = true;
        // Parquet's text is compressed: count it at about what it holds.
        bytes += ((await stat(path).catch(() => undefined))?.size ?? 0) * (isParquetFile(path) ? 2 : 1);
      }
    }
  }
  if (!any) return undefined;
  const workers = resolveThreads(threads);
  if (rangeBytes === undefined && bytes < parallelReadingFrom(workers)) {
    onReadingHere?.(bytes);
    return inProcessReader(handlerOptions.map((options) => createRangeHandler(options)));
  }
  return new RecordRangePool({ workers, handlers: handlerOptions.map((options) => ({ url: HANDLER_URL, options })) }) as RangeReader<CandidateRange>;
}
