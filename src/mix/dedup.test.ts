import { describe, expect, it } from "vitest";
import { createRandom } from "../util/seeded-random.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ByteRole } from "../io/adapters/messages-bytes.js";
import type { ByteTurn } from "../io/adapters/messages-bytes.js";
import type { Message } from "../schemas/message.js";
import { byteTurnsKeyHash, createExactDedup, messagesKey, messagesKeyHash, normaliseForKey, wasmKeyNormaliserAvailable } from "./exact-dedup.js";
import { createMinHashDedup, estimateJaccard, minhashSignature } from "./minhash-dedup.js";

const conv = (user: string, assistant: string) => [
  { role: "user" as const, content: user },
  { role: "assistant" as const, content: assistant },
];

describe("exact dedup", () => {
  it("normalises text as /\\s+/g → one space, trim, lower case does (5,000 random strings of every kind of whitespace)", () => {
    const rng = createRandom({ seed: 5, label: "normalise-for-key" });
    const pieces = [" ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u2028", "\u3000", "\ufeff", "\u200b", "a", "B", "中", "İ", "ß", "x y", "\ud83d\ude00"];
    for (let n = 0; n < 5000; n++) {
      let text = "";
      for (let i = rng.nextUint32() % 12; i > 0; i--) text += pieces[rng.nextUint32() % pieces.length]!;
      expect(normaliseForKey(text), JSON.stringify(text)).toBe(text.replace(/\s+/g, " ").trim().toLowerCase());
    }
  });

  it("treats whitespace and case differences as the same row, roles and content changes as different", () => {
    expect(messagesKey(conv("Hello  World", "Hi\n there"))).toBe(messagesKey(conv(" hello world ", "HI THERE")));
    expect(messagesKey(conv("hello world", "hi there"))).not.toBe(messagesKey(conv("hello world", "hi there!")));
    expect(messagesKey([{ role: "user", content: "a" }])).not.toBe(messagesKey([{ role: "assistant", content: "a" }]));
    const dedup = createExactDedup();
    expect(dedup.seen(conv("a b", "c"))).toBe(false);
    expect(dedup.seen(conv("A  B", "c"))).toBe(true);
    expect(dedup.size).toBe(1);
  });
});

/** `byteTurnsKeyHash` as a string, or undefined where it declines. */
function byteTurnsKey(turns: readonly ByteTurn[]): string | undefined {
  const out = new Uint32Array(2);
  return byteTurnsKeyHash(turns, out, 0) ? out.join(":") : undefined;
}

/** `messagesKeyHash` as a string. */
function messagesKeyOf(messages: readonly Message[]): string {
  const out = new Uint32Array(2);
  messagesKeyHash(messages, out, 0);
  return out.join(":");
}

describe("exact-dedup key hashes on bytes", () => {
  const utf8 = new TextEncoder();
  const asBytes = (turns: Array<{ role: ByteRole; content: string }>) => turns.map(({ role, content }) => ({ role, content: utf8.encode(content) }));

  it("are messagesKeyHash's hashes, on 20,000 random conversations of every kind of character", () => {
    const rng = createRandom({ seed: 11, label: "byte-turns-key" });
    // ASCII letters and whitespace, Unicode spaces and separators, letters that lower-case to other bytes
    // (É, İ → i + dot, Ω, ẞ → ß, Deseret 𐐀, fullwidth Ａ), CJK, emoji, combining marks, controls.
    const pieces = [
      " ",
      "  ",
      "\t",
      "\n",
      "\r\n",
      "\v",
      "\f",
      "\u00a0",
      "\u1680",
      "\u2003",
      "\u2028",
      "\u2029",
      "\u202f",
      "\u205f",
      "\u3000",
      "\ufeff",
      "\u200b",
      "\u0085",
    ];
    pieces.push(
      "a",
      "Z",
      "Hello",
      "É",
      "é",
      "İ",
      "ß",
      "ẞ",
      "Ω",
      "σ",
      "ς",
      "Ж",
      "\u{10400}",
      "Ａ",
      "中文",
      "。",
      "’",
      "😀",
      "e\u0301",
      "\u0000",
      "\u007f",
      "x y",
      "ǅ",
      "Σ",
      "ΟΔΟΣ ",
    );
    for (let n = 0; n < 20_000; n++) {
      const turns: Array<{ role: ByteRole; content: string }> = [];
      for (let t = rng.nextUint32() % 4; t >= 0; t--) {
        let content = "";
        for (let i = rng.nextUint32() % 14; i > 0; i--) content += pieces[rng.nextUint32() % pieces.length]!;
        turns.push({ role: (["system", "user", "assistant"] as const)[rng.nextUint32() % 3]!, content });
      }
      const key = byteTurnsKey(asBytes(turns));
      // Undefined only for text with a capital sigma (the caller then keys the strings).
      if (key === undefined)
        expect(
          turns.some(({ content }) => content.includes("Σ")),
          JSON.stringify(turns),
        ).toBe(true);
      else expect(key, JSON.stringify(turns)).toBe(messagesKeyOf(turns));
    }
  });

  it("are messagesKeyHash's hashes on the bundled chat data, and give way to it where a capital sigma or malformed UTF-8 is", () => {
    let checked = 0;
    for (const name of ["alpaca_zh_demo.json", "alpaca_en_demo.json"]) {
      const file = join(import.meta.dirname, "..", "..", "..", "shared", "data", "general-sft", name);
      const rows = JSON.parse(readFileSync(file, "utf8")) as Array<{ instruction: string; input: string; output: string }>;
      for (const row of rows) {
        const turns = [
          { role: "user" as const, content: `${row.instruction}\n${row.input}` },
          { role: "assistant" as const, content: row.output },
        ];
        expect(byteTurnsKey(asBytes(turns))).toBe(messagesKeyOf(turns));
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(1000);
    expect(byteTurnsKey(asBytes([{ role: "user", content: "ΟΔΟΣ" }]))).toBeUndefined();
    expect(byteTurnsKey([{ role: "user", content: new Uint8Array([0x61, 0xc3]) }])).toBeUndefined();
    expect(byteTurnsKey([{ role: "user", content: new Uint8Array([0xed, 0xa0, 0x80]) }])).toBeUndefined(); // a surrogate
    // CJK lead bytes (0xE4–0xE9, taken by a shortcut) with a bad or missing continuation byte.
    for (const bad of [
      [0xe4, 0x41, 0x80],
      [0xe9, 0x80, 0xc0],
      [0xe6, 0xb8],
      [0x61, 0xe5],
      [0xe4, 0xb8, 0xad, 0xe8, 0xff, 0x80],
    ]) {
      expect(byteTurnsKey([{ role: "user", content: new Uint8Array(bad) }]), JSON.stringify(bad)).toBeUndefined();
    }
  });

  it("are messagesKeyHash's hashes for every CJK ideograph from U+4000 to U+9FFF, amid spaces and capitals", () => {
    const characters: string[] = [];
    for (let code = 0x3ff0; code <= 0xa00f; code++) characters.push(String.fromCodePoint(code));
    // In runs of up to 40, between spaces, newlines and capitals, so both paths meet them at every alignment.
    const rng = createRandom({ seed: 23, label: "byte-turns-key-cjk" });
    for (let at = 0; at < characters.length; ) {
      const run = 1 + (rng.nextUint32() % 40);
      const content = `${["", " ", "\n ", "AB"][rng.nextUint32() % 4]}${characters.slice(at, at + run).join("")}${["", "  ", "Q", "\t"][rng.nextUint32() % 4]}`;
      at += run;
      const turns = [{ role: "user" as const, content }];
      expect(byteTurnsKey(asBytes(turns)), JSON.stringify(content)).toBe(messagesKeyOf(turns));
    }
  });

  it("are messagesKeyHash's hashes on long, mostly ASCII text at every alignment (where words are taken four bytes at a time)", () => {
    const rng = createRandom({ seed: 17, label: "byte-turns-key-long" });
    // Single and double spaces, spaces at the start and the end, capitals, controls, DEL, and now and then
    // something that is not ASCII (a capital to lower, a Unicode space, a capital sigma).
    const common = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ@[`{~.,'0189      ";
    const rare = ["\n", "\t", "\r\n", "  ", "\u007f", "\u0000", "\u001f", "É", "\u00a0", "\u3000", "İ", "中", "Σ"];
    let checked = 0;
    for (let n = 0; n < 2_000; n++) {
      let content = rng.nextFloat() < 0.3 ? " " : "";
      const length = 32 + (rng.nextUint32() % 200);
      const rareShare = [0, 0.02, 0.1][n % 3]!;
      while (content.length < length) {
        content += rng.nextFloat() < rareShare ? rare[rng.nextUint32() % rare.length]! : common[rng.nextUint32() % common.length]!;
      }
      if (rng.nextFloat() < 0.3) content += "  ";
      const turns = [{ role: "user" as const, content }];
      const expected = messagesKeyOf(turns);
      const encoded = utf8.encode(content);
      for (let offset = 0; offset < 8; offset++) {
        const bytes = new Uint8Array(offset + encoded.length + 3);
        bytes.set(encoded, offset);
        bytes.fill(0x41, 0, offset); // capitals around it: they must not leak in
        bytes.fill(0x41, offset + encoded.length);
        const key = byteTurnsKey([{ role: "user", content: bytes.subarray(offset, offset + encoded.length) }]);
        if (content.includes("Σ")) expect(key).toBeUndefined();
        else expect(key, `${JSON.stringify(content)} at offset ${offset}`).toBe(expected);
        checked += 1;
      }
    }
    expect(checked).toBe(16_000);
  });

  it("come from the wasm normaliser (SIMD) with messagesKeyHash's hashes at its 16-byte block edges and on characters new to its tables", () => {
    expect(wasmKeyNormaliserAvailable()).toBe(true);
    const a16 = "AbCdEfGhIjKlMnOp";
    const cases = [
      `${a16}${a16}`,
      ` ${a16} ${a16}`, // a space at the start of the output, then one starting a block
      `${a16.slice(0, 15)}  ${a16}`, // a double space across the block edge
      `${a16.slice(0, 15)} ${a16.slice(0, 15)} ${a16} `, // single spaces at block ends, a trailing one
      `${a16}\n${a16}\t\t${a16}\r\n`,
      `${"Z".repeat(40)}Ⱥ${"Q".repeat(20)}`, // Ⱥ lowers from 2 bytes to 3
      `${a16}ԱԲԳ ǄǅǆΆΈ ＡＢＣ ${a16}`, // letters the tables have not seen yet
      `${a16}😀 𠀀 ${a16}`, // beyond the BMP, unchanged
      `${a16}𐐀${a16}`, // a capital beyond the BMP: the wasm normaliser leaves it to the JavaScript one
      `${a16}İ${a16}`, // İ lowers to two code points: likewise
      `${a16}\u00a0\u2028\u3000\ufeff${a16}`, // Unicode spaces
    ];
    for (const content of cases) {
      const turns = [
        { role: "system" as const, content: "You are HELPFUL." },
        { role: "user" as const, content },
      ];
      expect(byteTurnsKey(asBytes(turns)), JSON.stringify(content)).toBe(messagesKeyOf(turns));
    }
  });
});

const words = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => `w${(i * 7919 + offset) % 5003}`).join(" ");

describe("MinHash near dedup", () => {
  it("estimates Jaccard similarity", () => {
    const base = words(400);
    const near = `${base} extra tail words here`;
    expect(estimateJaccard(minhashSignature(base), minhashSignature(near))).toBeGreaterThan(0.85);
    expect(estimateJaccard(minhashSignature(base), minhashSignature(words(400, 1)))).toBeLessThan(0.1);
  });

  it("flags a lightly edited copy and keeps unrelated texts", () => {
    const dedup = createMinHashDedup({ threshold: 0.8 });
    const base = words(500);
    expect(dedup.check(base)).toBeNull();
    expect(dedup.check(words(500, 17))).toBeNull();
    const edited = base.replace("w0 ", "changed ").concat(" one more");
    expect(dedup.check(edited)).toMatchObject({ index: 0 });
    expect(dedup.size).toBe(2);
    expect(() => createMinHashDedup({ permutations: 100, bands: 16 })).toThrow(/divisible/);
  });

  it("handles Chinese text character by character", () => {
    const zh = "长篇写作需要清晰的结构和连贯的段落，每一部分都应服务于整体的论点。".repeat(8);
    const dedup = createMinHashDedup();
    expect(dedup.check(zh)).toBeNull();
    expect(dedup.check(`${zh}补充一句。`)).not.toBeNull();
  });
});
