/**
 * A range handler for tests of io/record-range-pool: collects each record as JSON with its line. Options
 * plant failures: `throwAt` (a plain Error at the n-th record a handler sees) and `exitAt` (the worker
 * thread exits with code 7 there).
 */
import type { SftRecord } from "../../src/schemas/sft-record.js";
import type { RangeHandler } from "../../src/io/record-ranges.js";

export function createRangeHandler(options: { throwAt?: number; exitAt?: number }): RangeHandler<Array<{ line: number; json: string }>> {
  let seen = 0;
  let records: Array<{ line: number; json: string }> = [];
  return {
    record(record: SftRecord, line: number) {
      seen += 1;
      if (seen === options.throwAt) throw new Error("planted failure");
      if (seen === options.exitAt) process.exit(7);
      records.push({ line, json: JSON.stringify(record) });
    },
    finish() {
      const output = records;
      records = [];
      return { output, transfer: [] };
    },
  };
}
