/**
 * @module mix/candidate-range-handler — the mixer's per-row work that needs no state, done where a JSONL
 * range is read (a reader thread, see io/record-range-pool): the source tag, the recipe's filters (rebuilt
 * from their specs), the row's spool bytes (its JSON, exactly what `RowSpool.append` writes), its id, its
 * exact-dedup key and its facts. Results go back as one bytes buffer, typed arrays and two strings.
 */
import type { CanonicalRecord } from "../io/adapters/format.js";
import type { RangeHandler } from "../io/record-ranges.js";
import type { MixFilters } from "../schemas/mix-recipe.js";
import type { SftRecord } from "../schemas/sft-record.js";
import { messagesKey } from "./exact-dedup.js";
import { buildRowFilter, chainFilters } from "./filters/build-row-filter.js";
import { spoolRowFacts } from "./spool-row-facts.js";

export interface CandidateHandlerOptions {
  tag: string;
  /** The recipe's filter specs to run, in order (the recipe's, then the source's). */
  filters: Array<MixFilters | undefined>;
  /** Compute exact-dedup keys. */
  exactKeys: boolean;
}

/** Length of a `messagesKey`. */
export const KEY_LENGTH = 22;

/** A range's candidates: every record in order, with the data of those the filters kept. */
export interface CandidateRange {
  /** Per record: its line (from the range's start), and the filter's drop reason (index into `reasons`) or -1. */
  lines: Uint32Array;
  dropped: Int32Array;
  reasons: string[];
  /** Per kept record: its spool bytes (back to back in `bytes`, each ending at `ends[k]`), id, key and facts. */
  bytes: Uint8Array;
  ends: Uint32Array;
  ids: string;
  idEnds: Uint32Array;
  /** `KEY_LENGTH` characters per kept record (empty without `exactKeys`). */
  keys: string;
  words: Float64Array;
  answerWords: Float64Array;
  textBytes: Float64Array;
  withTools: Uint8Array;
}

export function createRangeHandler(options: CandidateHandlerOptions): RangeHandler<CandidateRange> {
  const filter = chainFilters(options.filters.map((spec) => buildRowFilter({ spec })));
  let lines: number[] = [];
  let dropped: number[] = [];
  let reasons: string[] = [];
  let reasonIndex = new Map<string, number>();
  let bytes = Buffer.allocUnsafe(1 << 20);
  let used = 0;
  let ends: number[] = [];
  let ids = "";
  let idEnds: number[] = [];
  let keys = "";
  let words: number[] = [];
  let answerWords: number[] = [];
  let textBytes: number[] = [];
  let withTools: number[] = [];
  return {
    record(record: CanonicalRecord, line: number, label: string) {
      const row: SftRecord = { ...(record as SftRecord), source: options.tag };
      lines.push(line);
      const reason = filter?.(row) ?? null;
      if (reason !== null) {
        let index = reasonIndex.get(reason);
        if (index === undefined) {
          index = reasons.length;
          reasons.push(reason);
          reasonIndex.set(reason, index);
        }
        dropped.push(index);
        return;
      }
      dropped.push(-1);
      const json = JSON.stringify(row);
      // A UTF-16 code unit takes at most 3 UTF-8 bytes.
      if (used + json.length * 3 > bytes.length) {
        const grown = Buffer.allocUnsafe(Math.max(bytes.length * 2, used + json.length * 3));
        bytes.copy(grown, 0, 0, used);
        bytes = grown;
      }
      used += bytes.write(json, used, "utf8");
      ends.push(used);
      ids += row.id;
      idEnds.push(ids.length);
      if (options.exactKeys) keys += messagesKey(row.messages);
      const facts = spoolRowFacts(row, label, line);
      words.push(facts.words);
      answerWords.push(facts.answerWords);
      textBytes.push(facts.textBytes);
      withTools.push(facts.withTools ? 1 : 0);
    },
    finish() {
      const out = new Uint8Array(used);
      out.set(bytes.subarray(0, used));
      const output: CandidateRange = {
        lines: Uint32Array.from(lines),
        dropped: Int32Array.from(dropped),
        reasons,
        bytes: out,
        ends: Uint32Array.from(ends),
        ids,
        idEnds: Uint32Array.from(idEnds),
        keys,
        words: Float64Array.from(words),
        answerWords: Float64Array.from(answerWords),
        textBytes: Float64Array.from(textBytes),
        withTools: Uint8Array.from(withTools),
      };
      lines = [];
      dropped = [];
      reasons = [];
      reasonIndex = new Map();
      used = 0;
      ends = [];
      ids = "";
      idEnds = [];
      keys = "";
      words = [];
      answerWords = [];
      textBytes = [];
      withTools = [];
      const transfer = [
        output.lines,
        output.dropped,
        output.bytes,
        output.ends,
        output.idEnds,
        output.words,
        output.answerWords,
        output.textBytes,
        output.withTools,
      ].map((array) => array.buffer as ArrayBuffer);
      return { output, transfer };
    },
  };
}
