/**
 * @module llm/batch-state — the Batch API's own journal, beside the call journal
 * (`<journal>.batches.jsonl`): one line per step, appended the moment an id exists — an input file was
 * uploaded (with the request keys in it), a batch was created from it, a batch was collected. A run
 * killed at any point leaves enough to resume polling the same batch instead of submitting (and paying
 * for) it again. A torn last line (SIGKILL mid-append) is ignored.
 */
import { appendFileSync, existsSync, readFileSync } from "node:fs";

export type BatchStateEvent =
  | { event: "uploaded"; fileId: string; keys: string[]; at: string }
  | { event: "created"; fileId: string; batchId: string; at: string }
  | { event: "closed"; batchId: string; status: string; at: string };

/** One input file and what became of it. */
export interface BatchRecord {
  fileId: string;
  keys: string[];
  batchId?: string;
  /** Terminal status once its results were collected. */
  closedStatus?: string;
}

export interface BatchState {
  readonly path: string;
  /** Input files whose batch was not collected yet (maybe never created), in upload order. */
  open(): BatchRecord[];
  uploaded(fileId: string, keys: string[]): BatchRecord;
  created(record: BatchRecord, batchId: string): void;
  closed(record: BatchRecord, status: string): void;
}

/** The batch-state path for a call journal path. */
export function batchStatePath(journalPath: string): string {
  return `${journalPath}.batches.jsonl`;
}

/** Reads (or starts) the batch state at `path`. */
export function openBatchState(path: string): BatchState {
  const records = new Map<string, BatchRecord>();
  const byBatch = new Map<string, BatchRecord>();
  if (existsSync(path)) {
    for (const line of readFileSync(path, "utf8").split("\n")) {
      if (line.trim() === "") continue;
      let event: BatchStateEvent;
      try {
        event = JSON.parse(line) as BatchStateEvent;
      } catch {
        continue; // a torn last line
      }
      if (event.event === "uploaded" && Array.isArray(event.keys)) {
        records.set(event.fileId, { fileId: event.fileId, keys: event.keys });
      } else if (event.event === "created") {
        const record = records.get(event.fileId);
        if (record) {
          record.batchId = event.batchId;
          byBatch.set(event.batchId, record);
        }
      } else if (event.event === "closed") {
        const record = byBatch.get(event.batchId);
        if (record) record.closedStatus = event.status;
      }
    }
  }
  const append = (event: BatchStateEvent): void => appendFileSync(path, `${JSON.stringify(event)}\n`);
  return {
    path,
    open: () => [...records.values()].filter((record) => record.closedStatus === undefined),
    uploaded(fileId, keys) {
      append({ event: "uploaded", fileId, keys, at: new Date().toISOString() });
      const record: BatchRecord = { fileId, keys };
      records.set(fileId, record);
      return record;
    },
    created(record, batchId) {
      append({ event: "created", fileId: record.fileId, batchId, at: new Date().toISOString() });
      record.batchId = batchId;
      byBatch.set(batchId, record);
    },
    closed(record, status) {
      if (record.batchId === undefined) return;
      append({ event: "closed", batchId: record.batchId, status, at: new Date().toISOString() });
      record.closedStatus = status;
    },
  };
}
