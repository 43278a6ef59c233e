import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startOpenAiServer, type OpenAiServer } from "../../test/helpers/openai-server.js";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import { parseClassifierReply } from "./classify-instruction.js";
import { runSelect } from "./run-select.js";
import { selectByRules } from "./select-by-rules.js";
import { longOutputCue, writingTaskCue } from "./writing-cues.js";

const DATA = new URL("../../../shared/data/", import.meta.url);
const LBW = new URL("longbench-write/longbench_write.jsonl", DATA);
const ALPACA = new URL("general-sft/alpaca_en_demo.json", DATA);
const dir = makeTmpDir("lw-select-");

describe("selectByRules", () => {
  it("agrees with LongBench-Write's annotated lengths on which prompts need ≥ 2,000", () => {
    const rows = readFileSync(LBW, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { prompt: string; length: number });
    let agree = 0;
    for (const row of rows) {
      const verdict = selectByRules({ prompt: row.prompt, minLength: 2000 });
      if ((verdict.rule === "length" || verdict.rule === "short_length") && verdict.keep === row.length >= 2000) agree += 1;
    }
    expect(rows).toHaveLength(120);
    expect(agree / rows.length).toBeGreaterThanOrEqual(0.93);
  });

  it("keeps few of Alpaca's everyday instructions", () => {
    const rows = JSON.parse(readFileSync(ALPACA, "utf8")) as Array<{ instruction: string; input: string }>;
    const kept = rows.filter((r) => selectByRules({ prompt: `${r.instruction}\n${r.input}` }).keep);
    expect(rows.length).toBeGreaterThan(500);
    expect(kept.length / rows.length).toBeLessThan(0.05);
  });

  it("uses writing-task and long-output cues when no length is stated (en/zh)", () => {
    expect(selectByRules({ prompt: "Write a detailed, comprehensive report on urban heat islands." })).toMatchObject({ keep: true, rule: "cues" });
    expect(selectByRules({ prompt: "请写一篇详细的调研报告，分析新能源汽车市场。" })).toMatchObject({ keep: true, rule: "cues" });
    expect(selectByRules({ prompt: "Write a haiku about frogs." })).toMatchObject({ keep: false, rule: "no_cue" });
    expect(selectByRules({ prompt: "What is the capital of France?" })).toMatchObject({ keep: false, rule: "no_cue", undecided: true });
    expect(selectByRules({ prompt: "写一篇800字的作文" })).toMatchObject({ keep: false, rule: "short_length", requiredLength: 800 });
    expect(selectByRules({ prompt: "写一篇5000字的小说" })).toMatchObject({ keep: true, rule: "length", requiredLength: 5000 });
    expect(writingTaskCue("Could you draft a business plan for a bakery?")).not.toBeNull();
    expect(longOutputCue("tell me a joke")).toBeNull();
  });
});

describe("parseClassifierReply", () => {
  it.each([
    ['{"writing_task": true, "estimated_words": 3000, "reason": "a novel chapter"}', 3000],
    ['```json\n{"writing_task": true, "estimated_words": "2,500"}\n```', 2500],
    ['Sure: {"writingTask": false, "estimatedWords": 40} hope that helps', 40],
  ])("parses %j", (reply, words) => {
    const result = parseClassifierReply(reply);
    expect(result.ok && result.verdict.estimatedWords).toBe(words);
  });
  it.each(["no json here", '{"writing_task": "yes", "estimated_words": 10}', '{"writing_task": true}', "{broken"])("rejects %j", (reply) => {
    expect(parseClassifierReply(reply).ok).toBe(false);
  });
});

describe("runSelect", () => {
  let server: OpenAiServer;
  beforeAll(async () => {
    server = await startOpenAiServer({
      respond: (_body, ctx) => {
        if (ctx.prompt.includes("lighthouse")) return '{"writing_task": true, "estimated_words": 4000, "reason": "epic"}';
        if (ctx.prompt.includes("garbled")) return "I think so!";
        return '{"writing_task": false, "estimated_words": 50}';
      },
    });
  });
  afterAll(() => server.close());

  it("writes Instruction records in input order, counts drops, and asks the classifier only when rules cannot tell", async () => {
    const input = join(dir, "pool.jsonl");
    const rows = [
      { prompt: "Write a 3000-word essay on bridges." },
      { prompt: "Tell me about the lighthouse at Alexandria." },
      { instruction: "Summarise this text", input: "Cats sleep a lot." },
      {
        messages: [
          { role: "user", content: "写一篇5000字的科幻小说" },
          { role: "assistant", content: "..." },
        ],
      },
      { prompt: "Write a 3000-word essay on bridges." },
      { prompt: "A garbled case: write something." },
      { prompt: "Write a 300-word essay on rivers." },
    ];
    writeFileSync(input, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const out = join(dir, "selected.jsonl");
    const rejects = join(dir, "rejected.jsonl");
    const before = server.requestCount();
    const summary = await runSelect({
      input,
      out,
      rejects,
      classify: "undecided",
      llm: { baseURL: server.baseURL, model: "m", env: {}, concurrency: 2, maxRetries: 0 },
    });
    const kept = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(kept.map((r) => r.prompt)).toEqual(["Write a 3000-word essay on bridges.", "Tell me about the lighthouse at Alexandria.", "写一篇5000字的科幻小说"]);
    expect(kept[0]).toMatchObject({ requiredLength: 3000, language: "en" });
    expect(kept[1]).toMatchObject({ requiredLength: null, meta: { estimatedLength: 4000 } });
    expect(kept[1].reason).toContain("classifier");
    expect(kept[2]).toMatchObject({ requiredLength: 5000, language: "zh" });
    expect(summary).toMatchObject({ read: 7, kept: 3, keptBy: { length: 2, classifier: 1 } });
    expect(summary.dropped).toEqual({ classifier_not_writing: 1, duplicate: 1, no_cue: 1, short_length: 1 });
    expect(server.requestCount() - before).toBe(3); // lighthouse, summarise, garbled: the undecided ones
    expect(readFileSync(rejects, "utf8").trim().split("\n")).toHaveLength(4);
  });
});
