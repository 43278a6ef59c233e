import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { gitBlobSha1, lfsPointerSha1 } from "./hash-file.js";
import { chunkPlan, planCommit, predictLfs, type PlannedSource, type RemoteFile } from "./plan-commit.js";

function local(path: string, text: string): PlannedSource {
  const bytes = Buffer.from(text);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  return { path, size: bytes.length, sha256, gitSha1: gitBlobSha1(bytes), content: bytes };
}
describe("planCommit", () => {
  const a = local("data/train-00000-of-00001.parquet", "A");
  const card = local("README.md", "card");
  const remote: RemoteFile[] = [
    { path: "data/train-00000-of-00001.parquet", size: 1, oid: lfsPointerSha1(a.sha256, 1), lfsOid: a.sha256 },
    { path: "README.md", size: 3, oid: gitBlobSha1(Buffer.from("old")) },
    { path: "data/train-00000-of-00002.parquet", size: 5, oid: "x", lfsOid: "y" },
    { path: "data/notes.txt", size: 5, oid: "x" },
    { path: "data/test-00000-of-00001.jsonl", size: 5, oid: "x" },
    { path: "extra.json", size: 5, oid: "x" },
    { path: "other/keep.parquet", size: 5, oid: "x", lfsOid: "z" },
  ];

  it("skips equal files, updates changed ones, deletes stale data files (parquet, jsonl) only in our data dirs", () => {
    const plan = planCommit({ local: [a, card], remote, replaceDirs: ["data", ""] });
    expect(plan.map((e) => `${e.action} ${e.path}`)).toEqual([
      "update README.md",
      "delete data/test-00000-of-00001.jsonl",
      "delete data/train-00000-of-00002.parquet",
      "unchanged data/train-00000-of-00001.parquet",
    ]);
  });

  it("matches regular files by blob sha1 and LFS pointers by pointer sha1", () => {
    const regular = planCommit({ local: [card], remote: [{ path: "README.md", size: 4, oid: gitBlobSha1(Buffer.from("card")) }], replaceDirs: [] });
    expect(regular[0]!.action).toBe("unchanged");
    const pointer = planCommit({ local: [card], remote: [{ path: "README.md", size: 4, oid: lfsPointerSha1(card.sha256, 4) }], replaceDirs: [] });
    expect(pointer[0]!.action).toBe("unchanged");
  });

  it("predicts LFS like the Hub", () => {
    expect(predictLfs("x.parquet", 10)).toBe(true);
    expect(predictLfs("x.parquet", 0)).toBe(false);
    expect(predictLfs("README.md", 100)).toBe(false);
    expect(predictLfs("blob.dat", 100, new Uint8Array([1, 0, 2]))).toBe(true);
    expect(predictLfs("big.json", 10_000_000)).toBe(true);
  });
});

describe("chunkPlan", () => {
  it("keeps one commit up to the limit and puts the card last when splitting", () => {
    const files = Array.from({ length: 5 }, (_, i) => local(`data/train-0000${i}-of-00005.parquet`, `row${i}`));
    const plan = planCommit({
      local: [...files, local("README.md", "c"), local("manifest.json", "{}")],
      remote: [{ path: "data/old.parquet", size: 1, oid: "o", lfsOid: "p" }],
      replaceDirs: ["data"],
    });
    expect(chunkPlan(plan, 50)).toHaveLength(1);
    const chunks = chunkPlan(plan, 2);
    // LFS uploads two per commit, then the small files and the deletion together, the card last.
    expect(chunks.map((c) => c.map((e) => e.path))).toEqual([
      ["data/train-00000-of-00005.parquet", "data/train-00001-of-00005.parquet"],
      ["data/train-00002-of-00005.parquet", "data/train-00003-of-00005.parquet"],
      ["data/train-00004-of-00005.parquet"],
      ["manifest.json", "data/old.parquet", "README.md"],
    ]);
    expect(chunks[3]!.map((e) => e.action)).toEqual(["add", "delete", "add"]);
    expect(chunkPlan(planCommit({ local: [], remote: [], replaceDirs: [] }), 2)).toEqual([]);
  });

  it("packs many small files by bytes, not by the LFS file limit", () => {
    const small = Array.from({ length: 3000 }, (_, i) => local(`notes/n${String(i).padStart(4, "0")}.txt`, `note ${i}`));
    const plan = planCommit({ local: [...small, local("README.md", "card")], remote: [], replaceDirs: [] });
    expect(plan.every((e) => !e.lfs)).toBe(true);
    const chunks = chunkPlan(plan, 50);
    expect(chunks.map((c) => c.length)).toEqual([1000, 1000, 1000, 1]);
    expect(chunks.at(-1)![0]!.path).toBe("README.md");
    // A byte budget cuts earlier: 3001 files of ~8 bytes, 4 KB per commit.
    const byBytes = chunkPlan(plan, { maxFiles: 50, maxInlineBytes: 4096 });
    expect(byBytes.every((c) => c.reduce((a, e) => a + e.bytes, 0) <= 4096)).toBe(true);
    expect(byBytes.flat()).toHaveLength(3001);
    expect(byBytes.at(-1)!.at(-1)!.path).toBe("README.md");
    // A file bigger than the budget still travels, alone.
    const big = planCommit({ local: [local("a.txt", "x".repeat(100)), local("b.txt", "y")], remote: [], replaceDirs: [] });
    expect(chunkPlan(big, { maxFiles: 50, maxInlineBytes: 10 }).map((c) => c.map((e) => e.path))).toEqual([["a.txt"], ["b.txt"]]);
  });
});
