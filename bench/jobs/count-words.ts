/**
 * @module bench/jobs/count-words — counts LongBench-Write words in a text file: line by line as read
 * (readLines + countWords: `workMs`), then the counting loop alone over the lines held in memory (`countMs`),
 * then `countWordsUtf8` over the same lines held as UTF-8 bytes (`bytesCountMs`, what the mixer counts).
 */
import { readLines } from "../../src/io/read-lines.js";
import { countWords, countWordsUtf8 } from "../../src/text/count-words.js";

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

const buffers = texts.map((text) => Buffer.from(text, "utf8"));
const bytesStarted = performance.now();
let onBytes = 0;
for (const bytes of buffers) onBytes += countWordsUtf8(bytes);
const bytesCountMs = performance.now() - bytesStarted;
if (onBytes !== words) throw new Error(`countWordsUtf8 differs from countWords: ${onBytes} vs ${words}`);
console.log(JSON.stringify({ words, lines, workMs, countMs, bytesCountMs }));
