/**
 * @module io/prevalidate-input — LLM commands read their whole input once before the first paid call:
 * a bad line 9,000 must stop the run before 8,999 answers are bought, and an input without a single
 * record is an error rather than an empty output.
 */
import { InputError } from "../errors.js";

/**
 * Drains `records` (a fresh reader of `file`, validating as it goes) and returns how many there are.
 * Throws the reader's first error, or an InputError when the file holds no record.
 * @example await prevalidateInput(input, readInstructions(input));
 */
export async function prevalidateInput(file: string, records: AsyncIterable<unknown>): Promise<number> {
  let count = 0;
  for await (const _ of records) count += 1;
  if (count === 0) throw new InputError({ file }, "no records (the input is empty)");
  return count;
}
