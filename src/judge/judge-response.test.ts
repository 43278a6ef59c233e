import { describe, expect, it } from "vitest";
import { LengthLimitError, LlmCallError } from "../llm/errors.js";
import { judgeResponse, type JudgeChatClient } from "./judge-response.js";
import { judgeTemplateFromText, loadJudgeTemplate, renderJudgePrompt } from "./judge-template.js";
import { openJudgeCache } from "./judge-cache.js";

const VERDICT = '```json\n{"Analysis":"ok","Relevance":5,"Accuracy":4,"Coherence":4,"Clarity":4,"Breadth and Depth":3,"Reading Experience":4}\n```';

function scripted(replies: Array<string | Error>): JudgeChatClient & { requests: Array<Record<string, unknown>> } {
  const requests: Array<Record<string, unknown>> = [];
  return {
    requests,
    async chat(request) {
      requests.push(request as Record<string, unknown>);
      const next = replies.shift();
      if (next === undefined) throw new Error("no more scripted replies");
      if (next instanceof Error) throw next;
      return { text: next };
    },
  };
}

describe("judgeResponse", () => {
  it("fills the template, parses the verdict and records model and template hash", async () => {
    const template = await loadJudgeTemplate();
    const client = scripted([VERDICT]);
    const judgement = await judgeResponse({ client, prompt: "Write about bees.", response: "Bees are...", judgeModel: "judge-1", template });
    expect(judgement).toEqual({
      scores: { Relevance: 5, Accuracy: 4, Coherence: 4, Clarity: 4, "Breadth and Depth": 3, "Reading Experience": 4 },
      quality: ((24 / 6 - 1) * 25),
      analysis: "ok",
      judgeModel: "judge-1",
      promptHash: template.hash,
    });
    expect(template.hash).toMatch(/^[0-9a-f]{64}$/);
    const sent = client.requests[0]!;
    expect(sent).toMatchObject({ model: "judge-1", temperature: 0.5, maxTokens: 1024 });
    expect(sent.seed).toBeUndefined();
    const content = (sent.messages as Array<{ content: string }>)[0]!.content;
    expect(content).toContain("Write about bees.");
    expect(content).toContain("Bees are...");
    expect(content).not.toContain("{{");
  });

  it("retries an unreadable reply as a different request, then succeeds", async () => {
    const client = scripted(["I think it is fine.", new LengthLimitError({ model: "j", partialChars: 10 }), VERDICT]);
    const judgement = await judgeResponse({ client, prompt: "p", response: "r", judgeModel: "j", maxAttempts: 3 });
    expect(judgement.quality).toBe(75);
    expect(client.requests.map((r) => r.seed)).toEqual([undefined, 1, 2]);
  });

  it("gives null scores and the reasons after bounded attempts, never a number", async () => {
    const client = scripted(["nope", '{"Relevance": 9}', "nope"]);
    const judgement = await judgeResponse({ client, prompt: "p", response: "r", judgeModel: "j", maxAttempts: 3 });
    expect(judgement.scores).toBeNull();
    expect(judgement.quality).toBeNull();
    expect(judgement.error).toMatch(/after 3 attempts: no JSON object with scores in the reply \(×2\); missing dimensions/);
    expect(client.requests).toHaveLength(3);
  });

  it("throws HTTP/network failures instead of recording a verdict", async () => {
    const client = scripted([new LlmCallError("http", "503", { model: "j", status: 503 })]);
    await expect(judgeResponse({ client, prompt: "p", response: "r", judgeModel: "j" })).rejects.toThrow(/503/);
  });
});

describe("judge template", () => {
  it("needs both placeholders and fills them in one pass", () => {
    expect(() => judgeTemplateFromText("only {{prompt}}", "my.md")).toThrow(/my.md.*\{\{response\}\}/);
    const template = judgeTemplateFromText("Q: {{prompt}}\nA: {{response}}");
    expect(renderJudgePrompt(template, { prompt: "say {{response}}", response: "$& done" })).toBe("Q: say {{response}}\nA: $& done");
  });
});

describe("judge cache", () => {
  it("persists across opens, ignores a torn last line, and lets a later entry win", async () => {
    const { mkdtempSync, appendFileSync, rmSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "judge-cache-"));
    try {
      const path = join(dir, "cache.jsonl");
      const key = { prompt: "p", response: "r", judgeModel: "j", promptHash: "h" };
      const failed = { scores: null, quality: null, error: "x", judgeModel: "j", promptHash: "h" };
      const cache = openJudgeCache({ path });
      cache.set(key, failed);
      cache.close();
      appendFileSync(path, '{"key":"torn');
      const again = openJudgeCache({ path });
      expect(again.get(key)).toEqual(failed);
      expect(again.get({ ...key, pass: 1 })).toBeUndefined();
      expect(again.get({ ...key, judgeModel: "other" })).toBeUndefined();
      const ok = { ...failed, scores: null, error: undefined, quality: null };
      again.set(key, { ...ok, error: "second" });
      again.close();
      expect(openJudgeCache({ path }).get(key)?.error).toBe("second");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("judge template placeholders", () => {
  it("accepts upstream's $INST$/$RESPONSE$ and fills them one after the other, as Python's chained replace", async () => {
    const { judgeTemplateFromText, renderJudgePrompt, isUpstreamJudgeTemplate, loadUpstreamJudgeTemplate } = await import("./judge-template.js");
    const template = judgeTemplateFromText("Q: $INST$\nA: $RESPONSE$", "mine.txt");
    expect(template).toMatchObject({ placeholders: "upstream", origin: "file" });
    // Upstream replaces $INST$ first, so a prompt holding "$RESPONSE$" gets the response there too.
    expect(renderJudgePrompt(template, { prompt: "say $RESPONSE$ $&", response: "R" })).toBe("Q: say R $&\nA: R");
    expect(() => judgeTemplateFromText("only $INST$", "half.txt")).toThrow(/half\.txt.*\$RESPONSE\$/);
    const upstream = await loadUpstreamJudgeTemplate({ localDir: "../shared/data/longwriter-upstream" });
    expect(upstream).toMatchObject({ placeholders: "upstream", origin: "upstream" });
    expect(isUpstreamJudgeTemplate(upstream)).toBe(true);
    expect(isUpstreamJudgeTemplate(template)).toBe(false);
  });

  it("turns transport failures into JudgeTransportError and keeps reply failures as tries", async () => {
    const { JudgeTransportError } = await import("./judge-transport.js");
    const { TruncatedStreamError, EmptyCompletionError } = await import("../llm/errors.js");
    for (const error of [new TruncatedStreamError({ model: "j", partialChars: 3 }), new EmptyCompletionError({ model: "j", finishReason: "stop" })]) {
      const client = scripted([error]);
      await expect(judgeResponse({ client, prompt: "p", response: "r", judgeModel: "j" })).rejects.toBeInstanceOf(JudgeTransportError);
      expect(client.requests).toHaveLength(1);
    }
  });
});
