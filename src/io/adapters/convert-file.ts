/**
 * @module io/adapters/convert-file — convert a record file between containers (JSONL, JSON array,
 * Parquet, dataset dir as input) and formats, streaming and atomically: on any error nothing is written.
 */
import { extname, resolve } from "node:path";
import { ConfigError, InputError, ToolkitError } from "../../errors.js";
import { handleBadRecord, type InputIssue } from "../input-issue.js";
import type { ParquetCodec } from "../parquet-codecs.js";
import { jsonlToParquet } from "../jsonl-to-parquet.js";
import { isSplittableJsonl, readRecords } from "../read-records.js";
import { assertWritablePath, NEEDS_TOOL_COLUMNS, writeRawRecords } from "../write-records.js";
import { assertFormatKind, getAdapter } from "./detect-format.js";
import {
  formatKind,
  isPreferencePair,
  type CanonicalRecord,
  type FormatName,
  type RawRecord,
  type RecordKind,
  type SftFormat,
  unwritableReason,
} from "./format.js";

export interface ConvertFileOptions {
  input: string;
  output: string;
  /** Input format. @default "auto" (detected per file) */
  from?: FormatName | "auto" | undefined;
  /** Output format. @default the canonical layout of the input's kind: "messages" (SFT) or "trl" (preference) */
  to?: FormatName | undefined;
  /** Only accept records of this kind. */
  kind?: RecordKind | undefined;
  /** Skip rows that cannot be read or converted, reporting them into `issues`. @default false */
  skipInvalid?: boolean | undefined;
  issues?: InputIssue[] | undefined;
  /** Parquet codec for a .parquet output. @default "SNAPPY" */
  codec?: ParquetCodec | undefined;
  /** For a dataset dir input: the split to read, or "all" (see `chooseSplit`). @default every file */
  split?: string | undefined;
  /**
   * Threads for a JSONL input written as Parquet in the messages layout (reader threads parse, encode and
   * compress ranges of the input; the file is the same bytes for any number). @default every core
   */
  threads?: number | undefined;
  /** Input bytes per range for JSONL → Parquet (a row group never spans two). @default 90% of the row-group budget (`defaultRangeBytes`) */
  rangeBytes?: number | undefined;
  /** Called as records are read (every 100 records, or after each range of a JSONL input read in parallel). */
  onProgress?: ((progress: { read: number }) => void) | undefined;
  /** Stops the conversion when aborted: its reason is thrown at the next record or range, and nothing is written. */
  signal?: AbortSignal | undefined;
}

export interface ConvertFileResult {
  input: string;
  output: string;
  /** Format of each input file (a dataset dir has several). */
  inputFormats: Record<string, FormatName>;
  outputFormat: FormatName;
  kind: RecordKind;
  read: number;
  written: number;
  skipped: number;
}

/**
 * Reads `input` (any supported container and format), converts each record to the output format and
 * writes `output` atomically.
 *
 * @example
 * await convertFile({ input: "alpaca_en_demo.json", output: "alpaca.parquet" }); // → messages layout
 */
export async function convertFile(options: ConvertFileOptions): Promise<ConvertFileResult> {
  const issues = options.issues ?? [];
  const issuesBefore = issues.length;
  try {
    return await convertOnce({ ...options, issues }, false);
  } catch (error) {
    // The Parquet columns are chosen before the first row; a tool-call row met later means starting over
    // with the tool-call columns (the failed write left nothing behind). Files without tools are read once.
    if (!ToolkitError.isInstance(error) || error.code !== NEEDS_TOOL_COLUMNS) throw error;
    issues.length = issuesBefore;
    return convertOnce({ ...options, issues }, true);
  }
}

async function convertOnce(options: ConvertFileOptions & { issues: InputIssue[] }, tools: boolean): Promise<ConvertFileResult> {
  const { input, output, from = "auto", skipInvalid = false, issues } = options;
  if (resolve(input) === resolve(output)) throw new ConfigError(`the output ${output} is the input; write to another path`);
  if (from !== "auto") assertFormatKind(from, options.kind);
  if (options.to !== undefined) assertFormatKind(options.to, options.kind);
  assertWritablePath(output, options.to);
  const inputFormats: Record<string, FormatName> = {};
  let kind: RecordKind | undefined = options.kind ?? (from !== "auto" ? formatKind(from) : undefined);
  let outputFormat: FormatName | undefined = options.to;
  let read = 0;
  const issuesBefore = issues.length;
  // The output format (and so the Parquet columns) must be known before writing starts: peek at the first record.
  const records = readRecords(input, {
    format: from,
    kind: options.kind,
    skipInvalid,
    issues,
    split: options.split,
    onFormat: ({ file, format }) => {
      inputFormats[file] = format;
    },
  });
  const first = await records.next();
  if (!first.done) {
    const firstKind: RecordKind = isPreferencePair(first.value.record) ? "preference" : "sft";
    if (outputFormat !== undefined && formatKind(outputFormat) !== firstKind) {
      throw new ConfigError(`${input} holds ${firstKind} records; output format "${outputFormat}" holds ${formatKind(outputFormat)} records`);
    }
    kind ??= firstKind;
  }
  outputFormat ??= (kind ?? "sft") === "preference" ? "trl" : "messages";
  const adapter = getAdapter(outputFormat);
  const format = outputFormat;

  // JSONL → Parquet of SFT records: ranges of the input on every core, each row parsed once. Taken when the
  // first record was the first thing read (no skipped lines before it), so its format is the whole file's.
  const inputFormat = inputFormats[input] as SftFormat | undefined;
  if (
    !first.done &&
    kind === "sft" &&
    format === "messages" &&
    extname(output).toLowerCase() === ".parquet" &&
    inputFormat !== undefined &&
    issues.length === issuesBefore &&
    (await isSplittableJsonl(input))
  ) {
    await records.return(undefined);
    const { read: parallelRead, file } = await jsonlToParquet({
      input,
      output,
      format: inputFormat,
      tools,
      codec: options.codec,
      threads: options.threads,
      rangeBytes: options.rangeBytes,
      skipInvalid,
      issues,
      onProgress: options.onProgress,
      signal: options.signal,
    });
    return { input, output, inputFormats, outputFormat: format, kind, read: parallelRead, written: file.rows, skipped: issues.length - issuesBefore };
  }

  async function* rows(): AsyncGenerator<RawRecord> {
    let next = first;
    while (!next.done) {
      options.signal?.throwIfAborted();
      const { file, line, record } = next.value;
      read += 1;
      if (read % 100 === 0) options.onProgress?.({ read });
      let row: RawRecord | undefined;
      try {
        row = (adapter.fromCanonical as (r: CanonicalRecord) => RawRecord)(record);
      } catch (error) {
        handleBadRecord(new InputError({ file, line }, unwritableReason(format, error), { cause: error }), { skipInvalid, issues });
      }
      if (row !== undefined) yield row;
      next = await records.next();
    }
  }
  const written = await writeRawRecords(output, rows(), { format, tools, codec: options.codec });
  return {
    input,
    output,
    inputFormats,
    outputFormat: format,
    kind: kind ?? formatKind(format),
    read,
    written,
    skipped: issues.length - issuesBefore,
  };
}
