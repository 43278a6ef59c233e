/**
 * @module bench/jobs/parquet-write-convert — JSONL → Parquet the way `longwriter convert` does it
 * (`convertFile`: read, detect the format, adapt each record, write), so the bench shows the command's cost
 * beside the bare writer's. Args: input.jsonl out.parquet codec
 */
import { convertFile } from "../../src/io/adapters/convert-file.js";
import { readParquetInfo } from "../../src/io/parquet-read.js";
import { parseParquetCodec } from "../../src/io/parquet-codecs.js";

const [input, output, codec] = process.argv.slice(2);
const result = await convertFile({ input: input!, output: output!, codec: parseParquetCodec(codec!) });
const info = await readParquetInfo(output!);
console.log(JSON.stringify({ rows: result.written, rowGroups: info.rowGroups }));
