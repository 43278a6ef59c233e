/**
 * The mixer's exact dedup through its first pass (mix/collect-candidates with mix/row-key-table): a row is an
 * exact duplicate when an earlier row has the same normalised turns, found by a 64-bit hash and confirmed on
 * the text; the earlier row's text comes from the spool (in memory or on disk), or from the table for a row
 * that near dedup dropped after exact dedup took it.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collectCandidates, type CollectSource } from "../src/mix/collect-candidates.js";
import { createMinHashDedup } from "../src/mix/minhash-dedup.js";
import { RowSpool } from "../src/mix/row-spool.js";
import type { SftRecord } from "../src/schemas/sft-record.js";
import { makeTmpDir } from "./helpers/tmp-dir.js";

const tmp = makeTmpDir("lw-mix-exact-dedup-");

const story = (words: number, twist = ""): string => `${Array.from({ length: words }, (_, i) => `word${(i * 31) % 97}`).join(" ")}${twist}`;
const chat = (id: string, user: string, assistant: string): SftRecord => ({
  id,
  messages: [
    { role: "user", content: user },
    { role: "assistant", content: assistant },
  ],
});

describe("mix: exact dedup on key hashes, confirmed on the text", () => {
  // a: kept. b: a near duplicate of a (one word changed). c: b again with other case and spacing: an exact
  // duplicate of a row near dedup dropped. d: a again, re-spaced. e: a row of its own, in Chinese.
  const rows = [
    chat("a", "Write about the sea.", story(300)),
    chat("b", "Write about the sea.", story(300, " finale")),
    chat("c", "  WRITE about   the sea. ", `${story(300, " finale").toUpperCase()}\n`),
    chat("d", "Write about the sea.\n", story(300).replace(/ /g, "\t")),
    chat("e", "写一篇关于大海的文章。", "大海很大。".repeat(200)),
    chat("f", "write ABOUT the sea.", ` ${story(300)} `),
  ];
  const lines = `${rows.map((row) => JSON.stringify(row)).join("\n")}\n`;

  for (const [name, spoolBytes, threads, rangeBytes] of [
    ["a spool in memory, read here", 64 << 20, undefined, undefined],
    ["a spool on disk, reader threads", 0, 2, 200],
    ["a spool on disk, reader threads reading several rows a range", 0, 2, 5000],
  ] as const) {
    it(`drops each duplicate under its reason, with ${name}`, async () => {
      const file = join(tmp, `${name.replace(/\W+/g, "-")}.jsonl`);
      writeFileSync(file, lines);
      const spool = RowSpool.create(`${file}.spool`, { memoryBytes: spoolBytes });
      try {
        const sources: CollectSource[] = [
          { tag: "s", files: [{ path: file, display: "s.jsonl" }], format: "messages", filterSpecs: [], ownFilter: undefined, countTokens: undefined },
        ];
        const result = await collectCandidates({
          sources,
          spool,
          exactDedup: true,
          nearDedup: createMinHashDedup({ threshold: 0.8 }),
          decontaminator: undefined,
          threads,
          ...(rangeBytes ? { rangeBytes } : {}),
        });
        expect(result.ids).toEqual(["a", "e"]);
        expect(result.sources[0]!.dropped).toEqual({ "duplicate:near": 1, "duplicate:exact": 3 });
        expect(spool.inMemory).toBe(spoolBytes > 0);
        // Each spooled row reads back as itself (on disk, a reader thread's rows go to the file as one block each).
        expect(result.ids.map((_, index) => spool.read<SftRecord>(index))).toEqual([rows[0], rows[4]].map((row) => ({ ...row, source: "s" })));
      } finally {
        spool.dispose();
      }
    });
  }

  it("keeps rows whose texts differ where normalising does not reach (punctuation, ß and ss, which turn)", async () => {
    const file = join(tmp, "near-misses.jsonl");
    const distinct = [
      chat("p", "Hello, world", "x"),
      chat("q", "Hello world", "x"),
      chat("r", "die Straße", "x"),
      chat("s", "die Strasse", "x"),
      chat("t", "x", "Hello, world"),
      chat("u", "HELLO\u00a0world\u3000", "X"), // q again: Unicode spaces are whitespace, and case goes
    ];
    writeFileSync(file, `${distinct.map((row) => JSON.stringify(row)).join("\n")}\n`);
    const spool = RowSpool.create(`${file}.spool`);
    try {
      const result = await collectCandidates({
        sources: [{ tag: "s", files: [{ path: file, display: "s.jsonl" }], format: "messages", filterSpecs: [], ownFilter: undefined, countTokens: undefined }],
        spool,
        exactDedup: true,
        nearDedup: undefined,
        decontaminator: undefined,
      });
      expect(result.ids).toEqual(["p", "q", "r", "s", "t"]);
      expect(result.sources[0]!.dropped).toEqual({ "duplicate:exact": 1 });
    } finally {
      spool.dispose();
    }
  });
});
