import { describe, expect, it } from "vitest";
import { globToRegExp, pathMatcher } from "./match-glob.js";

describe("globToRegExp", () => {
  it("matches segments, deep paths, alternatives and classes", () => {
    expect(globToRegExp("data/train-*").test("data/train-00000-of-00002.parquet")).toBe(true);
    expect(globToRegExp("data/*").test("data/sub/x.parquet")).toBe(false);
    expect(globToRegExp("**/*.parquet").test("x.parquet")).toBe(true);
    expect(globToRegExp("**/*.parquet").test("a/b/x.parquet")).toBe(true);
    expect(globToRegExp("*.{md,json}").test("README.md")).toBe(true);
    expect(globToRegExp("*.{md,json}").test("manifest.json")).toBe(true);
    expect(globToRegExp("*.{md,json}").test("x.parquet")).toBe(false);
    expect(globToRegExp("file?.txt").test("file1.txt")).toBe(true);
    expect(globToRegExp("[ab].txt").test("b.txt")).toBe(true);
    expect(globToRegExp("a.b").test("axb")).toBe(false);
  });
  it("pathMatcher takes one glob, several, or none", () => {
    expect(pathMatcher(undefined)("anything")).toBe(true);
    expect(pathMatcher(["data/*", "README.md"])("README.md")).toBe(true);
    expect(pathMatcher("data/*")("README.md")).toBe(false);
  });
});
