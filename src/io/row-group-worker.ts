/**
 * @module io/row-group-worker — the worker-thread side of `RowGroupPool`: parses a row group's JSON rows,
 * encodes their columns, encodes and compresses the row group (`encodeRowGroup`) and sends the bytes back
 * (transferred, not copied) with the buffer the rows came in, unless that is a shared buffer the pool keeps.
 * An error is sent back as its message, with the InputError location if any.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { CompressionCodec, SchemaElement } from "hyparquet";
import { ToolkitError } from "../errors.js";
import { MessagesByteReader } from "./adapters/messages-bytes.js";
import type { ColumnSpec } from "./column-spec.js";
import { encodeJsonRow } from "./json-row.js";
import type { JsonRowBatchData } from "./json-row-batch.js";
import { RecentSlots } from "./recent-slots.js";
import { writeCompressors, type CodecOptions, type ParquetCodec } from "./parquet-codecs.js";
import { chunkBuffers, encodeRowGroup, MAX_SPARE_BUFFERS, type EncodedRowGroup, type RowGroupEncodeOptions } from "./row-group-encode.js";
import { toWorkerFailure, type WorkerFailure } from "./worker-failure.js";

export interface RowGroupWorkerData {
  columns: ColumnSpec[];
  schema: SchemaElement[];
  codec: CompressionCodec;
  codecOptions: CodecOptions;
  pageBytes: number;
  /** Shared row buffers the worker keeps (the pool mirrors them, see io/recent-slots). */
  sharedSlots: number;
}

/**
 * One row group of JSON rows (see `JsonRowBatch`): their bytes back to back, where each ends, and what the
 * writer declared. The bytes come transferred (`bytes`) or in a shared buffer (`shared`), which is sent
 * only when the worker may not hold it yet.
 */
export interface RowGroupTask extends Omit<JsonRowBatchData, "bytes"> {
  id: number;
  /** 1-based number of the group's first row (for error locations), and the name of the output. */
  firstRow: number;
  label: string;
  bytes?: Uint8Array;
  shared?: { slot: number; buffer: SharedArrayBuffer | undefined; byteOffset: number; byteLength: number };
}

/** A worker's answer: the encoded group or why it failed, and the transferred buffer its rows came in. */
export interface RowGroupReply {
  id: number;
  encoded?: EncodedRowGroup;
  failure?: WorkerFailure;
  spent?: ArrayBuffer | undefined;
}

const port = parentPort;
if (port) {
  const setup = workerData as RowGroupWorkerData;
  const compressors = await writeCompressors(setup.codecOptions, [setup.codec as ParquetCodec]);
  // Buffers of this worker's earlier output, written out by the main thread and handed back.
  const spareBuffers: ArrayBuffer[] = [];
  const sharedBuffers = new RecentSlots<SharedArrayBuffer>(setup.sharedSlots);
  port.on("message", (task: RowGroupTask | { recycle: ArrayBuffer[] }) => {
    if ("recycle" in task) {
      for (const buffer of task.recycle) if (spareBuffers.length < MAX_SPARE_BUFFERS) spareBuffers.push(buffer);
      return;
    }
    // First, in message order as the pool did: which shared buffer the rows are in.
    const bytes = task.shared ? sharedBytes(sharedBuffers, task.shared) : task.bytes;
    try {
      if (!bytes) throw new ToolkitError(`row group ${task.id}: its shared buffer ${task.shared!.slot} is not held by this worker`, { code: "invalid_state" });
      const columnData = decodeRows(setup.columns, task, bytes);
      const encoded = encodeRowGroup({ schema: setup.schema, codec: setup.codec, compressors, columnData, pageBytes: setup.pageBytes, spareBuffers });
      // Transferred rows' bytes (cells were views of them) go back with the group, for a later group's rows:
      // memory written once is much cheaper to write again than fresh memory. A shared buffer stays where it is.
      const spent = task.shared ? undefined : (bytes.buffer as ArrayBuffer);
      const reply: RowGroupReply = { id: task.id, encoded, spent };
      port.postMessage(reply, spent ? [...chunkBuffers(encoded), spent] : chunkBuffers(encoded));
    } catch (error) {
      port.postMessage({ id: task.id, failure: toWorkerFailure(error) } satisfies RowGroupReply);
    }
  });
}

/** A task's rows in a shared buffer, kept for its number when it comes with the task; undefined if not held. */
function sharedBytes(buffers: RecentSlots<SharedArrayBuffer>, shared: NonNullable<RowGroupTask["shared"]>): Uint8Array | undefined {
  let buffer = buffers.use(shared.slot);
  if (shared.buffer) buffers.keep(shared.slot, (buffer = shared.buffer));
  return buffer && new Uint8Array(buffer, shared.byteOffset, shared.byteLength);
}

/**
 * The thread's byte reader for SFT rows: text without escapes (and a packed row's text) stays a view of the
 * group's bytes, which the worker keeps until the group is encoded; unescaped text goes to its scratch buffer.
 */
const byteReader = new MessagesByteReader();

/** The task's rows as column arrays of encoded cells. */
function decodeRows(columns: ColumnSpec[], task: RowGroupTask, bytes: Uint8Array): RowGroupEncodeOptions["columnData"] {
  const columnData = columns.map((column) => ({ name: column.name, type: column.type, data: new Array<unknown>(task.ends.length) }));
  const overrides = new Map(task.overrides);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  byteReader.reset(text.length);
  let start = 0;
  for (let r = 0; r < task.ends.length; r++) {
    const end = task.ends[r]!;
    const where = { file: task.label, row: task.firstRow + r };
    // Cells were encoded and checked by the thread that sent them; an object row is checked here.
    const encoded =
      task.cells[r] === 1
        ? (JSON.parse(text.toString("utf8", start, end)) as unknown[])
        : encodeJsonRow(columns, text.subarray(start, end), task.textBytes[r]!, overrides.get(r), where, byteReader);
    for (let c = 0; c < encoded.length; c++) columnData[c]!.data[r] = encoded[c];
    start = end;
  }
  return columnData;
}
