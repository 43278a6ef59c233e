/** @module bench/jobs/count-words — counts LongBench-Write words in a text file, line by line (our reader + countWords). */
import { readLines } from "../../src/io/read-lines.js";
import { countWords } from "../../src/text/count-words.js";

const file = process.argv[2]!;
const started = performance.now();
let words = 0;
let lines = 0;
for await (const { text } of readLines(file)) {
  words += countWords(text);
  lines += 1;
}
console.log(JSON.stringify({ words, lines, workMs: performance.now() - started }));
