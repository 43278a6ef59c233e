/** @module bench/jobs/make-long-rows — writes N long SFT rows (~B bytes of text each) as JSONL, deterministically. */
import { writeJsonl } from "../../src/io/jsonl.js";
import { longRow, seededRandom, slicePool } from "../lib/corpus.js";

const [out, countArg, bytesArg] = process.argv.slice(2);
const count = Number(countArg);
const bytes = Number(bytesArg);
const pool = slicePool(8 << 20);
const random = seededRandom(42);
function* rows() {
  for (let i = 0; i < count; i++) yield longRow(i, bytes, random, pool);
}
const written = await writeJsonl(out!, rows());
console.log(JSON.stringify({ rows: written }));
