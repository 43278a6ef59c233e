/**
 * @module io/row-group-worker — the worker-thread side of `RowGroupPool`: parses a row group's JSON rows,
 * encodes their columns, encodes and compresses the row group (`encodeRowGroup`) and sends the bytes back
 * (transferred, not copied). An error is sent back as its message, with the InputError location if any.
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
      // The JSON text is as large as the group and no longer needed (no cell is a view of it): it goes back
      // for the next group's rows (memory written once is much cheaper to write again than fresh memory).
      const spent = task.bytes.buffer as ArrayBuffer;
      (task as { bytes?: Uint8Array | undefined }).bytes = undefined;
      port.postMessage({ id: task.id, spent }, [spent]);
      const encoded = encodeRowGroup({ schema: setup.schema, codec: setup.codec, compressors, columnData, pageBytes: setup.pageBytes, spareBuffers });
      port.postMessage({ id: task.id, encoded }, chunkBuffers(encoded));
    } catch (error) {
      port.postMessage({ id: task.id, failure: toWorkerFailure(error) });
    }
  });
}

/**
 * The thread's byte reader for SFT rows: text goes to its scratch buffer (reused group after group) even
 * without escapes, so the group's JSON can go back to the main thread before the group is encoded.
 */
const byteReader = new MessagesByteReader({ copyText: true });

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
