import { describe, expect, it } from "vitest";
import { parallelReadingFrom } from "./collect-candidates.js";

const MiB = 1 << 20;

describe("parallelReadingFrom", () => {
  it("asks for more input before starting reader threads on fewer cores", () => {
    expect(parallelReadingFrom(2, 2)).toBe(96 * MiB);
    expect(parallelReadingFrom(4, 4)).toBe(48 * MiB);
    expect(parallelReadingFrom(8, 8)).toBe(24 * MiB);
    expect(parallelReadingFrom(1, 8)).toBe(192 * MiB);
  });

  it("counts only the threads the cores can run at once, and never goes below 16 MiB", () => {
    expect(parallelReadingFrom(16, 2)).toBe(96 * MiB);
    expect(parallelReadingFrom(32, 32)).toBe(16 * MiB);
    expect(parallelReadingFrom(2, 1)).toBe(192 * MiB);
  });
});
