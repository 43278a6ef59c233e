import { describe, expect, it } from "vitest";
import { createRandom } from "../../util/seeded-random.js";
import { unescapeWithWasm, wasmUnescaperAvailable } from "./unescape-json.js";

/**
 * What the byte reader must make of the JSON string that opens `line` (after its opening quote): its text as
 * UTF-8, the closing quote's offset from the text's start and whether JSON.stringify writes it so — or null
 * where the reader leaves the line to the full JSON reader (invalid JSON, a lone surrogate, no closing quote).
 */
function reference(body: string): { text: Buffer; quote: number; canonical: boolean } | null {
  let end = 0;
  while (end < body.length && body[end] !== '"') end += body[end] === "\\" ? 2 : 1;
  if (end >= body.length) return null;
  const literal = `"${body.slice(0, end)}"`;
  let parsed: string;
  try {
    parsed = JSON.parse(literal) as string;
  } catch {
    return null;
  }
  if (/\p{Cs}/u.test(parsed)) return null;
  return { text: Buffer.from(parsed, "utf8"), quote: Buffer.byteLength(body.slice(0, end)), canonical: JSON.stringify(parsed) === literal };
}

describe("the wasm JSON string unescaper", () => {
  it("gives the text, closing quote and canonical flag JSON.parse and JSON.stringify give, or gives up where the reader must", () => {
    expect(wasmUnescaperAvailable()).toBe(true);
    const rng = createRandom({ seed: 41, label: "unescape-json" });
    const pieces = [
      "a",
      "Z",
      " ",
      "中",
      "😀",
      "é",
      "0",
      "/",
      ",",
      ":",
      "}",
      "]",
      "\\n",
      "\\t",
      "\\r",
      "\\b",
      "\\f",
      '\\"',
      "\\\\",
      "\\/",
      "\\u00e9",
      "\\u00E9",
      "\\u0001",
      "\\u001f",
      "\\u001F",
      "\\u000a",
      "\\ud83d\\ude00",
      "\\uD83D\\uDE00",
      "\\ud800",
      "\\udc00",
      "\\ud83dx",
      "\\x",
      "\\u12",
      "\\u12g4",
      "\t",
      "\u0001",
      "abcdefghijklmnopqrstuvwxyz",
      "ABCDEFGHIJKLMNOP",
    ];
    let taken = 0;
    let gaveUp = 0;
    for (let n = 0; n < 6_000; n++) {
      // Plain text (up to 40 bytes, so 0 to 2 blocks of 16), then the first escape (where the reader calls the
      // unescaper), then text of 0 to ~400 bytes.
      const plain = Array.from("Plain text, 中文 and 😀 before the first escape")
        .slice(0, rng.nextUint32() % 41)
        .join("");
      let body = plain + ["\\n", '\\"', "\\u4e2d", "\\ud83d\\ude3f", "\\/"][n % 5]!;
      const count = rng.nextUint32() % 60;
      const rare = [0.05, 0.3, 1][n % 3]!;
      for (let i = 0; i < count; i++) body += rng.nextFloat() < rare ? pieces[rng.nextUint32() % pieces.length]! : "abcdefgh ij"[rng.nextUint32() % 11]!;
      if (rng.nextFloat() < 0.95) body += `"${["", ",", ',"role":"user"}', "}]}"][rng.nextUint32() % 4]}`;
      const prefix = ["", '{"content":"', "xyz"][n % 3]!;
      const line = Buffer.from(prefix + body, "utf8");
      const expected = reference(body);
      const from = Buffer.byteLength(prefix);
      const got = unescapeWithWasm(line, from, from + Buffer.byteLength(plain), line.length);
      if (expected === null) {
        expect(got, body).toBeNull();
        gaveUp += 1;
      } else {
        expect(got, body).not.toBeNull();
        expect(Buffer.from(got!.text).equals(expected.text), body).toBe(true);
        expect({ quote: got!.quote, canonical: got!.canonical }, body).toEqual({ quote: expected.quote, canonical: expected.canonical });
        taken += 1;
      }
    }
    expect(taken).toBeGreaterThan(2_000);
    expect(gaveUp).toBeGreaterThan(500);
  });
});
