import { describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTmpDir } from "../../test/helpers/tmp-dir.js";
import type { ChatRequest, ChatResult, LlmClient } from "../llm/client.js";
import { LengthLimitError } from "../llm/errors.js";
import { emptyTotals } from "../llm/spend-ledger.js";
import type { Instruction } from "../schemas/instruction.js";
import { agentWrite } from "./agent-write.js";
import { loadAgentWritePrompts } from "./prompts.js";
import { runAgentWrite } from "./run-agentwrite.js";

const dir = makeTmpDir("lw-run-aw-");

/** An in-process LlmClient: plans of two sections; `hold` delays every call of prompts containing it. */
function stubClient(options: { hold?: { marker: string; until: Promise<void> }; failOn?: string } = {}) {
  const planned: string[] = [];
  const client: LlmClient = {
    model: "stub",
    async chat(request: ChatRequest): Promise<ChatResult> {
      const content = request.messages[0]!.content;
      if (options.hold && content.includes(options.hold.marker)) await options.hold.until;
      if (options.failOn && content.includes(options.failOn) && !content.startsWith("You are planning")) {
        throw new LengthLimitError({ model: "stub", partialChars: 10 });
      }
      const planning = content.startsWith("You are planning");
      if (planning) planned.push(/number (\d+)/.exec(content)![1]!);
      const text = planning ? "Section 1 | 100 words | one\nSection 2 | 100 words | two" : `Paragraph ${content.includes("now:\nSection 1 |") ? 1 : 2}: Text.`;
      return { text, finishReason: "stop", model: "stub", usage: { promptTokens: 1, completionTokens: 1 }, costUsd: 0, replayed: false, key: "k" };
    },
    totals: () => emptyTotals(),
    close: async () => undefined,
  };
  return { client, planned };
}

function input(name: string, count: number): string {
  const file = join(dir, name);
  writeFileSync(file, Array.from({ length: count }, (_, i) => JSON.stringify({ prompt: `Write about number ${i}.` })).join("\n") + "\n");
  return file;
}

describe("runAgentWrite", () => {
  it("does not start more than lookAhead instructions past the first unwritten one", async () => {
    let release!: () => void;
    const until = new Promise<void>((resolve) => (release = resolve));
    const { client, planned } = stubClient({ hold: { marker: "number 0.", until } });
    const prompts = await loadAgentWritePrompts();
    const run = runAgentWrite({ input: input("ahead.jsonl", 20), out: join(dir, "ahead.out.jsonl"), client, prompts, parallel: 4, lookAhead: 3 });
    // The input is validated first; then wait for the workers to reach the look-ahead limit.
    for (const deadline = Date.now() + 5000; planned.length < 2 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 100));
    expect(planned.sort()).toEqual(["1", "2"]); // #0 is held before its plan call returns; only #1 and #2 may start
    release();
    const summary = await run;
    expect(summary.done).toBe(20);
    const ids = readFileSync(join(dir, "ahead.out.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).messages[0].content);
    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => `Write about number ${i}.`));
  });

  it("records a failed section with its stage, section number and kind, and skips duplicate ids", async () => {
    const { client } = stubClient({ failOn: "number 1." });
    const file = join(dir, "dups.jsonl");
    writeFileSync(file, ['{"prompt":"Write about number 0."}', '{"prompt":"Write about number 1."}', '{"prompt":"Write about number 0."}'].join("\n"));
    const out = join(dir, "dups.out.jsonl");
    const summary = await runAgentWrite({ input: file, out, client, prompts: await loadAgentWritePrompts() });
    expect(summary).toMatchObject({ instructions: 2, done: 1, failed: 1, duplicates: 1, failuresByKind: { length: 1 } });
    const failure = JSON.parse(readFileSync(`${out}.failures.jsonl`, "utf8"));
    expect(failure).toMatchObject({ stage: "write", section: 1, kind: "length", prompt: "Write about number 1." });
    expect(failure.reason).toContain("max_tokens");
    const record = JSON.parse(readFileSync(out, "utf8"));
    expect(record.messages[1].content).toBe("Text.\n\nText.");
  });
});

describe("runAgentWrite on a Chinese LongWriter prompt line", () => {
  it("derives id, length and language, plans from a Chinese reply, budgets in 字 and strips 段落 labels", async () => {
    const seen: string[] = [];
    const client: LlmClient = {
      model: "stub",
      async chat(request: ChatRequest): Promise<ChatResult> {
        const content = request.messages[0]!.content;
        seen.push(content);
        const text = content.startsWith("You are planning")
          ? "好的，计划如下：\n段落1 - 要点：故乡的春天 - 字数：1000字\n段落2 - 要点：离别 - 字数：1000字"
          : content.includes("The section to write now:\nSection 1 |")
            ? "段落1：春天来了。"
            : "**段落2**\n我们分别了。";
        return { text, finishReason: "stop", model: "stub", usage: { promptTokens: 1, completionTokens: 1 }, costUsd: 0, replayed: false, key: "k" };
      },
      totals: () => emptyTotals(),
      close: async () => undefined,
    };
    const file = join(dir, "zh.jsonl");
    writeFileSync(file, `${JSON.stringify({ prompt: "写一篇2000字的散文，题目是《故乡》" })}\n`);
    const out = join(dir, "zh.out.jsonl");
    const summary = await runAgentWrite({ input: file, out, client, prompts: await loadAgentWritePrompts() });
    expect(summary.done).toBe(1);
    const record = JSON.parse(readFileSync(out, "utf8"));
    expect(record.id).toMatch(/^[0-9a-f]{16}$/);
    expect(record.meta.agentwrite).toMatchObject({ requiredLength: 2000, language: "zh" });
    expect(record.messages[1].content).toBe("春天来了。\n\n我们分别了。");
    expect(seen[0]).toContain("about 2000 Chinese characters");
    expect(seen[1]).toContain("Section 1 | 1000 字 | 故乡的春天");
  });
});

describe("agentWrite call priorities", () => {
  it("ranks the oldest instruction's calls first while input is coming, then the instruction with the most calls left", async () => {
    let endInput!: () => void;
    const inputEnds = new Promise<void>((resolve) => (endInput = resolve));
    const make = (n: number): Instruction => ({ id: `inst${n}`, prompt: `Write about number ${n}.`, requiredLength: null, language: "en" });
    async function* instructions(): AsyncGenerator<Instruction> {
      yield make(0);
      yield make(1);
      await inputEnds;
    }
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const seen: Array<{ tag: string; priority: number; ended: boolean }> = [];
    let ended = false;
    const client: LlmClient = {
      model: "stub",
      async chat(request: ChatRequest): Promise<ChatResult> {
        const priority = typeof request.priority === "function" ? request.priority() : request.priority;
        seen.push({ tag: request.tag!, priority: priority!, ended });
        // #1's plan answer waits until #0's first section has ended the input: every call is then
        // clearly before or after the end.
        if (request.tag === "plan inst1 attempt 1") await settled;
        if (request.tag === "write inst0 section 1/3") {
          endInput();
          await inputEnds;
          await new Promise((r) => setTimeout(r, 5)); // the read-ahead sees the end before the next call
          ended = true;
          settle();
        }
        const text = request.tag!.startsWith("plan") ? "Section 1 | 100 words | one\nSection 2 | 100 words | two\nSection 3 | 100 words | three" : "Some text.";
        return { text, finishReason: "stop", model: "stub", usage: { promptTokens: 1, completionTokens: 1 }, costUsd: 0, replayed: false, key: "k" };
      },
      totals: () => emptyTotals(),
      close: async () => undefined,
    };
    const done: string[] = [];
    for await (const event of agentWrite({ client, instructions: instructions(), prompts: await loadAgentWritePrompts(), parallel: 2 })) {
      // parallel 2: both workers are busy when the input ends, so only the read-ahead can notice it
      if (event.type === "done") done.push(event.id);
    }
    expect(done.sort()).toEqual(["inst0", "inst1"]);
    expect(seen).toHaveLength(8);
    for (const call of seen) {
      const [kind, id, , step] = call.tag.split(" ");
      const position = Number(id!.slice(4));
      // While input is coming: the older instruction first (-position). After: calls left, this one included.
      const callsLeft = kind === "plan" ? Number.POSITIVE_INFINITY : 3 - Number(step!.split("/")[0]) + 1;
      expect(call.priority, call.tag).toBe(call.ended ? callsLeft : -position);
    }
    expect(seen.some((call) => call.ended)).toBe(true);
    expect(seen.some((call) => !call.ended)).toBe(true);
  });
});
