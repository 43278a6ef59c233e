/**
 * @module bench/lib/corpus — deterministic benchmark inputs built from the real text in
 * `../shared/data/general-sft/` (English and Chinese SFT answers, C4, Wikipedia): a pool of documents, a
 * seeded PRNG, and a mixed zh/en text file of a requested size (cached in bench/.work/).
 */
import { createWriteStream, existsSync, readFileSync, statSync } from "node:fs";
import { rename } from "node:fs/promises";
import { once } from "node:events";
import { join, resolve } from "node:path";
import { PROJECT_ROOT } from "./measure.js";
import { workDir } from "./scale.js";
import { createRandom } from "../../src/util/seeded-random.js";

export const SHARED_DATA = resolve(PROJECT_ROOT, "..", "shared", "data", "general-sft");

/** Floats in [0, 1) from the toolkit's seeded PRNG, so generated inputs are the same on every run. */
export function seededRandom(seed: number): () => number {
  const rng = createRandom({ seed, label: "bench-corpus" });
  return () => rng.nextFloat();
}

interface Pools {
  en: string[];
  zh: string[];
}

let cached: Pools | undefined;

/** English and Chinese documents from the shared data (instructions, answers, C4 text, Wikipedia lines). */
export function textPools(): Pools {
  if (cached) return cached;
  const read = (name: string) => readFileSync(join(SHARED_DATA, name), "utf8");
  const alpaca = (name: string) =>
    (JSON.parse(read(name)) as Array<{ instruction: string; input: string; output: string }>).flatMap((r) => [r.instruction, r.input, r.output]);
  const dpo = (name: string) =>
    (JSON.parse(read(name)) as Array<{ chosen: { value: string }; rejected: { value: string } }>).flatMap((r) => [r.chosen.value, r.rejected.value]);
  const c4 = read("c4_demo.jsonl")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { text: string }).text);
  const wiki = read("wiki_demo.txt").split("\n");
  const keep = (docs: string[]) => docs.filter((d) => typeof d === "string" && d.trim().length > 0);
  cached = {
    en: keep([...alpaca("alpaca_en_demo.json"), ...dpo("dpo_en_demo.json"), ...c4, ...wiki]),
    zh: keep([...alpaca("alpaca_zh_demo.json"), ...dpo("dpo_zh_demo.json")]),
  };
  return cached;
}

/**
 * A text file of about `bytes` bytes, alternating Chinese and English documents picked by a seeded PRNG
 * (one document per line; newlines inside documents kept). Written once to bench/.work/corpus/ and reused.
 */
export async function mixedCorpusFile(bytes: number, seed = 20240807): Promise<string> {
  const dir = await workDir("corpus");
  const file = join(dir, `mixed-${bytes}-${seed}.txt`);
  if (existsSync(file) && statSync(file).size >= bytes) return file;
  const { en, zh } = textPools();
  const random = seededRandom(seed);
  const temp = `${file}.tmp`;
  const out = createWriteStream(temp);
  let written = 0;
  let chunk = "";
  for (let i = 0; written < bytes; i++) {
    const pool = i % 2 === 0 ? zh : en;
    const doc = pool[Math.floor(random() * pool.length)]!;
    const line = `${doc}\n`;
    chunk += line;
    written += Buffer.byteLength(line);
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
  await rename(temp, file);
  return file;
}

/** One long SFT row (~`bytes` of text): a ~10% user prompt and a ~90% answer, sliced from the pools. */
export function longRow(index: number, bytes: number, random: () => number, pool: string): Record<string, unknown> {
  const take = (size: number) => {
    let start = Math.floor(random() * (pool.length - size));
    let end = start + size;
    // never cut a surrogate pair in half (a lone surrogate is not valid UTF-8; DuckDB's read_json rejects it)
    if (isLowSurrogate(pool.charCodeAt(start))) start += 1;
    if (isHighSurrogate(pool.charCodeAt(end - 1))) end -= 1;
    return pool.slice(start, end);
  };
  const promptChars = Math.round(bytes * 0.1);
  return {
    messages: [
      { role: "user", content: take(promptChars) },
      { role: "assistant", content: take(bytes - promptChars) },
    ],
    id: `row-${String(index).padStart(6, "0")}`,
    source: index % 2 === 0 ? "bench-en" : "bench-mixed",
  };
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** A single string of English (mostly) and Chinese text to slice long rows from (~`chars` characters). */
export function slicePool(chars: number, seed = 7): string {
  const { en, zh } = textPools();
  const random = seededRandom(seed);
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < chars; i++) {
    const pool = i % 4 === 3 ? zh : en;
    const doc = pool[Math.floor(random() * pool.length)]!;
    parts.push(doc);
    length += doc.length + 1;
  }
  return parts.join("\n");
}
