import { describe, expect, it } from "vitest";
import { lengthScore } from "./length-score.js";

describe("lengthScore (Eq. 1)", () => {
  it.each([
    [1000, 1000, 100],
    [1000, 2000, 100 * (1 - 1 / 3)],
    [1000, 4000, 0],
    [1000, 5000, 0],
    [1000, 500, 50],
    [900, 300, 0],
    [900, 200, 0],
    [1000, 0, 0],
    [1000, 1001, 100 * (1 - 0.001 / 3)],
  ])("required %i, actual %i → %f", (required, actual, expected) => {
    expect(lengthScore(required, actual)).toBeCloseTo(expected, 10);
  });
  it("rejects a non-positive required length", () => {
    expect(() => lengthScore(0, 10)).toThrow(/required length/);
  });
});
