import { describe, expect, it } from "vitest";
import { createDecontaminator, readEvalPrompts } from "./decontaminate.js";

const LONGBENCH = "../shared/data/longbench-write/longbench_write.jsonl";

describe("decontamination", () => {
  it("matches a training prompt that copies a LongBench-Write prompt and names it", async () => {
    const prompts = await readEvalPrompts({ files: [LONGBENCH] });
    expect(prompts.length).toBe(120);
    const dc = createDecontaminator({ prompts });
    const target = prompts[10]!;
    const hit = dc.match([
      { role: "user", content: `Please help. ${target.text} Thanks!` },
      { role: "assistant", content: "ok" },
    ]);
    expect(hit).toMatchObject({ evalFile: LONGBENCH, evalLine: 11 });
    expect(hit!.overlap).toBeGreaterThanOrEqual(0.9);
    expect(dc.match([{ role: "user", content: "Write a short poem about autumn leaves falling in a quiet park." }])).toBeNull();
    // assistant turns are not checked
    expect(
      dc.match([
        { role: "user", content: "hi" },
        { role: "assistant", content: target.text },
      ]),
    ).toBeNull();
  });

  it("uses the threshold on the share of the eval prompt's n-grams", () => {
    const evalText = "write a detailed travel guide about the ancient city of xian covering food history and museums";
    const dc = createDecontaminator({ prompts: [{ file: "e.jsonl", line: 1, text: evalText }], ngram: 4, threshold: 0.5 });
    const half = evalText.split(" ").slice(0, 10).join(" ");
    expect(dc.match([{ role: "user", content: half }])).not.toBeNull(); // 7 of 13 four-grams
    const quarter = evalText.split(" ").slice(0, 6).join(" ");
    expect(dc.match([{ role: "user", content: quarter }])).toBeNull(); // 3 of 13
  });

  it("rejects a file without prompts", async () => {
    await expect(readEvalPrompts({ files: ["../shared/data/general-sft/c4_demo.jsonl"] })).rejects.toThrow(/c4_demo\.jsonl:1: field prompt/);
  });
});
