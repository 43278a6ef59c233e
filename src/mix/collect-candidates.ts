/**
 * @module mix/collect-candidates — the mixer's first pass. Reads every source once, in recipe order,
 * converts rows to SftRecords, and sends each row through filters → decontamination → exact dedup →
 * near dedup. Survivors go to the row spool with their words (and tokens when needed); every other row is
 * counted under the reason it was dropped.
 */
import type { SftFormat } from "../io/adapters/format.js";
import { encodeValue, rowTextBytes, sftColumns } from "../io/column-spec.js";
import { hasToolContent } from "../io/adapters/tool-definitions.js";
import { readRecords } from "../io/read-records.js";
import type { InputIssue } from "../io/input-issue.js";
import type { SftRecord } from "../schemas/sft-record.js";
import { countWords } from "../text/count-words.js";
import type { ContaminationMatch, Decontaminator } from "./decontaminate.js";
import { createExactDedup } from "./exact-dedup.js";
import type { RowFilter } from "./filters/build-row-filter.js";
import type { createMinHashDedup } from "./minhash-dedup.js";
import { NumberColumn, type RowSpool } from "./row-spool.js";

/** A source ready to read: its files and its filter. */
export interface CollectSource {
  tag: string;
  /** Local files to read, in order, with the name shown in manifests. */
  files: Array<{ path: string; display: string }>;
  format: SftFormat | "auto";
  filter: RowFilter | undefined;
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

/** Progress of the first pass. */
export interface CollectProgress {
  phase: "read";
  source: string;
  rows: number;
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
}: {
  sources: readonly CollectSource[];
  spool: RowSpool;
  exactDedup: boolean;
  nearDedup: ReturnType<typeof createMinHashDedup> | undefined;
  decontaminator: Decontaminator | undefined;
  onProgress?: ((event: CollectProgress) => void) | undefined;
}): Promise<CollectResult> {
  const exact = exactDedup ? createExactDedup() : undefined;
  const words = new NumberColumn();
  const answerWords = new NumberColumn();
  const tokens = new NumberColumn();
  const textBytes = new NumberColumn();
  const toolRows = new Set<number>();
  const ids: string[] = [];
  const contaminated: ContaminatedRow[] = [];
  const collected: CollectedSource[] = [];
  for (const source of sources) {
    const stats: CollectedSource = { tag: source.tag, input: 0, dropped: {}, invalidExamples: [], formats: {}, start: spool.size, count: 0 };
    const drop = (reason: string): void => {
      stats.dropped[reason] = (stats.dropped[reason] ?? 0) + 1;
    };
    for (const file of source.files) {
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
        for (; seenIssues < issues.length; seenIssues++) {
          stats.input++;
          drop("invalid");
          const issue = issues[seenIssues]!;
          if (stats.invalidExamples.length < MAX_INVALID_EXAMPLES) stats.invalidExamples.push({ ...issue, file: file.display });
        }
      };
      for await (const { line, record } of records) {
        countIssues();
        stats.input++;
        const row: SftRecord = { ...record, source: source.tag };
        const reason = source.filter?.(row) ?? null;
        if (reason !== null) {
          drop(reason);
          continue;
        }
        const match = decontaminator?.match(row.messages);
        if (match) {
          drop("contaminated");
          contaminated.push({ source: source.tag, file: file.display, line, id: row.id, ...match });
          continue;
        }
        if (exact?.seen(row.messages)) {
          drop("duplicate:exact");
          continue;
        }
        if (nearDedup && nearDedup.check(row.messages.map((m) => m.content).join("\n")) !== null) {
          drop("duplicate:near");
          continue;
        }
        const spoolIndex = spool.append(row);
        ids.push(row.id);
        const written = { messages: row.messages, tools: row.tools ?? null, id: row.id, source: row.source, meta: row.meta ?? null };
        const where = { file: file.display, row: line };
        // Bytes as written in this row's own layout; the writer adds the null `tools` cell of plain rows
        // when the output uses the tool-call columns (see `plainRowToolBytes`).
        const withTools = hasToolContent(row);
        if (withTools) toolRows.add(spoolIndex);
        const columns = sftColumns(withTools);
        textBytes.push(
          rowTextBytes(
            columns,
            columns.map((column) => encodeValue(column, written[column.name as keyof typeof written], where)),
          ),
        );
        // One countWords per message: the row's total and the final assistant answer's share of it.
        let total = 0;
        let answer = 0;
        let text = "";
        for (const message of row.messages) {
          const n = countWords(message.content);
          total += n;
          if (message.role === "assistant") answer = n;
          if (source.countTokens) text += `${message.content}\n`;
        }
        words.push(total);
        answerWords.push(answer);
        tokens.push(source.countTokens ? source.countTokens(text) : Number.NaN);
        stats.count++;
        if (stats.input % 5000 === 0) onProgress?.({ phase: "read", source: source.tag, rows: stats.input });
      }
      countIssues();
    }
    onProgress?.({ phase: "read", source: source.tag, rows: stats.input });
    collected.push(stats);
  }
  return { sources: collected, words, answerWords, tokens, textBytes, ids, toolRows, contaminated };
}
