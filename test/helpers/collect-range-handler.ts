/**
 * A range handler for tests of io/record-range-pool: collects each record as JSON with its line. Options
 * plant failures: `throwAt` (a plain Error at the n-th record a handler sees), `inputErrorAt` (an InputError
 * naming that record's line) and `exitAt` (the worker
 * thread exits with code 7 there).
 */
import { threadId } from "node:worker_threads";
import { InputError } from "../../src/errors.js";
import type { SftRecord } from "../../src/schemas/sft-record.js";
import type { RangeHandler } from "../../src/io/record-ranges.js";

export function createRangeHandler(options: {
  throwAt?: number;
  exitAt?: number;
  inputErrorAt?: number;
  /** Also note the thread each record was read in (`thread`: worker_threads' threadId). */
  threads?: boolean;
}): RangeHandler<Array<{ line: number; json: string; thread?: number }>> {
  let seen = 0;
  let records: Array<{ line: number; json: string; thread?: number }> = [];
  return {
    record(record: SftRecord, line: number, label: string) {
      seen += 1;
      if (seen === options.throwAt) throw new Error("planted failure");
      if (seen === options.inputErrorAt) throw new InputError({ file: label, line, field: "messages" }, "planted input error");
      if (seen === options.exitAt) process.exit(7);
      records.push({ line, json: JSON.stringify(record), ...(options.threads ? { thread: threadId } : {}) });
    },
    finish() {
      const output = records;
      records = [];
      return { output, transfer: [] };
    },
  };
}
