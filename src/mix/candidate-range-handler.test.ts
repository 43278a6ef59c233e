import { describe, expect, it } from "vitest";
import { hasLoneSurrogate, isWellFormedText } from "../io/lone-surrogate.js";
import { isPackedSftRow, unpackSftRow } from "../io/packed-sft-row.js";
import type { SftRecord } from "../schemas/sft-record.js";
import { createRangeHandler } from "./candidate-range-handler.js";
import { messagesKeyHash } from "./exact-dedup.js";
import { spoolRowFacts } from "./spool-row-facts.js";

const plain: SftRecord = {
  id: "r1",
  messages: [
    { role: "system", content: "Be brief." },
    { role: "user", content: "Écris un poème sur la mer, 海 — and SHOUT  twice." },
    { role: "assistant", content: "La mer\tchante; 海は歌う. 🌊" },
  ],
  meta: { n: 1 },
};
const lone: SftRecord = {
  id: "r2",
  messages: [
    { role: "user", content: "half \ud800 pair" },
    { role: "assistant", content: "ok" },
  ],
};
const tool: SftRecord = {
  id: "r3",
  messages: [
    { role: "user", content: "weather?" },
    { role: "assistant", content: "", tool_calls: [{ type: "function", function: { name: "weather", arguments: "{}" } }] },
    { role: "tool", content: "sunny" },
    { role: "assistant", content: "Sunny." },
  ],
};

describe("candidate range handler: rows read as objects", () => {
  it("spools a plain chat row packed, with the facts and key the JSON path gives; other rows as their JSON", () => {
    const handler = createRangeHandler({ tag: "src", filters: [], exactKeys: true });
    handler.begin?.(4096);
    for (const [i, record] of [plain, lone, tool].entries()) handler.record(record, i + 1, "file.jsonl");
    const { output } = handler.finish();
    const rows = [0, 1, 2].map((k) => output.bytes.subarray(k === 0 ? 0 : output.ends[k - 1]!, output.ends[k]!));

    expect(isPackedSftRow(rows[0]!)).toBe(true);
    const [turns, id, source, meta] = unpackSftRow(rows[0]!);
    expect({ id, source, meta }).toEqual({ id: "r1", source: "src", meta: '{"n":1}' });
    expect(turns.map((t) => ({ role: t.role, content: Buffer.from(t.content).toString("utf8") }))).toEqual(plain.messages);
    const facts = spoolRowFacts({ ...plain, source: "src" }, "file.jsonl", 1);
    expect({ words: output.words[0], answerWords: output.answerWords[0], textBytes: output.textBytes[0], withTools: output.withTools[0] === 1 }).toEqual(facts);
    const keyHash = (record: SftRecord): number[] => {
      const out = new Uint32Array(2);
      messagesKeyHash(record.messages, out, 0);
      return [...out];
    };
    expect([...output.keys.subarray(0, 2)]).toEqual(keyHash(plain));

    // Text a UTF-8 copy cannot give back, and tool rows, stay JSON (what RowSpool.append writes).
    expect(Buffer.from(rows[1]!).toString("utf8")).toBe(JSON.stringify({ ...lone, source: "src" }));
    expect(Buffer.from(rows[2]!).toString("utf8")).toBe(JSON.stringify({ ...tool, source: "src" }));
    expect(output.withTools[2]).toBe(1);
    expect([...output.keys.subarray(2, 4)]).toEqual(keyHash(lone));
    expect([...output.keys.subarray(4, 6)]).toEqual(keyHash(tool));
    expect(new Set([0, 2, 4].map((k) => output.keys.subarray(k, k + 2).join())).size).toBe(3);
  });

  it("isWellFormedText agrees with hasLoneSurrogate", () => {
    for (const text of ["", "plain", "海", "🌊", "\ud800", "a\udc00b", "\ud83c\udf0a\ud83c", "x".repeat(5000) + "\udfff"]) {
      expect(isWellFormedText(text), JSON.stringify(text)).toBe(!hasLoneSurrogate(text));
    }
  });
});
