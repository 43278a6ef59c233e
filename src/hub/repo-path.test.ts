import { describe, expect, it } from "vitest";
import { repoPathProblem } from "./repo-path.js";

describe("repoPathProblem", () => {
  it("accepts ordinary dataset paths, .gitattributes and .gitignore", () => {
    for (const path of ["README.md", ".gitattributes", ".gitignore", "data/train-00000-of-00001.parquet", "a b/c.d.jsonl", "数据/训练.jsonl"]) {
      expect(repoPathProblem(path), path).toBeUndefined();
    }
  });

  it("refuses VCS metadata, escapes and odd characters", () => {
    const bad: Array<[string, RegExp]> = [
      [".git/config", /version-control/],
      [".GIT/hooks/post-checkout", /version-control/],
      ["data/.git/config", /version-control/],
      [".git", /version-control/],
      [".git./config", /version-control/],
      [".gitmodules", /version-control/],
      [".hg/hgrc", /version-control/],
      [".svn/entries", /version-control/],
      ["../x", /segment/],
      ["a/../../x", /segment/],
      ["a//b", /segment/],
      ["./a", /segment/],
      ["/etc/passwd", /absolute/],
      ["C:/x", /absolute/],
      ["a\\..\\b", /backslash/],
      ["a\u0000b", /control/],
      ["a\nb", /control/],
      ["", /empty/],
      [".longwriter-pull.json", /record/],
    ];
    for (const [path, reason] of bad) expect(repoPathProblem(path), JSON.stringify(path)).toMatch(reason);
  });
});
