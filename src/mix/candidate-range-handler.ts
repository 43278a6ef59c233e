/**
 * @module mix/candidate-range-handler — the mixer's per-row work that needs no state, done where a JSONL or
 * Parquet range is read (a reader thread, see io/record-range-pool): the source tag, the recipe's filters
 * (rebuilt from their specs), the row's spool bytes (a row the byte reader took, or any plain chat row, is
 * packed, see io/packed-sft-row; any other is its JSON, exactly what `RowSpool.append` writes), its id, its
 * exact-dedup key hash and its facts. Results go back as one bytes buffer, typed arrays and two strings.
 */
import type { ByteRole, ByteSftRecord, ByteTurn } from "../io/adapters/messages-bytes.js";
import { isWellFormedText } from "../io/lone-surrogate.js";
import { packedSftRowBound, packSftRow } from "../io/packed-sft-row.js";
import { spareRangeBuffer, type RangeHandler } from "../io/record-ranges.js";
import type { MixFilters } from "../schemas/mix-recipe.js";
import type { SftRecord } from "../schemas/sft-record.js";
import { decodeUtf8 } from "../util/plain-bytes.js";
import { byteTurnsKeyHash, messagesKeyHash } from "./exact-dedup.js";
import { buildRowFilter, chainFilters } from "./filters/build-row-filter.js";
import { byteRecordFacts, spoolRowFacts, type SpoolRowFacts } from "./spool-row-facts.js";

export interface CandidateHandlerOptions {
  tag: string;
  /** The recipe's filter specs to run, in order (the recipe's, then the source's). */
  filters: Array<MixFilters | undefined>;
  /** Compute exact-dedup keys. */
  exactKeys: boolean;
}

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
  /** Per kept record, its exact-dedup key hash (`messagesKeyHash`): two numbers (none without `exactKeys`). */
  keys: Uint32Array;
  words: Float64Array;
  answerWords: Float64Array;
  textBytes: Float64Array;
  withTools: Uint8Array;
}

/** A growable typed-array column. */
class Column<T extends Float64Array | Uint32Array | Int32Array | Uint8Array> {
  length = 0;
  constructor(
    private data: T,
    private readonly make: (size: number) => T,
  ) {}
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = this.make(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
  /** The values so far, as an array of their own (to transfer); the column starts again empty. */
  take(): T {
    const out = this.make(this.length);
    out.set(this.data.subarray(0, this.length));
    this.length = 0;
    return out;
  }
}

const floats = (size: number): Float64Array => new Float64Array(size);

/** Roles a packed row holds. */
const BYTE_ROLES: ReadonlySet<string> = new Set<ByteRole>(["system", "user", "assistant"]);

/**
 * A plain chat record's turns as UTF-8 bytes (one scratch buffer, reused row after row), or undefined when
 * the record is not plain: tools, a tool turn or tool fields, or text that is not well-formed Unicode (its
 * bytes would not give back the same string). Such records are spooled as JSON.
 */
class PlainTurns {
  private scratch = Buffer.allocUnsafeSlow(64 << 10);
  private readonly turns: ByteTurn[] = [];

  of(record: SftRecord): ByteTurn[] | undefined {
    if (record.tools !== undefined || !isWellFormedText(record.id)) return undefined;
    let bound = 0;
    for (const message of record.messages) {
      if (!BYTE_ROLES.has(message.role) || message.tool_calls !== undefined || message.tool_call_id !== undefined || message.name !== undefined)
        return undefined;
      if (!isWellFormedText(message.content)) return undefined;
      // A UTF-16 code unit takes at most 3 UTF-8 bytes.
      bound += message.content.length * 3;
    }
    if (bound > this.scratch.length) this.scratch = Buffer.allocUnsafeSlow(Math.max(bound, this.scratch.length * 2));
    const { scratch, turns } = this;
    turns.length = 0;
    let at = 0;
    for (const { role, content } of record.messages) {
      const length = scratch.write(content, at, "utf8");
      turns.push({ role: role as ByteRole, content: scratch.subarray(at, at + length) });
      at += length;
    }
    return turns;
  }
}

export function createRangeHandler(options: CandidateHandlerOptions): RangeHandler<CandidateRange> {
  const filter = chainFilters(options.filters.map((spec) => buildRowFilter({ spec })));
  const lines = new Column(new Uint32Array(4096), (size) => new Uint32Array(size));
  const dropped = new Column(new Int32Array(4096), (size) => new Int32Array(size));
  const ends = new Column(new Uint32Array(4096), (size) => new Uint32Array(size));
  const idEnds = new Column(new Uint32Array(4096), (size) => new Uint32Array(size));
  const words = new Column(new Float64Array(4096), floats);
  const answerWords = new Column(new Float64Array(4096), floats);
  const textBytes = new Column(new Float64Array(4096), floats);
  const withTools = new Column(new Uint8Array(4096), (size) => new Uint8Array(size));
  let reasons: string[] = [];
  let reasonIndex = new Map<string, number>();
  // The rows' spool bytes go into a buffer of its own per range (transferred as it is, not copied).
  let bytes: Buffer | undefined;
  let used = 0;
  const keys = new Column(new Uint32Array(8192), (size) => new Uint32Array(size));
  const keyHash = new Uint32Array(2);
  let ids = "";

  /** Runs the filters; false (and the drop recorded) when they drop the row. */
  const keep = (row: () => SftRecord, line: number): boolean => {
    lines.push(line);
    const reason = filter === undefined ? null : filter(row());
    if (reason !== null) {
      let index = reasonIndex.get(reason);
      if (index === undefined) {
        index = reasons.length;
        reasons.push(reason);
        reasonIndex.set(reason, index);
      }
      dropped.push(index);
      return false;
    }
    dropped.push(-1);
    return true;
  };
  /** Room for `extra` more spool bytes. */
  const reserve = (extra: number): void => {
    if (bytes === undefined || used + extra > bytes.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max((bytes?.length ?? 0) * 2, used + extra, 1 << 20));
      bytes?.copy(grown, 0, 0, used);
      bytes = grown;
    }
  };
  /**
   * The rest of a kept row, once its spool bytes are written: its end, id, key hash (`hashKey`, which may decline,
   * else from the row) and facts.
   */
  const spooled = (row: () => SftRecord, id: string, facts: SpoolRowFacts, hashKey?: (out: Uint32Array) => boolean): void => {
    ends.push(used);
    ids += id;
    idEnds.push(ids.length);
    if (options.exactKeys) {
      if (hashKey?.(keyHash) !== true) messagesKeyHash(row().messages, keyHash, 0);
      keys.push(keyHash[0]!);
      keys.push(keyHash[1]!);
    }
    words.push(facts.words);
    answerWords.push(facts.answerWords);
    textBytes.push(facts.textBytes);
    withTools.push(facts.withTools ? 1 : 0);
  };

  /** Spools a row as a packed row (io/packed-sft-row), with its facts and key from the turns' bytes. */
  const packed = (id: string, meta: SftRecord["meta"], turns: ByteTurn[], row: () => SftRecord): void => {
    const metaText = meta !== undefined ? JSON.stringify(meta) : null;
    reserve(packedSftRowBound(id, options.tag, metaText, turns));
    used += packSftRow(bytes!, used, id, options.tag, metaText, turns);
    // The exact-dedup key hash from the turns' bytes when it can be (the same hash; see byteTurnsKeyHash).
    spooled(row, id, byteRecordFacts({ id, turns }, options.tag, metaText), (out) => byteTurnsKeyHash(turns, out, 0));
  };
  const plainTurns = new PlainTurns();

  return {
    begin(rangeBytes) {
      // A row's spool bytes are about its input line plus the source tag: room for that, grown if short.
      const size = rangeBytes + (rangeBytes >> 3) + (64 << 10);
      const spare = spareRangeBuffer(size);
      bytes = spare !== undefined ? Buffer.from(spare) : Buffer.allocUnsafeSlow(size);
      used = 0;
    },
    record(record: SftRecord, line: number, label: string) {
      const row: SftRecord = { ...record, source: options.tag };
      if (!keep(() => row, line)) return;
      // A plain chat row (what Parquet sources hold) is spooled packed, as the byte reader's rows are.
      const turns = plainTurns.of(row);
      if (turns !== undefined) {
        packed(row.id, row.meta, turns, () => row);
        return;
      }
      const json = JSON.stringify(row);
      // A UTF-16 code unit takes at most 3 UTF-8 bytes.
      reserve(json.length * 3);
      used += bytes!.write(json, used, "utf8");
      spooled(() => row, row.id, spoolRowFacts(row, label, line));
    },
    // Lines the byte reader takes: the row is spooled packed from the bytes the reader gave (no JSON.parse,
    // no JSON.stringify), its words are counted on those bytes, and its text becomes strings only when the
    // recipe's filters or exact-dedup keys need them.
    messagesRecord(record: ByteSftRecord, line: number) {
      let row: SftRecord | undefined;
      const asRecord = (): SftRecord =>
        (row ??= {
          id: record.id,
          messages: record.turns.map(({ role, content }) => ({ role, content: decodeUtf8(content, 0, content.length) })),
          source: options.tag,
          ...(record.meta !== undefined ? { meta: record.meta } : {}),
        });
      if (!keep(asRecord, line)) return;
      packed(record.id, record.meta, record.turns, asRecord);
    },
    finish() {
      const output: CandidateRange = {
        lines: lines.take(),
        dropped: dropped.take(),
        reasons,
        bytes: bytes === undefined ? new Uint8Array(0) : new Uint8Array(bytes.buffer, 0, used),
        ends: ends.take(),
        ids,
        idEnds: idEnds.take(),
        keys: keys.take(),
        words: words.take(),
        answerWords: answerWords.take(),
        textBytes: textBytes.take(),
        withTools: withTools.take(),
      };
      reasons = [];
      reasonIndex = new Map();
      bytes = undefined;
      used = 0;
      ids = "";
      const transfer = [
        output.lines,
        output.dropped,
        output.bytes,
        output.ends,
        output.idEnds,
        output.keys,
        output.words,
        output.answerWords,
        output.textBytes,
        output.withTools,
      ].map((array) => array.buffer as ArrayBuffer);
      return { output, transfer };
    },
  };
}
