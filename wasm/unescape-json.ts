// AssemblyScript source of the byte reader's JSON string unescaper (src/io/adapters/messages-bytes.ts loads
// it). Build: `npm run build:wasm` (scripts/build-wasm.mjs, with SIMD) writes src/io/adapters/unescape-json-wasm.ts;
// a test compiles it again and checks that the embedded module is this file's.
//
// It takes the rest of a JSON line from inside a string that has an escape and writes the string's text as
// UTF-8, as the JavaScript unescaper in messages-bytes does, with the same answers: the same bytes, where the
// closing quote is, whether the string is written as JSON.stringify writes it ("canonical"), and "give up" for
// everything that reader leaves to the full JSON reader (a control character, a bad escape, a lone surrogate
// half, no closing quote). The runs between escapes are found and moved sixteen bytes at a time.
//
// Memory: bytes [0, 8) return the closing quote's offset and the canonical flag (u32 each); the input and the
// output go anywhere above, the output with room for the input's length and 16 bytes more.

import { storeUtf8 } from "./utf8";

const RESULT: usize = 0;
const QUOTE: u32 = 0x22;
const BACKSLASH: u32 = 0x5c;

/** The value of four hex digits at `at`, or -1. */
@inline
function hex4(at: usize): i32 {
  let code: i32 = 0;
  for (let k: usize = 0; k < 4; k++) {
    const c = <i32>load<u8>(at + k);
    let digit: i32 = -1;
    if (c >= 0x30 && c <= 0x39) digit = c - 0x30;
    else if (c >= 0x61 && c <= 0x66) digit = c - 0x57;
    else if (c >= 0x41 && c <= 0x46) digit = c - 0x37;
    if (digit < 0) return -1;
    code = (code << 4) | digit;
  }
  return code;
}

/** The byte a one-letter escape stands for, or -1. */
@inline
function shortEscape(e: u32): i32 {
  switch (e) {
    case 0x22:
      return 0x22;
    case 0x5c:
      return 0x5c;
    case 0x2f:
      return 0x2f;
    case 0x62:
      return 0x08;
    case 0x66:
      return 0x0c;
    case 0x6e:
      return 0x0a;
    case 0x72:
      return 0x0d;
    case 0x74:
      return 0x09;
    default:
      return -1;
  }
}

/**
 * Unescapes the string in the `length` bytes at `input` (its text up to `first` holds no quote, backslash or
 * control character; the byte at `first` is one) into `out`; returns the text's length, or -1 to give up.
 */
export function unescape(input: usize, length: u32, first: u32, out: usize): i32 {
  const end = input + <usize>length;
  memory.copy(out, input, first);
  let w = out + <usize>first;
  let r = input + <usize>first;
  let canonical: u32 = 1;
  const quote = i8x16.splat(<i8>QUOTE);
  const backslash = i8x16.splat(<i8>BACKSLASH);
  const control = i8x16.splat(0x20);
  while (true) {
    // Here the byte at r is a quote, a backslash or a control character.
    const b = <u32>load<u8>(r);
    if (b == QUOTE) break;
    if (b != BACKSLASH) return -1;
    const e: u32 = r + 1 < end ? <u32>load<u8>(r + 1) : 0;
    if (e == 0x75) {
      // \uXXXX, and a surrogate pair as two of them
      if (r + 6 > end) return -1;
      let code = hex4(r + 2);
      if (code < 0) return -1;
      if (!(code < 0x20 && code != 0x08 && code != 0x09 && code != 0x0a && code != 0x0c && code != 0x0d)) canonical = 0;
      else {
        for (let k: usize = 2; k < 6; k++) {
          const c = load<u8>(r + k);
          if (c >= 0x41 && c <= 0x46) canonical = 0; // JSON.stringify writes lower-case hex
        }
      }
      let skip: usize = 6;
      if (code >= 0xd800 && code <= 0xdfff) {
        if (code >= 0xdc00 || r + 12 > end || <u32>load<u8>(r + 6) != BACKSLASH || <u32>load<u8>(r + 7) != 0x75) return -1;
        const low = hex4(r + 8);
        if (low < 0xdc00 || low > 0xdfff) return -1;
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        skip = 12;
      }
      w = storeUtf8(w, <u32>code);
      r += skip;
    } else {
      const byte = shortEscape(e);
      if (byte < 0) return -1;
      if (e == 0x2f) canonical = 0; // `\/` is valid JSON, but JSON.stringify writes a bare "/"
      store<u8>(w, <u8>byte);
      w += 1;
      r += 2;
    }
    // The run up to the next quote, backslash or control character, moved down to w.
    let found = false;
    while (r + 16 <= end) {
      const v = v128.load(r);
      const special = <u32>i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, quote), i8x16.eq(v, backslash)), i8x16.lt_u(v, control)));
      v128.store(w, v);
      if (special != 0) {
        const n = <usize>ctz(special);
        w += n;
        r += n;
        found = true;
        break;
      }
      w += 16;
      r += 16;
    }
    if (!found) {
      while (r < end) {
        const c = <u32>load<u8>(r);
        if (c == QUOTE || c == BACKSLASH || c < 0x20) break;
        store<u8>(w, <u8>c);
        w += 1;
        r += 1;
      }
      if (r >= end) return -1; // no closing quote on the line
    }
  }
  store<u32>(RESULT, <u32>(r - input));
  store<u32>(RESULT + 4, canonical);
  return <i32>(w - out);
}
