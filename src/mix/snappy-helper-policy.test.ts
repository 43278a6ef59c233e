import { describe, expect, it } from "vitest";
import { SNAPPY_HELPER_MIN_INPUT_BYTES, wantsSnappyHelper } from "./snappy-helper-policy.js";

describe("wantsSnappyHelper", () => {
  const big = SNAPPY_HELPER_MIN_INPUT_BYTES;

  it("starts a helper for a SNAPPY output (the default codec) on two threads or more, from 16 MiB of input", () => {
    expect(wantsSnappyHelper(undefined, 2, big)).toBe(true);
    expect(wantsSnappyHelper("snappy", 8, 50 << 20)).toBe(true);
  });

  it("starts none for other codecs, one thread, or less input", () => {
    expect(wantsSnappyHelper("zstd", 2, big)).toBe(false);
    expect(wantsSnappyHelper("none", 2, big)).toBe(false);
    expect(wantsSnappyHelper("snappy", 1, big)).toBe(false);
    expect(wantsSnappyHelper("snappy", 2, big - 1)).toBe(false);
  });
});
