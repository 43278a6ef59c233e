import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { countWords, countWordsUtf8 } from "./count-words.js";

// LongBench-Write's count_words (pred.py), run by the local python3 on every string at once.
const PYTHON_REFERENCE = `
import json, re, sys
texts = json.loads(sys.stdin.read())
def count_words(text):
    chinese = re.findall(r'[\\u4e00-\\u9fff]', text)
    english = re.findall(r'\\b[a-zA-Z]+\\b', text)
    return len(chinese) + len(english)
json.dump([count_words(t) for t in texts], sys.stdout)
`;
import { createRandom } from "../util/seeded-random.js";

const hasPython = spawnSync("python3", ["--version"], { encoding: "utf8" }).status === 0;

function pythonCounts(texts: string[]): number[] {
  const result = spawnSync("python3", ["-c", PYTHON_REFERENCE], {
    input: JSON.stringify(texts),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as number[];
}

/** Floats in [0, 1) from the toolkit's seeded PRNG, so generated inputs are the same on every run. */
function seededRandom(seed: number): () => number {
  const rng = createRandom({ seed, label: "count-words-cross-check" });
  return () => rng.nextFloat();
}

// Every code point drawn here is assigned in Unicode 14 (python 3.11) and in Node's ICU, so both sides
// agree on which characters are letters. Characters assigned after the reader's Unicode version are the
// one place a port can legitimately differ (see docs/text-metrics.md).
const range = (from: number, to: number) => (random: () => number) => String.fromCodePoint(from + Math.floor(random() * (to - from + 1)));
const pick = (items: string) => {
  const chars = [...items];
  return (random: () => number) => chars[Math.floor(random() * chars.length)] ?? "";
};
const asciiWord = (random: () => number) => {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let word = "";
  const length = 1 + Math.floor(random() * 7);
  for (let i = 0; i < length; i++) word += letters[Math.floor(random() * letters.length)];
  return word;
};

const PIECES: Array<[weight: number, make: (random: () => number) => string]> = [
  [10, asciiWord],
  [6, pick(" \t\n\r\u00a0\u3000\u2009")], // whitespace of several kinds
  [6, range(0x4e00, 0x9fff)], // CJK unified, counted
  [2, pick("\u4dff\u4e00\u9fff\ua000\u3007\u3005")], // edges of the counted range, 〇 々
  [2, range(0x3400, 0x4dbf)], // CJK extension A (not counted)
  [2, range(0x20000, 0x2a6df)], // CJK extension B, astral (not counted)
  [1, range(0xf900, 0xfa6d)], // CJK compatibility ideographs
  [3, pick("éïñßøŁǅʰİçãÉÀ")], // accented/other Latin letters, Lt, Lm
  [3, pick("\u0301\u0308\u0327\u20dd\u0345\u093e")], // combining marks (Mn, Me, Mc)
  [2, range(0xff21, 0xff3a)], // full-width Latin capitals
  [2, range(0xff41, 0xff5a)], // full-width Latin small
  [2, pick("０１２３４５６７８９")], // full-width digits
  [4, pick("0123456789")],
  [2, pick("²³¹½¼ⅫⅣ①⑩٣١௧໒")], // non-ASCII numbers: No, Nl, other Nd
  [3, pick("_")],
  [3, pick("'’`-")], // apostrophes, hyphen
  [2, pick("😀👍🏽🇨🇳\u200d\ufe0f❤")], // emoji, skin tone, flag, ZWJ, VS16
  [2, range(0x3041, 0x3096)], // hiragana
  [2, range(0x30a1, 0x30fa)], // katakana
  [1, pick("ｱｲｳｰ・")], // half-width katakana, prolonged sound mark
  [2, range(0xac00, 0xd7a3)], // hangul syllables
  [1, pick("ᄀ까")], // hangul jamo
  [2, pick("абвгдежзийΑαβγאבעربक्षि")], // Cyrillic, Greek, Hebrew, Arabic, Devanagari
  [4, pick(",.!?;:—…“”「」《》、。（）()[]{}<>/\\@#$%^&*+=|~")],
  [1, pick("\u200b\u00ad\u200c\u2060\ufeff")], // zero-width and format characters
];
const TOTAL_WEIGHT = PIECES.reduce((sum, [weight]) => sum + weight, 0);

function randomString(random: () => number): string {
  const pieces = Math.floor(random() * 30);
  let text = "";
  for (let i = 0; i < pieces; i++) {
    let roll = random() * TOTAL_WEIGHT;
    for (const [weight, make] of PIECES) {
      roll -= weight;
      if (roll < 0) {
        text += make(random);
        break;
      }
    }
  }
  return text;
}

// Cases chosen by hand where a plausible port goes wrong; the expected value is Python's.
const TRICKY: Array<[string, number]> = [
  ["don't", 2],
  ["don’t", 2],
  ["café", 0],
  ["naïve", 0],
  ["cafe\u0301", 1], // a combining mark is not \w in Python, so "cafe" ends at a boundary
  ["中文abc", 2],
  ["abc中文", 2],
  ["abc123", 0],
  ["123abc", 0],
  ["x²", 0], // ² is numeric, so \w
  ["½abc", 0],
  ["Ⅻabc", 0],
  ["abc١", 0], // Arabic-Indic digit
  ["under_score", 0],
  ["_abc_", 0],
  ["ｆull width", 1],
  ["ＡＢＣ", 0],
  ["İstanbul", 0],
  ["ʰello", 0],
  ["ǅabc", 0],
  ["a\u200bb", 2],
  ["a\u00adb", 2],
  ["🙂abc🙂", 1],
  ["ｱabc", 0],
  ["ーabc", 0],
  ["〇abc", 0], // U+3007 is outside U+4E00–9FFF and is a number
  ["々abc", 0],
  ["\u4e00abc", 1],
  ["\u9fff", 1],
  ["\u4dff\ua000", 0],
  ["𠀀abc", 0], // extension B is a letter: no boundary, and not counted
  ["한국어abc", 0],
  ["日本語のテキスト", 3],
  ["abc\u3000def", 2],
  ["a-b-c", 3],
  ["e-mail", 2],
  ["", 0],
];

describe("countWords matches LongBench-Write's Python count_words", () => {
  it.each(TRICKY)("%j → %i", (text, expected) => {
    expect(countWords(text)).toBe(expected);
  });

  it.skipIf(!hasPython)("agrees with python3 on the tricky table", () => {
    const texts = TRICKY.map(([text]) => text);
    expect(pythonCounts(texts)).toEqual(TRICKY.map(([, expected]) => expected));
  });

  it.skipIf(!hasPython)("agrees with python3 on real text (alpaca en/zh, c4, LongBench-Write prompts)", () => {
    const data = "../shared/data";
    const alpaca = (file: string) =>
      (JSON.parse(readFileSync(`${data}/general-sft/${file}`, "utf8")) as Array<Record<string, string>>).flatMap((row) => [
        row.instruction ?? "",
        row.input ?? "",
        row.output ?? "",
      ]);
    const jsonl = (file: string, field: string) =>
      readFileSync(`${data}/${file}`, "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => String((JSON.parse(line) as Record<string, unknown>)[field]));
    const texts = [
      ...alpaca("alpaca_en_demo.json"),
      ...alpaca("alpaca_zh_demo.json"),
      ...jsonl("general-sft/c4_demo.jsonl", "text"),
      ...jsonl("longbench-write/longbench_write.jsonl", "prompt"),
    ];
    expect(texts.length).toBeGreaterThan(3000);
    const expected = pythonCounts(texts);
    const ours = texts.map((text) => countWords(text));
    expect(ours).toEqual(expected);
    expect(texts.map((text) => countWordsUtf8(Buffer.from(text, "utf8")))).toEqual(expected);
    expect(ours.reduce((a, b) => a + b, 0)).toBeGreaterThan(200_000);
  });

  it.skipIf(!hasPython)("agrees with python3 on 2,000 seeded random adversarial strings", () => {
    const random = seededRandom(20240807);
    const texts = Array.from({ length: 2000 }, () => randomString(random));
    const expected = pythonCounts(texts);
    expect(expected).toHaveLength(texts.length);
    const mismatches = texts.map((text, i) => ({ text, python: expected[i], ours: countWords(text) })).filter((row) => row.python !== row.ours);
    expect(mismatches).toEqual([]);
    // The generator must really reach the interesting cases, or this test proves little.
    expect(texts.filter((t) => /[\u4e00-\u9fff]/.test(t)).length).toBeGreaterThan(500);
    expect(texts.filter((t) => /(?![A-Za-z])[\p{L}\p{N}_][A-Za-z]|[A-Za-z](?![A-Za-z])[\p{L}\p{N}_]/u.test(t)).length).toBeGreaterThan(500);
    expect(expected.reduce((a, b) => a + b, 0)).toBeGreaterThan(2500);
  });
});
