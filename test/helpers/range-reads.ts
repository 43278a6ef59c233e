/**
 * What the range-reader tests compare: a file read by `readRecords` (kind "sft", bad rows skipped and
 * reported) and the same file read in ranges by a `RangeReader` with the collecting handler of
 * test/helpers/collect-range-handler, as records (JSON with file-wide lines), issues and the format.
 */
import type { InputIssue } from "../../src/io/input-issue.js";
import { readRecords } from "../../src/io/read-records.js";
import { readFileRanges, type RangeReader } from "../../src/io/record-range-pool.js";

export type Collected = Array<{ line: number; json: string }>;

export interface Read {
  records: Collected;
  issues: InputIssue[];
  format: string | undefined;
}

export async function byReadRecords(path: string): Promise<Read> {
  const issues: InputIssue[] = [];
  const records: Collected = [];
  let format: string | undefined;
  for await (const { line, record } of readRecords(path, {
    kind: "sft",
    skipInvalid: true,
    issues,
    allowEmpty: true,
    onFormat: (f) => (format ??= f.format),
  })) {
    records.push({ line, json: JSON.stringify(record) });
  }
  return { records, issues, format };
}

export async function byRanges(reader: RangeReader<Collected>, path: string, rangeBytes: number): Promise<Read> {
  const out: Read = { records: [], issues: [], format: undefined };
  for await (const range of readFileRanges({ reader, file: path, label: path, format: "auto", handler: 0, rangeBytes })) {
    out.format ??= range.format?.format;
    out.issues.push(...range.issues);
    for (const { line, json } of range.output) out.records.push({ line: line + range.lineBase, json });
  }
  return out;
}
