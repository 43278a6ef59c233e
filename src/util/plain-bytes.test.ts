import { describe, expect, it } from "vitest";
import { decodeUtf8, plainBytes } from "./plain-bytes.js";

describe("plainBytes", () => {
  it("gives a plain Uint8Array over the same memory (a Buffer's own subarrays are Buffers)", () => {
    const buffer = Buffer.from("hello world");
    const view = plainBytes(buffer.subarray(6));
    expect(view.constructor).toBe(Uint8Array);
    expect(view.buffer).toBe(buffer.buffer);
    expect(Buffer.from(view).toString()).toBe("world");
    const plain = new Uint8Array(4);
    expect(plainBytes(plain)).toBe(plain);
  });
});

describe("decodeUtf8", () => {
  it("decodes short ASCII itself and everything else as Buffer does, from any offset", () => {
    const texts = ["", "id-42", "user", "x".repeat(64), "y".repeat(65), "é", "长-id", "😀 emoji", `${"a".repeat(63)}é`, "\u0000\u007f"];
    for (const text of texts) {
      const bytes = Buffer.concat([Buffer.from("pre"), Buffer.from(text), Buffer.from("post")]);
      const plain = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
      expect(decodeUtf8(plain, 3, bytes.length - 4)).toBe(text);
      expect(decodeUtf8(bytes, 3, bytes.length - 4)).toBe(text);
    }
    // Invalid UTF-8 decodes as Buffer decodes it (replacement characters).
    const bad = new Uint8Array([0x61, 0xff, 0x62]);
    expect(decodeUtf8(bad, 0, 3)).toBe(Buffer.from(bad).toString("utf8"));
  });
});
