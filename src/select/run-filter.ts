/**
 * @module select/run-filter — `longwriter filter`: an SFT JSONL file through `sftPostFilter`, kept
 * records to `out`, dropped ones (with reason) to an optional rejects file; both written atomically.
 * Rows without an id (LongWriter-6k's `{"messages": [...]}`) get a content-hash id.
 */
import { withAtomicFile, AtomicFile } from "../io/atomic-file.js";
import type { InputIssue } from "../io/input-issue.js";
import { handleBadRecord, validateRecord } from "../io/input-issue.js";
import { readJsonl } from "../io/jsonl.js";
import { sftRecordSchema, type SftRecord } from "../schemas/sft-record.js";
import { recordId } from "../text/record-id.js";
import { applyFilters, newFilterCounts, type Filter, type FilterCounts } from "./filter.js";
import { sftPostFilter, type SftPostFilterOptions } from "./sft-filters.js";

/** Streams SFT records from JSONL, deriving `id` = recordId(messages) when a row has none. */
export async function* readSftRecords(
  file: string,
  options: { skipInvalid?: boolean; issues?: InputIssue[] } = {},
): AsyncGenerator<SftRecord> {
  for await (const { line, record } of readJsonl<Record<string, unknown>>(file, options)) {
    try {
      const withId = record.id === undefined && Array.isArray(record.messages) ? { id: recordId(record.messages), ...record } : record;
      yield validateRecord(sftRecordSchema, withId, file, line);
    } catch (error) {
      handleBadRecord(error, options);
    }
  }
}

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
  rejects?: string;
  filter?: Filter<SftRecord>;
  filterOptions?: SftPostFilterOptions;
  skipInvalid?: boolean;
}): Promise<FilterSummary> {
  const { input, out, rejects, skipInvalid = false } = options;
  const filter = options.filter ?? sftPostFilter(options.filterOptions);
  const counts = newFilterCounts();
  const invalid: InputIssue[] = [];
  const rejectFile = rejects ? await AtomicFile.open(rejects) : undefined;
  try {
    await withAtomicFile(out, async (file) => {
      const kept = applyFilters({
        records: readSftRecords(input, { skipInvalid, issues: invalid }),
        filter,
        counts,
        ...(rejectFile
          ? { onDrop: (record: SftRecord, reason: string, detail: string | undefined) => rejectFile.write(`${JSON.stringify({ reason, ...(detail ? { detail } : {}), record })}\n`) }
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
