/**
 * @module select/run-filter — `longwriter filter`: an SFT JSONL file through `sftPostFilter`, kept
 * records to `out` (JSONL), dropped ones (with reason) to an optional rejects file; both written
 * atomically. Input is any format `readRecords` reads (JSONL/JSON/Parquet; messages, ShareGPT, Alpaca).
 */
import { AtomicFile, removeStaleTempFiles, withAtomicFile } from "../io/atomic-file.js";
import type { InputIssue } from "../io/input-issue.js";
import { readRecords } from "../io/read-records.js";
import type { SftRecord } from "../schemas/sft-record.js";
import { applyFilters, newFilterCounts, type Filter, type FilterCounts } from "./filter.js";
import { sftPostFilter, type SftPostFilterOptions } from "./sft-filters.js";

export interface FilterSummary extends FilterCounts {
  input: string;
  out: string;
  rejects: string | null;
  invalid: InputIssue[];
}

/**
 * Filters an SFT file.
 * @example await runFilter({ input: "sft.jsonl", out: "long.jsonl", rejects: "rejects.jsonl" });
 */
export async function runFilter(options: {
  input: string;
  out: string;
  rejects?: string | undefined;
  filter?: Filter<SftRecord> | undefined;
  filterOptions?: SftPostFilterOptions | undefined;
  skipInvalid?: boolean | undefined;
  /** For a dataset dir input: the split to read, or "all". @default every file */
  split?: string | undefined;
}): Promise<FilterSummary> {
  const { input, out, rejects, skipInvalid = false } = options;
  const filter = options.filter ?? sftPostFilter(options.filterOptions);
  const counts = newFilterCounts();
  const invalid: InputIssue[] = [];
  await removeStaleTempFiles(out);
  if (rejects) await removeStaleTempFiles(rejects);
  const rejectFile = rejects ? await AtomicFile.open(rejects) : undefined;
  try {
    await withAtomicFile(out, async (file) => {
      const kept = applyFilters({
        records: sftRecords(input, skipInvalid, invalid, options.split),
        filter,
        counts,
        ...(rejectFile
          ? {
              onDrop: (record: SftRecord, reason: string, detail: string | undefined) =>
                rejectFile.write(`${JSON.stringify({ reason, ...(detail ? { detail } : {}), record })}\n`),
            }
          : {}),
      });
      for await (const record of kept) await file.write(`${JSON.stringify(record)}\n`);
    });
    await rejectFile?.commit();
  } catch (error) {
    await rejectFile?.abort();
    throw error;
  }
  return { input, out, rejects: rejects ?? null, invalid, ...counts };
}

async function* sftRecords(input: string, skipInvalid: boolean, issues: InputIssue[], split: string | undefined): AsyncGenerator<SftRecord> {
  for await (const { record } of readRecords(input, { kind: "sft", skipInvalid, issues, split })) yield record;
}
