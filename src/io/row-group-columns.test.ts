/**
 * Our row-group writer against hyparquet-writer's own: the same file, byte for byte, and the same metadata
 * and page indexes, for chats of every shape the shortcuts take or hand back (io/messages-leaves,
 * io/plain-byte-array-chunk).
 */
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { writeColumn } from "hyparquet-writer/src/column.js";
import { encodeNestedValues } from "hyparquet-writer/src/dremel.js";
import { schemaPathResolver } from "hyparquet-writer/src/schema.js";
import type { ColumnEncoder, ColumnSource, Compressors } from "hyparquet-writer/src/types.js";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../test/helpers/openai-server.js";
import { encodeValue, parquetSchemaFor, SFT_COLUMNS, SFT_TOOL_COLUMNS } from "./column-spec.js";
import { messagesLeafPageData } from "./messages-leaves.js";
import { writeCompressors, type ParquetCodec } from "./parquet-codecs.js";
import { dictionarySampleRejects, writePlainByteArrayChunk } from "./plain-byte-array-chunk.js";
import { writeRowGroupColumns } from "./row-group-columns.js";
import { createSnappyCompressor, inPlaceCompressorOf } from "./snappy-compressor.js";
import { type PageCompressHelper, SnappyHelper } from "./snappy-helper.js";

const encoder = new TextEncoder();
const sftSchema = parquetSchemaFor(SFT_COLUMNS);

const PIECES = ["the ", "bridge ", "carried ", "桥承载", "的不仅是交通 ", "🙂 ", "\u00e9t\u00e9 ", "\n", "Z", "a", "\u{10ffff}", "\u00ff\u00ff"];

function text(next: () => number, maxPieces: number): string {
  let out = "";
  const count = Math.floor(next() * maxPieces);
  for (let i = 0; i < count; i++) out += PIECES[Math.floor(next() * PIECES.length)];
  return out;
}

type Turn = { role: Uint8Array | string; content: Uint8Array | string };

/** Chats of 1–5 turns whose texts are bytes (as the row-group encoder hands them over). */
function chats(seed: number, rows: number, maxPieces = 200, asBytes = true): Turn[][] {
  const next = seededRandom(seed);
  const roleBytes = new Map(["system", "user", "assistant"].map((role) => [role, encoder.encode(role)]));
  return Array.from({ length: rows }, () =>
    Array.from({ length: 1 + Math.floor(next() * 5) }, (_, i) => {
      const role = i === 0 && next() < 0.3 ? "system" : i % 2 ? "assistant" : "user";
      const content = text(next, maxPieces);
      return asBytes ? { role: roleBytes.get(role)!, content: encoder.encode(content) } : { role, content };
    }),
  );
}

function columns(messages: unknown[], extra: Partial<ColumnSource> = {}): ColumnSource[] {
  const rows = messages.length;
  return [
    { name: "messages", data: messages, columnIndex: true, offsetIndex: true, ...extra },
    { name: "id", data: Array.from({ length: rows }, (_, i) => `row-${i}`), columnIndex: true, offsetIndex: true },
    { name: "source", data: Array.from({ length: rows }, (_, i) => (i % 3 ? "s" : null)), columnIndex: true, offsetIndex: true },
    { name: "meta", data: Array.from({ length: rows }, () => null), columnIndex: true, offsetIndex: true },
  ];
}

interface Setup {
  codec: ParquetCodec;
  pageSize: number;
  statistics?: boolean;
  statisticsTruncateLength?: number;
  schema?: typeof sftSchema;
  /** A thread compressing pages beside ours (or a stand-in). */
  helper?: PageCompressHelper;
}

async function bothWays(columnData: ColumnSource[], { codec, pageSize, statistics, statisticsTruncateLength, schema = sftSchema, helper }: Setup) {
  const compressors = (await writeCompressors({}, [codec])) as Compressors;
  const make = () => {
    const sink = new ByteWriter();
    const writer = new ParquetWriter({
      writer: sink,
      schema,
      codec,
      compressors,
      ...(statistics !== undefined ? { statistics } : {}),
      ...(statisticsTruncateLength !== undefined ? { statisticsTruncateLength } : {}),
    });
    return { sink, writer };
  };
  const theirs = make();
  void theirs.writer.write({ columnData, rowGroupSize: columnData[0]!.data.length, pageSize });
  void theirs.writer.finish();
  const ours = make();
  const inPlace = inPlaceCompressorOf(compressors[codec as keyof Compressors]);
  writeRowGroupColumns(ours.writer, {
    columnData,
    pageSize,
    inPlaceCompressors: inPlace ? { [codec]: inPlace } : undefined,
    pageHelpers: helper ? { [codec]: helper } : undefined,
  });
  void ours.writer.finish();
  return { theirs, ours };
}

async function expectSameFile(columnData: ColumnSource[], setup: Setup): Promise<void> {
  const { theirs, ours } = await bothWays(columnData, setup);
  expect(Buffer.from(ours.sink.getBytes()).equals(Buffer.from(theirs.sink.getBytes()))).toBe(true);
  expect(ours.writer.row_groups).toStrictEqual(theirs.writer.row_groups);
  expect(ours.writer.pendingIndexes).toStrictEqual(theirs.writer.pendingIndexes);
}

/** The SFT schema's leaf at `names`, as an uncompressed column with statistics and page indexes. */
function plainColumn(names: string[], pageSize: number) {
  const path = schemaPathResolver(sftSchema)(names);
  const schemaPath = path.map((node) => node.element);
  const column: ColumnEncoder = {
    columnName: names.join("."),
    element: schemaPath.at(-1)!,
    schemaPath,
    codec: "UNCOMPRESSED",
    compressors: {},
    stats: true,
    pageSize,
    columnIndex: true,
    offsetIndex: true,
  };
  return { path, column };
}

/**
 * A stand-in for the helper thread (io/snappy-helper), on this thread: a page is compressed when `finish` asks
 * for it, and `done` answers yes or no at random, so that pages queue up in every order the chunk writer can meet.
 * It checks the contract: slots in turn, finished in the order started, none reused before it is finished.
 */
function standInHelper(seed: number, slots: number, capacity: number) {
  const next = seededRandom(seed);
  const compress = createSnappyCompressor();
  const inputs = Array.from({ length: slots }, () => new Uint8Array(capacity));
  const lengths: number[] = new Array(slots).fill(0);
  const started: number[] = [];
  let nextSlot = 0;
  let pages = 0;
  const helper: PageCompressHelper & { pages(): number } = {
    capacity,
    slots,
    input: (length) => {
      if (length > capacity) throw new Error(`a page of ${length} bytes given to a helper of ${capacity}`);
      return inputs[nextSlot]!.subarray(0, length);
    },
    start(length) {
      const slot = nextSlot;
      if (started.includes(slot)) throw new Error(`slot ${slot} started again before it was finished`);
      started.push(slot);
      lengths[slot] = length;
      nextSlot = (slot + 1) % slots;
      pages++;
      return slot;
    },
    done: () => next() < 0.5,
    finish(slot) {
      if (started.shift() !== slot) throw new Error(`slot ${slot} finished out of order`);
      return compress(inputs[slot]!.subarray(0, lengths[slot]));
    },
    pages: () => pages,
  };
  return Object.assign(helper, { unfinished: () => started.length });
}

describe("writeRowGroupColumns", () => {
  it.each([
    { codec: "SNAPPY", pageSize: 1 << 20 },
    { codec: "SNAPPY", pageSize: 3000 },
    { codec: "UNCOMPRESSED", pageSize: 3000 },
    { codec: "GZIP", pageSize: 20_000 },
    { codec: "ZSTD", pageSize: 20_000 },
    { codec: "SNAPPY", pageSize: 0 },
    { codec: "SNAPPY", pageSize: 5000, statistics: false },
    { codec: "SNAPPY", pageSize: 5000, statisticsTruncateLength: 3 },
    { codec: "SNAPPY", pageSize: 5000, statisticsTruncateLength: Number.POSITIVE_INFINITY },
  ] as Setup[])("writes the file hyparquet-writer writes: %o", async (setup) => {
    for (const [seed, rows] of [
      [1, 400],
      [2, 1],
      [3, 7],
      [4, 2500],
    ] as const) {
      await expectSameFile(columns(chats(seed, rows)), setup);
    }
  });

  it("writes the same file with pages compressed by a helper thread, whatever the order they come back in", async () => {
    for (const [seed, slots, capacity] of [
      [1, 1, 1 << 20],
      [2, 2, 1 << 20],
      [3, 4, 1 << 20],
      // Pages over its capacity (a long text makes a big page) are compressed here.
      [4, 3, 4000],
    ] as const) {
      const helper = standInHelper(seed, slots, capacity);
      await expectSameFile(columns(chats(seed, 2500)), { codec: "SNAPPY", pageSize: 3000, helper });
      expect(helper.pages()).toBeGreaterThan(100);
    }
  });

  it("takes back the pages it gave the helper when writing the chunk fails midway", async () => {
    const compressors = (await writeCompressors({}, ["SNAPPY"])) as Compressors;
    const inPlace = inPlaceCompressorOf(compressors.SNAPPY)!;
    const { column } = plainColumn(["messages", "list", "element", "content"], 3000);
    const pageData = messagesLeafPageData(chats(8, 2500))!.content;
    for (const failAt of [1, 7, 40]) {
      const helper = standInHelper(failAt, 4, 1 << 20);
      // A sink that fails at its `failAt`-th append (a full disk, say).
      let appends = 0;
      const sink = new ByteWriter();
      const append = sink.appendBytes.bind(sink);
      sink.appendBytes = (bytes: Uint8Array) => {
        if (++appends === failAt) throw new Error("disk full");
        append(bytes);
      };
      expect(() => writePlainByteArrayChunk(sink, { ...column, codec: "SNAPPY", compressors }, pageData, inPlace, helper)).toThrow("disk full");
      expect(helper.pages()).toBeGreaterThan(0);
      expect(helper.unfinished()).toBe(0);
    }
  });

  it("writes the same file with the real helper thread", async () => {
    const helper = new SnappyHelper();
    try {
      for (let waited = 0; !helper.ready; waited += 10) {
        if (waited > 20_000) throw new Error("the helper thread did not get ready");
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await expectSameFile(columns(chats(5, 2500)), { codec: "SNAPPY", pageSize: 3000, helper });
      expect(helper.ready).toBe(true);
    } finally {
      helper.stop();
    }
  });

  it("writes the same file for chats the shortcuts hand back to hyparquet-writer", async () => {
    const setup: Setup = { codec: "SNAPPY", pageSize: 4000 };
    const base = chats(5, 300);
    // Text as strings, not bytes.
    await expectSameFile(columns(chats(6, 300, 50, false)), setup);
    // An empty chat, a turn without content, a null turn.
    await expectSameFile(columns(base.map((turns, i) => (i === 7 ? [] : turns))), setup);
    await expectSameFile(columns(base.map((turns, i) => (i === 9 ? [{ role: turns[0]!.role }] : turns))), setup);
    await expectSameFile(columns(base.map((turns, i) => (i === 11 ? [null, ...turns] : turns))), setup);
    // Contents repeated so often that a dictionary pays: hyparquet-writer builds one.
    const few = chats(7, 4);
    await expectSameFile(columns(Array.from({ length: 500 }, (_, i) => few[i % 4]!)), setup);
  });

  it("writes the same bounds and boundary order for sorted, reversed and extreme texts", async () => {
    const setup: Setup = { codec: "SNAPPY", pageSize: 700 };
    const sorted = Array.from({ length: 400 }, (_, i) => `${String(i).padStart(5, "0")} ${"x".repeat(i % 40)}`);
    const turn = (content: string | Uint8Array) => [{ role: encoder.encode("user"), content: typeof content === "string" ? encoder.encode(content) : content }];
    await expectSameFile(columns(sorted.map(turn)), setup);
    await expectSameFile(columns([...sorted].reverse().map(turn)), setup);
    // Long runs of 0xFF and of the highest code point: a truncated maximum cannot round up.
    const extremes = Array.from({ length: 300 }, (_, i) =>
      turn(i % 3 === 0 ? new Uint8Array(40 + (i % 7)).fill(0xff) : i % 3 === 1 ? "\u{10ffff}".repeat(10 + (i % 5)) : ""),
    );
    await expectSameFile(columns(extremes), { ...setup, statisticsTruncateLength: 8 });
    // One row bigger than a page; one bigger than the page buffer a thread keeps (16 MB), not compressed in place.
    await expectSameFile(columns([...chats(8, 20), turn("big ".repeat(2000)), ...chats(9, 20)]), setup);
    await expectSameFile(columns([...chats(8, 5), turn(new Uint8Array(17 << 20).fill(0x61)), ...chats(9, 5)]), { ...setup, codec: "UNCOMPRESSED" });
  });

  it("writes the same file for texts given as strings, whatever their code points", async () => {
    // Code points whose UTF-16 order differs from their UTF-8 order (a surrogate pair against U+E000–U+FFFF),
    // lone surrogates (written as U+FFFD, and ordered as it), multi-byte text that sizes pages by bytes.
    const awkward = ["\u{1f642}", "\ue000", "\uffff", "\ufffd", "\ud800", "\udc00", "\ud83d", "x\ud83d", "é", "桥", "a", "", "\u0000"];
    const next = seededRandom(13);
    const id = () => Array.from({ length: Math.floor(next() * 6) }, () => awkward[Math.floor(next() * awkward.length)]).join("");
    for (const rows of [1, 2, 40, 900]) {
      const ids = Array.from({ length: rows }, id);
      const data = columns(chats(14 + rows, rows, 30, false));
      data[1] = { ...data[1]!, data: ids };
      for (const setup of [
        { codec: "SNAPPY", pageSize: 60 },
        { codec: "UNCOMPRESSED", pageSize: 7 },
        { codec: "SNAPPY", pageSize: 1 << 20, statisticsTruncateLength: 2 },
      ] as Setup[]) {
        await expectSameFile(data, setup);
        // Sorted and reversed, for the boundary order.
        const sorted = [...ids].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
        await expectSameFile([data[0]!, { ...data[1]!, data: sorted }, data[2]!, data[3]!], setup);
        await expectSameFile([data[0]!, { ...data[1]!, data: sorted.reverse() }, data[2]!, data[3]!], setup);
      }
    }
  });

  it("takes an id column of strings through the PLAIN shortcut", () => {
    const { path, column } = plainColumn(["id"], 100);
    const ids = Array.from({ length: 50 }, (_, i) => `row-\u{1f642}-${i}`);
    const ours = new ByteWriter();
    const result = writePlainByteArrayChunk(ours, column, encodeNestedValues(path, ids));
    expect(result).toBeDefined();
    expect(result?.chunk.meta_data?.statistics?.min_value).toBe("row-\u{1f642}-0");
    const theirs = new ByteWriter();
    expect(result).toStrictEqual(writeColumn({ writer: theirs, column, pageData: encodeNestedValues(path, ids) }));
    expect(Buffer.from(ours.getBytes()).equals(Buffer.from(theirs.getBytes()))).toBe(true);
    // Different strings with the same bytes (lone surrogates are written as U+FFFD): the first one is the bound.
    const ties = ["\ud800", "\udc00", "\ufffd", "\udc00z", "\ud800z"];
    const tied = writePlainByteArrayChunk(new ByteWriter(), column, encodeNestedValues(path, ties));
    expect(tied?.chunk.meta_data?.statistics).toMatchObject({ min_value: "\ud800", max_value: "\udc00z" });
    expect(tied).toStrictEqual(writeColumn({ writer: new ByteWriter(), column, pageData: encodeNestedValues(path, ties) }));
    // Strings and bytes mixed in one column: not taken.
    expect(writePlainByteArrayChunk(new ByteWriter(), column, encodeNestedValues(path, [...ids, encoder.encode("b")]))).toBeUndefined();
  });

  it("writes the same file for chats with tool calls (their columns all go through hyparquet-writer)", async () => {
    const next = seededRandom(12);
    const rows = Array.from({ length: 300 }, (_, i) => ({
      messages: [
        { role: "user", content: text(next, 40) },
        i % 3
          ? { role: "assistant", content: text(next, 40) }
          : { role: "assistant", content: "", tool_calls: [{ type: "function", function: { name: "lookup", arguments: `{"q":${i}}` } }] },
        ...(i % 3 ? [] : [{ role: "tool", content: text(next, 20), tool_call_id: `call-${i}` }]),
      ],
      tools: i % 3 ? null : '[{"type":"function","function":{"name":"lookup"}}]',
      id: `row-${i}`,
      source: "s",
      meta: null,
    }));
    const columnData: ColumnSource[] = SFT_TOOL_COLUMNS.map((spec) => ({
      name: spec.name,
      data: rows.map((row, r) => encodeValue(spec, row[spec.name as keyof typeof row], { file: "t", row: r + 1 })),
      columnIndex: true,
      offsetIndex: true,
    }));
    await expectSameFile(columnData, { codec: "SNAPPY", pageSize: 2000, schema: parquetSchemaFor(SFT_TOOL_COLUMNS) });
  });

  it("takes the PLAIN shortcut for varied text and hands dictionary-friendly text back", () => {
    const pageData = messagesLeafPageData(chats(10, 300))!;
    const { path, column } = plainColumn(["messages", "list", "element", "content"], 2000);
    // The one-walk shredding gives hyparquet-writer's own levels and values.
    expect(pageData.content).toStrictEqual(encodeNestedValues(path, chats(10, 300)));
    const ours = new ByteWriter();
    const result = writePlainByteArrayChunk(ours, column, pageData.content);
    expect(result).toBeDefined();
    const theirs = new ByteWriter();
    expect(result).toStrictEqual(writeColumn({ writer: theirs, column, pageData: pageData.content }));
    expect(Buffer.from(ours.getBytes()).equals(Buffer.from(theirs.getBytes()))).toBe(true);

    const repeated = messagesLeafPageData(Array.from({ length: 300 }, () => chats(11, 1)[0]!))!;
    const untouched = new ByteWriter();
    expect(writePlainByteArrayChunk(untouched, column, repeated.content)).toBeUndefined();
    expect(untouched.offset).toBe(0);
    expect(dictionarySampleRejects(repeated.content.values as Uint8Array[])).toBe(false);
    expect(dictionarySampleRejects(pageData.content.values as Uint8Array[])).toBe(true);
  });

  it("keys the dictionary sample by hash, as hyparquet-writer does: colliding values count as one", () => {
    // Two texts with the same 32-bit FNV-1a hash (found by search) and different lengths.
    const [short, long] = [encoder.encode("al5z"), encoder.encode("long-2l6q-padding-text")];
    // As one key, the sample is half repeats (8 of 16 bytes distinct): a dictionary stays possible.
    expect(dictionarySampleRejects([short, long])).toBe(false);
    // With 15 distinct others (105 bytes): 113 of 121 bytes distinct (> 90 %), the second one counted at
    // the first one's size. Counted at its own size it would be 113 of 139 (< 90 %).
    const others = Array.from({ length: 15 }, (_, i) => encoder.encode(`d${String(i).padStart(2, "0")}`));
    expect(dictionarySampleRejects([short, long, ...others])).toBe(true);
  });
});
