import { describe, expect, it } from "vitest";
import type { ChatRequest, ChatResult, LlmClient } from "../llm/client.js";
import { EmptyCompletionError, TruncatedStreamError } from "../llm/errors.js";
import { AgentWriteError } from "./errors.js";
import type { UpstreamAgentWritePrompts } from "./upstream-prompts.js";
import { normaliseUpstreamPlan, upstreamAnswer, writeUpstream } from "./write-upstream.js";
import { emptyTotals } from "../llm/spend-ledger.js";

const prompts: UpstreamAgentWritePrompts = {
  preset: "upstream",
  plan: "PLAN[$INST$]",
  write: "W[$INST$|$PLAN$|$TEXT$|$STEP$]",
  files: { plan: { sha256: "x", from: "local" }, write: { sha256: "y", from: "local" } },
};
const instruction = { id: "i1", prompt: "Write.", requiredLength: null, language: "en" as const };

function fakeClient(replies: Array<string | Error>): LlmClient & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    model: "m",
    async chat(request: ChatRequest): Promise<ChatResult> {
      sent.push(request.messages[0]!.content);
      const next = replies.shift();
      if (next === undefined) throw new Error("no more replies");
      if (next instanceof Error) throw next;
      return { text: next, finishReason: "stop", model: "m", usage: { promptTokens: 1, completionTokens: 1 }, costUsd: 0, replayed: false, key: "k" };
    },
    totals: () => emptyTotals(),
    close: async () => undefined,
  };
}

describe("writeUpstream", () => {
  it("normalises the plan like upstream (strip, one pass of \\n\\n → \\n) and keeps empty lines as steps", () => {
    expect(normaliseUpstreamPlan("\n A\n\nB\n\n\n\nC \n")).toBe("A\nB\n\nC");
    expect(normaliseUpstreamPlan("A\n\nB").split("\n")).toEqual(["A", "B"]);
  });

  it("feeds the raw responses into $TEXT$ and cleans only the final answer", async () => {
    const client = fakeClient(["P1\n\nP2", "Paragraph 1: One. ", "**Paragraph 2**\nTwo."]);
    const written = await writeUpstream({ client, instruction, prompts });
    expect(client.sent).toEqual(["PLAN[Write.]", "W[Write.|P1\nP2||P1]", "W[Write.|P1\nP2|Paragraph 1: One.|P2]"]);
    expect(written.text).toBe("One.\n\nTwo.");
    expect(upstreamAnswer(written.responses, "none")).toBe("Paragraph 1: One. \n\n**Paragraph 2**\nTwo.");
  });

  it("ends the instruction on an empty response without asking again, but retries a cut stream", async () => {
    const empty = fakeClient(["S1", new EmptyCompletionError({ model: "m", finishReason: "stop" })]);
    const error = await writeUpstream({ client: empty, instruction, prompts }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentWriteError);
    expect(error).toMatchObject({ stage: "write", kind: "empty", section: 1 });
    expect(empty.sent).toHaveLength(2);

    const cut = fakeClient(["S1", new TruncatedStreamError({ model: "m", partialChars: 2 }), "Body."]);
    expect((await writeUpstream({ client: cut, instruction, prompts })).responses).toEqual(["Body."]);
    expect(cut.sent).toHaveLength(3);
  });

  it("fails a plan of more than 50 lines before writing anything", async () => {
    const client = fakeClient([Array.from({ length: 51 }, (_, i) => `Step ${i}`).join("\n")]);
    await expect(writeUpstream({ client, instruction, prompts })).rejects.toMatchObject({ stage: "plan", kind: "plan_invalid" });
    expect(client.sent).toHaveLength(1);
  });
});
