/**
 * @module bench/jobs/count-words — counts LongBench-Write words in a text file: line by line as read
 * (readLines + countWords: `workMs`), then the counting loop alone over the lines held in memory (`countMs`).
 */
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
const workMs = performance.now() - started;

const texts: string[] = [];
for await (const { text } of readLines(file)) texts.push(text);
const countStarted = performance.now();
let again = 0;
for (const text of texts) again += countWords(text);
const countMs = performance.now() - countStarted;
if (again !== words) throw new Error(`count differs between passes: ${words} vs ${again}`);
console.log(JSON.stringify({ words, lines, workMs, countMs }));
