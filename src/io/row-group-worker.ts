/**
 * @module io/row-group-worker — the worker-thread side of `RowGroupPool`: parses a row group's JSON rows,
 * encodes their columns, encodes and compresses the row group (`encodeRowGroup`) and sends the bytes back
 * (transferred, not copied) with the buffer the rows came in. An error is sent back as its message, with the InputError location if any.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { CompressionCodec, SchemaElement } from "hyparquet";
import { MessagesByteReader } from "./adapters/messages-bytes.js";
import type { ColumnSpec } from "./column-spec.js";
import { encodeJsonRow } from "./json-row.js";
import type { JsonRowBatchData } from "./json-row-batch.js";
import { writeCompressors, type CodecOptions, type ParquetCodec } from "./parquet-codecs.js";
import { chunkBuffers, encodeRowGroup, MAX_SPARE_BUFFERS, type RowGroupEncodeOptions } from "./row-group-encode.js";
import { toWorkerFailure } from "./worker-failure.js";

export interface RowGroupWorkerData {
  columns: ColumnSpec[];
  schema: SchemaElement[];
  codec: CompressionCodec;
  codecOptions: CodecOptions;
  pageBytes: number;
}

/** One row group of JSON rows (see `JsonRowBatch`): their bytes back to back, where each ends, and what the writer declared. */
export interface RowGroupTask extends JsonRowBatchData {
  id: number;
  /** 1-based number of the group's first row (for error locations), and the name of the output. */
  firstRow: number;
  label: string;
}

const port = parentPort;
if (port) {
  const setup = workerData as RowGroupWorkerData;
  const compressors = await writeCompressors(setup.codecOptions, [setup.codec as ParquetCodec]);
  // Buffers of this worker's earlier output, written out by the main thread and handed back.
  const spareBuffers: ArrayBuffer[] = [];
  port.on("message", (task: RowGroupTask | { recycle: ArrayBuffer[] }) => {
    if ("recycle" in task) {
      for (const buffer of task.recycle) if (spareBuffers.length < MAX_SPARE_BUFFERS) spareBuffers.push(buffer);
      return;
    }
    try {
      const columnData = decodeRows(setup.columns, task);
      const encoded = encodeRowGroup({ schema: setup.schema, codec: setup.codec, compressors, columnData, pageBytes: setup.pageBytes, spareBuffers });
      // The rows' bytes (cells were views of them) go back with the group, for a later group's rows: memory
      // written once is much cheaper to write again than fresh memory.
      const spent = task.bytes.buffer as ArrayBuffer;
      port.postMessage({ id: task.id, encoded, spent }, [...chunkBuffers(encoded), spent]);
    } catch (error) {
      port.postMessage({ id: task.id, failure: toWorkerFailure(error) });
    }
  });
}

/**
 * The thread's byte reader for SFT rows: text without escapes (and a packed row's text) stays a view of the
 * group's bytes, which the worker keeps until the group is encoded; unescaped text goes to its scratch buffer.
 */
const byteReader = new MessagesByteReader();

/** The task's rows as column arrays of encoded cells. */
function decodeRows(columns: ColumnSpec[], task: RowGroupTask): RowGroupEncodeOptions["columnData"] {
  const columnData = columns.map((column) => ({ name: column.name, type: column.type, data: new Array<unknown>(task.ends.length) }));
  const overrides = new Map(task.overrides);
  const text = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength);
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
