import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import { createTokenCounter, type TokenCounter } from "./tokens.js";

/** A small byte-level BPE tokenizer.json made for the tests (test/fixtures/tiny-bpe/README.md). */
const TINY_BPE = join(import.meta.dirname, "..", "..", "test", "fixtures", "tiny-bpe", "tokenizer.json");

// Mixed text with every kind of boundary the piece splitter must respect: contractions, CJK with and
// without punctuation, digits, astral characters, newlines and runs of spaces.
const MIXED = Array.from({ length: 40 }, (_, i) =>
  `Paragraph ${i}: it's the quick brown fox — don't stop!  Numbers 12345, 3.14. ` +
  `中文句子，第${i}段。没有标点的一长串汉字没有标点的一长串汉字𠀀𠀁😀 café naïve\n\n   indented line ’quoted’\r\n`,
).join("");

describe("createTokenCounter", () => {
  const counters: Record<string, TokenCounter> = {};
  beforeAll(async () => {
    for (const name of ["o200k_base", "cl100k_base"]) counters[name] = await createTokenCounter(name);
    counters["tiny-bpe"] = await createTokenCounter(TINY_BPE);
  });
  afterAll(() => {
    for (const counter of Object.values(counters)) counter.free();
  });

  it.each<[string, string, number]>([
    ["tiny-bpe", "hello world", 2], // merges spell "hello" and " world"
    ["tiny-bpe", "Hello 世界", 11], // H e ll o, then " " and the 6 UTF-8 bytes of 世界
    ["tiny-bpe", "hello world tokens", 3],
    ["cl100k_base", "hello world", 2], // [15339, 1917]
    ["cl100k_base", "The quick brown fox jumps over the lazy dog.", 10],
    ["cl100k_base", "Hello 世界", 5],
    ["o200k_base", "hello world", 2],
    ["o200k_base", "Hello 世界", 2],
    ["o200k_base", "", 0],
  ])("%s counts %j as %i tokens", (name, text, expected) => {
    expect(counters[name]?.count(text)).toBe(expected);
  });

  it("treats special-token text as plain text in tiktoken (no throw)", () => {
    expect(counters.cl100k_base?.count("<|endoftext|>")).toBeGreaterThan(1);
  });

  it.each(["o200k_base", "cl100k_base", "tiny-bpe"])("%s: counting in small pieces gives the whole-text count", async (name) => {
    const pieces = await createTokenCounter(name === "tiny-bpe" ? TINY_BPE : name, { pieceChars: 100 });
    try {
      expect(MIXED.length).toBeGreaterThan(5000);
      expect(MIXED.length).toBeLessThan(20_000); // the default counter takes it in one piece
      expect(pieces.count(MIXED)).toBe(counters[name]?.count(MIXED));
    } finally {
      pieces.free();
    }
  });

  it("counts a long run of Chinese without punctuation quickly", () => {
    const run = "比亚迪的产品决策和业务转型对其企业竞争力的提升产生了显著效果".repeat(1000); // 30k chars, one pre-token
    const started = performance.now();
    const count = counters.o200k_base?.count(run) ?? 0;
    expect(performance.now() - started).toBeLessThan(5000); // whole-string BPE takes minutes
    expect(count).toBeGreaterThan(run.length / 3);
    expect(count).toBeLessThan(run.length * 1.5);
  });

  it("loads a user's tokenizer.json by path (and a tokenizer_config.json beside it)", async () => {
    const dir = makeTmpDir();
    const file = join(dir, "tokenizer.json");
    writeFileSync(file, JSON.stringify({
      version: "1.0", truncation: null, padding: null, added_tokens: [], normalizer: null,
      pre_tokenizer: { type: "Whitespace" }, post_processor: null, decoder: null,
      model: { type: "WordLevel", vocab: { "[UNK]": 0, hello: 1, world: 2 }, unk_token: "[UNK]" },
    }));
    writeFileSync(join(dir, "tokenizer_config.json"), JSON.stringify({ model_max_length: 512 }));
    const counter = await createTokenCounter(file);
    expect(counter.name).toBe(file);
    expect(counter.count("hello world")).toBe(2);
    expect(counter.count("hello, unknown world")).toBe(4); // "," and the unknown word are one token each
    counter.free();
    const byDirectory = await createTokenCounter(dir);
    expect(byDirectory.count("hello world")).toBe(2);
  });

  it("rejects an unknown name with the list of valid ones", async () => {
    const error = await createTokenCounter("gpt5_base").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/unknown tokenizer "gpt5_base"; use o200k_base, cl100k_base \(built in\), a Hub model id such as Qwen\/Qwen2.5-7B-Instruct/);
  });

  it("rejects a missing or broken tokenizer.json naming the file", async () => {
    const dir = makeTmpDir();
    await expect(createTokenCounter(join(dir, "nope.json"))).rejects.toThrow(/nope\.json: tokenizer file not found/);
    const broken = join(dir, "broken.json");
    writeFileSync(broken, "{ not json");
    await expect(createTokenCounter(broken)).rejects.toThrow(ConfigError);
    await expect(createTokenCounter(broken)).rejects.toThrow(/broken\.json: cannot read tokenizer/);
  });

  it("refuses to count after free()", async () => {
    const counter = await createTokenCounter("cl100k_base");
    counter.free();
    counter.free(); // idempotent
    expect(() => counter.count("x")).toThrow(/freed/);
  });

});
