import { describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import { openJournal, type JournalEntry } from "./journal.js";

const dir = makeTmpDir("lw-journal-");
const entry = (key: string, text: string): JournalEntry => ({
  key,
  text,
  finishReason: "stop",
  model: "m",
  usage: { promptTokens: 1, completionTokens: 2 },
});

describe("openJournal", () => {
  it("appends, indexes and reads back entries (including multi-byte text), first entry per key wins", async () => {
    const path = join(dir, "a", "j.jsonl");
    const journal = await openJournal({ path });
    journal.append(entry("k1", "héllo 你好"));
    journal.append(entry("k2", "second"));
    journal.append(entry("k1", "ignored duplicate"));
    expect(journal.get("k1")?.text).toBe("héllo 你好");
    journal.close();
    const again = await openJournal({ path });
    expect(again.size).toBe(2);
    expect(again.get("k2")?.text).toBe("second");
    expect(again.get("missing")).toBeUndefined();
    again.close();
  });

  it("drops a torn last line and a garbage middle line, then appends on a fresh line", async () => {
    const path = join(dir, "torn.jsonl");
    writeFileSync(path, `${JSON.stringify(entry("a", "A"))}\nnot json\n${JSON.stringify(entry("b", "B"))}\n{"key":"c","te`);
    const journal = await openJournal({ path });
    expect(journal.size).toBe(2);
    expect(journal.dropped).toBe(2);
    journal.append(entry("c", "C"));
    expect(journal.get("c")?.text).toBe("C");
    journal.close();
    const lines = readFileSync(path, "utf8").split("\n");
    expect(lines.at(-1)).toBe("");
    expect(JSON.parse(lines.at(-2)!).text).toBe("C");
  });

  it("never replays a wrong line when another writer appends to the same journal", async () => {
    const path = join(dir, "shared.jsonl");
    const a = await openJournal({ path });
    const b = await openJournal({ path });
    a.append(entry("a1", "from a"));
    b.append(entry("b1", "from b"));
    a.append(entry("a2", "second from a"));
    expect(a.get("a1")?.text).toBe("from a");
    expect(a.get("a2")?.text).toBe("second from a");
    expect(b.get("b1")?.text).toBe("from b");
    a.close();
    b.close();
    const again = await openJournal({ path });
    expect([again.get("a1")?.text, again.get("b1")?.text, again.get("a2")?.text]).toEqual(["from a", "from b", "second from a"]);
    again.close();
  });

  it("indexes entries across read-chunk boundaries", async () => {
    const path = join(dir, "big.jsonl");
    const big = "x".repeat(700_000);
    writeFileSync(path, [1, 2, 3].map((i) => JSON.stringify(entry(`k${i}`, `${i}${big}`))).join("\n") + "\n");
    const journal = await openJournal({ path });
    expect(journal.size).toBe(3);
    expect(journal.get("k3")?.text.startsWith("3x")).toBe(true);
    expect(journal.get("k2")?.text.length).toBe(700_001);
    journal.close();
  });
});
