import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import { AtomicFile, withAtomicFile, writeFileAtomic } from "./atomic-file.js";
import { writeJsonl } from "./jsonl.js";

const dir = makeTmpDir("lw-atomic-");
let counter = 0;
const fresh = (): string => {
  const d = join(dir, `c${counter++}`);
  mkdirSync(d);
  return d;
};

describe("AtomicFile", () => {
  it("abort with many writes still pending neither crashes nor leaves the temp file", async () => {
    const d = fresh();
    const file = await AtomicFile.open(join(d, "out.jsonl"));
    // Small writes return at once (below the stream's high-water mark) while the file system still has
    // them in flight: abort() destroys the stream under them, as when a bad row follows good ones.
    for (let i = 0; i < 8; i++) await file.write("x".repeat(1000));
    await file.abort();
    await new Promise((r) => setTimeout(r, 20)); // an unhandled 'error' event would surface here
    expect(readdirSync(d)).toEqual([]);
  });

  it("a body that throws after writing a lot leaves nothing", async () => {
    const d = fresh();
    const error = await withAtomicFile(join(d, "out.jsonl"), async (out) => {
      for (let i = 0; i < 100; i++) out.write("y".repeat(100_000)).catch(() => undefined); // left pending
      throw new Error("bad row");
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe("bad row");
    expect(readdirSync(d)).toEqual([]);
  });

  it("writes that do not wait for each other share one wait for the buffer to drain (no listeners pile up)", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.name);
    };
    process.on("warning", onWarning);
    try {
      const target = join(fresh(), "out.txt");
      const file = await AtomicFile.open(target);
      await Promise.all(Array.from({ length: 60 }, (_, i) => file.write(String(i % 10).repeat(100_000))));
      await file.commit();
      await new Promise((r) => setImmediate(r)); // warnings are emitted on a later tick
      expect(readFileSync(target, "utf8")).toBe(Array.from({ length: 60 }, (_, i) => String(i % 10).repeat(100_000)).join(""));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).not.toContain("MaxListenersExceededWarning");
  });

  it("a failed rename (the target is a directory) removes the temp file", async () => {
    const d = fresh();
    mkdirSync(join(d, "o.jsonl"));
    await expect(writeJsonl(join(d, "o.jsonl"), [{ a: 1 }])).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST|directory/i);
    await expect(writeFileAtomic(join(d, "o.jsonl"), "x")).rejects.toThrow();
    expect(readdirSync(d)).toEqual(["o.jsonl"]);
  });

  it("removes temp files of killed writers of the same target when it opens", async () => {
    const d = fresh();
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid; // a process that has exited
    writeFileSync(join(d, `.out.jsonl.${dead}.0badc0de.tmp`), ""); // what kill -9 leaves behind
    writeFileSync(join(d, `.other.jsonl.${dead}.0badc0de.tmp`), "");
    await writeJsonl(join(d, "out.jsonl"), [{ a: 1 }]);
    expect(readdirSync(d).sort()).toEqual([`.other.jsonl.${dead}.0badc0de.tmp`, "out.jsonl"]);
    expect(readFileSync(join(d, "out.jsonl"), "utf8")).toBe('{"a":1}\n');
    expect(existsSync(join(d, `.out.jsonl.${dead}.0badc0de.tmp`))).toBe(false);
  });
});
