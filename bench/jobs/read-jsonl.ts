/** @module bench/jobs/read-jsonl — reads and parses a JSONL file with readJsonl, nothing else (the parse cost). */
import { readJsonl } from "../../src/io/jsonl.js";

let rows = 0;
for await (const _ of readJsonl(process.argv[2]!)) rows += 1;
console.log(JSON.stringify({ rows }));
