#!/usr/bin/env -S npx tsx
/**
 * @module examples/length-adherence — the text metrics on the bundled long-writing rows: the length each
 * prompt asks for (extractRequiredLength), the answer's length as LongBench-Write counts it (countWords)
 * and the length score S_l (paper Eq. 1). Rows with a stated length and S_l ≥ 80 are the ones the
 * community's "LongWriter-6k-filtered" keeps.
 *
 *   npx tsx examples/length-adherence.ts [file.jsonl]
 */
import { fileURLToPath } from "node:url";
import { countWords, extractRequiredLength, lengthScore, readRecords } from "../src/index.js";

const file = process.argv[2] ?? fileURLToPath(new URL("data/long-writing.jsonl", import.meta.url));

let kept = 0;
let rows = 0;
console.log("id            required   written     S_l  keep?");
for await (const { record } of readRecords(file, { kind: "sft" })) {
  if (!("messages" in record)) continue;
  rows += 1;
  const prompt = record.messages.findLast((m) => m.role === "user")?.content ?? "";
  const answer = record.messages.at(-1)?.role === "assistant" ? record.messages.at(-1)!.content : "";
  const required = extractRequiredLength(prompt);
  const written = countWords(answer);
  const score = required === null ? null : lengthScore(required, written);
  const keep = score !== null && score >= 80;
  if (keep) kept += 1;
  console.log(
    `${record.id.padEnd(12)} ${String(required ?? "–").padStart(9)} ${String(written).padStart(9)} ${score === null ? "      –" : score.toFixed(1).padStart(7)}  ${keep ? "yes" : "no"}`,
  );
}
console.log(`\n${kept} of ${rows} rows state a length and meet it with S_l ≥ 80`);
