import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import type { SftRecord } from "../schemas/sft-record.js";
import { applyFilters, newFilterCounts } from "./filter.js";
import { exactDuplicates, maxPlanSteps, minLengthScore, minWords, noErrorText, noRefusal, sftPostFilter } from "./sft-filters.js";

// Real prose (LLaMA-Factory's wiki demo, one article per line) to build long answers from.
const WIKI = readFileSync(new URL("../../../shared/data/general-sft/wiki_demo.txt", import.meta.url), "utf8").split("\n");
const prose = (words: number): string => WIKI.join(" ").split(/\s+/).slice(0, words).join(" ");
const sft = (prompt: string, answer: string, meta?: Record<string, unknown>): SftRecord => ({
  id: `${prompt.length}-${answer.length}`,
  messages: [
    { role: "user", content: prompt },
    { role: "assistant", content: answer },
  ],
  ...(meta ? { meta } : {}),
});
const reason = (result: ReturnType<ReturnType<typeof minWords>>) => (result === true ? true : result.reason);

describe("SFT post-filters", () => {
  it("minWords counts words (en) and characters (zh)", () => {
    expect(reason(minWords(2000)(sft("Write.", prose(2100))))).toBe(true);
    expect(reason(minWords(2000)(sft("Write.", prose(1500))))).toBe("too_short");
    expect(reason(minWords(100)(sft("写", "长".repeat(120))))).toBe(true);
  });

  it("minLengthScore uses AgentWrite meta, then the prompt, and keeps records with no stated length", () => {
    const long = prose(3000);
    expect(reason(minLengthScore(80)(sft("Write a 3000-word essay on rivers.", long)))).toBe(true);
    expect(reason(minLengthScore(80)(sft("Write a 10000-word essay on rivers.", long)))).toBe("length_score");
    expect(reason(minLengthScore(80)(sft("Write an essay.", long, { agentwrite: { requiredLength: 10000 } })))).toBe("length_score");
    expect(reason(minLengthScore(80)(sft("Write an essay on rivers.", long)))).toBe(true);
    // A record whose maker says "no stated length" is not second-guessed from the prompt.
    expect(reason(minLengthScore(80)(sft("Write a 10000-word essay.", long, { agentwrite: { requiredLength: null } })))).toBe(true);
  });

  it.each([
    "Max tries. Failed.",
    "Trigger OpenAI's content management policy",
    '{"error": {"message": "Rate limit reached", "type": "rate_limit_error"}}',
    "Error code: 429 - {'error': {'message': 'Rate limit'}}",
    "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
    "<!DOCTYPE html><html><body>502 Bad Gateway</body></html>",
  ])("noErrorText drops %j", (answer) => {
    expect(reason(noErrorText(sft("Write.", answer)))).toBe("error_text");
  });

  it("noErrorText keeps prose that merely mentions errors", () => {
    expect(reason(noErrorText(sft("Write.", `${prose(300)} The server returned an error code and the team fixed it.`)))).toBe(true);
  });

  it.each([
    "I'm sorry, but I can't help with that request.",
    "I am sorry, but as an AI I cannot write this.",
    "I cannot help with writing content that promotes violence.",
    "As an AI language model, I don't have personal opinions.",
    "抱歉，我无法完成这个请求。",
    "作为一个人工智能，我不能撰写这类内容。",
  ])("noRefusal drops %j", (answer) => {
    expect(reason(noRefusal(sft("Write.", answer)))).toBe("refusal");
  });

  it("noRefusal keeps answers that only later say sorry", () => {
    expect(reason(noRefusal(sft("Write.", `${prose(50)} I'm sorry, but I can't stay, she said.`)))).toBe(true);
  });

  it("maxPlanSteps drops runaway AgentWrite plans (structured or LongWriter's raw string)", () => {
    const steps = (n: number) => Array.from({ length: n }, (_, i) => ({ index: i + 1, mainPoint: "p", words: 200 }));
    expect(reason(maxPlanSteps(50)(sft("W", "x", { agentwrite: { plan: { steps: steps(51) } } })))).toBe("runaway_plan");
    expect(reason(maxPlanSteps(50)(sft("W", "x", { agentwrite: { plan: { steps: steps(50) } } })))).toBe(true);
    expect(reason(maxPlanSteps(2)(sft("W", "x", { plan: "Paragraph 1\nParagraph 2\nParagraph 3" })))).toBe("runaway_plan");
  });

  it("exactDuplicates keeps the first copy only", () => {
    const filter = exactDuplicates();
    expect(reason(filter(sft("a", "b")))).toBe(true);
    expect(reason(filter(sft("a", "b")))).toBe("duplicate");
    expect(reason(filter(sft("a", "c")))).toBe(true);
  });

  it("sftPostFilter counts every drop by reason", async () => {
    const records = [
      sft("Write a 2500-word story.", prose(2500)),
      sft("Write a 2500-word story.", prose(2500)),
      sft("Write a story.", prose(500)),
      sft("Write a story.", "Max tries. Failed."),
      sft("Write a story.", "I'm sorry, but I can't write that story."),
      sft("Write a 9000-word story.", prose(2500)),
      sft("Write a story.", ""),
    ];
    const counts = newFilterCounts();
    const dropped: string[] = [];
    const kept = [];
    for await (const r of applyFilters({ records, filter: sftPostFilter(), counts, onDrop: (_r, why) => void dropped.push(why) })) kept.push(r);
    expect(kept).toHaveLength(1);
    expect(counts).toEqual({
      read: 7,
      kept: 1,
      dropped: { duplicate: 1, too_short: 1, error_text: 1, refusal: 1, length_score: 1, no_answer: 1 },
    });
    expect(dropped).toEqual(["duplicate", "too_short", "error_text", "refusal", "length_score", "no_answer"]);
  });
});
