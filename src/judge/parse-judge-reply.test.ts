import { describe, expect, it } from "vitest";
import { parseJudgeReply, qualityFromScores } from "./parse-judge-reply.js";

const ALL4 = { Relevance: 4, Accuracy: 4, Coherence: 4, Clarity: 4, "Breadth and Depth": 4, "Reading Experience": 4 };
const MIXED = { Relevance: 5, Accuracy: 3, Coherence: 4, Clarity: 2, "Breadth and Depth": 1, "Reading Experience": 5 };

describe("parseJudgeReply", () => {
  it("reads a fenced json block after an analysis", () => {
    const reply = `The essay is focused but thin.\n\n\`\`\`json\n${JSON.stringify({ Analysis: "Focused, thin.", ...MIXED })}\n\`\`\``;
    expect(parseJudgeReply(reply)).toEqual({ scores: MIXED, analysis: "Focused, thin." });
  });

  it("reads bare JSON with prose before and after, taking the prose as analysis", () => {
    const reply = `Good structure overall.\n${JSON.stringify(ALL4)}\nHope this helps!`;
    expect(parseJudgeReply(reply)).toEqual({ scores: ALL4, analysis: "Good structure overall." });
  });

  it("takes the last fenced block when the judge quotes an example first", () => {
    const reply = 'Format: ```json\n{"Relevance": 1}\n```\nMy verdict:\n```json\n' + JSON.stringify(MIXED) + "\n```";
    expect(parseJudgeReply(reply)).toMatchObject({ scores: MIXED });
  });

  it("repairs trailing commas and raw newlines inside strings", () => {
    const reply =
      '```json\n{"Analysis": "line one\nline two", "Relevance": 5, "Accuracy": 3, "Coherence": 4,\n "Clarity": 2, "Breadth and Depth": 1, "Reading Experience": 5,\n}\n```';
    expect(parseJudgeReply(reply)).toEqual({ scores: MIXED, analysis: "line one\nline two" });
  });

  it("accepts key spelling variants and numeric strings", () => {
    const reply = JSON.stringify({
      relevance: "5",
      accuracy: 3,
      COHERENCE: 4,
      clarity: 2,
      breadth_and_depth: 1,
      "Reading-Experience": 5.0,
    });
    expect(parseJudgeReply(reply)).toEqual({ scores: MIXED });
  });

  it("accepts an unclosed fence (reply cut after the object)", () => {
    expect(parseJudgeReply(`ok\n\`\`\`json\n${JSON.stringify(ALL4)}`)).toMatchObject({ scores: ALL4 });
  });

  it("falls back to 'Dimension: N' lines", () => {
    const reply = "Analysis: decent.\n**Relevance**: 5\n- Accuracy: 3\nCoherence: 4/5\nClarity = 2\nBreadth and Depth: 1\nReading Experience: 5";
    expect(parseJudgeReply(reply)).toMatchObject({ scores: MIXED });
  });

  it.each([
    ["", /empty/],
    ["I refuse to grade this.", /no JSON/],
    ['{"verdict": "good"}', /none of it names/],
    [JSON.stringify({ ...ALL4, Clarity: undefined }), /missing dimension: Clarity/],
    [JSON.stringify({ ...ALL4, Clarity: 4.5 }), /Clarity is 4.5/],
    [JSON.stringify({ ...ALL4, Accuracy: 0 }), /Accuracy is 0/],
    [JSON.stringify({ ...ALL4, Accuracy: 6 }), /Accuracy is 6/],
    [JSON.stringify({ ...ALL4, Relevance: "high" }), /Relevance is "high"/],
    [JSON.stringify({ ...ALL4, Relevance: null }), /Relevance is null/],
    ['```json\n{"Relevance": 4, "Accuracy": \n```', /no JSON|missing/],
  ])("gives an error, never a score, for %j", (reply, reason) => {
    const result = parseJudgeReply(reply);
    expect(result).not.toHaveProperty("scores");
    expect(result).toHaveProperty("error");
    expect((result as { error: string }).error).toMatch(reason);
  });
});

describe("qualityFromScores", () => {
  it("maps the mean of six 1–5 scores onto 0–100", () => {
    expect(qualityFromScores(ALL4)).toBe(75);
    expect(qualityFromScores({ ...ALL4, Relevance: 1, Accuracy: 1, Coherence: 1, Clarity: 1, "Breadth and Depth": 1, "Reading Experience": 1 })).toBe(0);
    expect(qualityFromScores({ ...ALL4, Relevance: 5, Accuracy: 5, Coherence: 5, Clarity: 5, "Breadth and Depth": 5, "Reading Experience": 5 })).toBe(100);
    // (5+3+4+2+1+5)/6 = 20/6; (20/6 − 1) × 25 = 58.33…  == (Σ − 6) × 25 / 6
    expect(qualityFromScores(MIXED)).toBeCloseTo(((20 - 6) * 25) / 6, 10);
  });
});
