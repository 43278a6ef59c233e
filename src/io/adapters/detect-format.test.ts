import { describe, expect, it } from "vitest";
import { ConfigError } from "../../errors.js";
import { assertFormatKind, describeUndetected, detectFormat, getAdapter } from "./detect-format.js";
import { parseFormatName } from "./format.js";

const ctx = { file: "f.jsonl", line: 1 };
const U = { role: "user", content: "q" };
const A = { role: "assistant", content: "a" };

describe("detectFormat", () => {
  it.each([
    [{ messages: [U, A] }, "messages"],
    [
      {
        messages: [
          { from: "human", value: "q" },
          { from: "gpt", value: "a" },
        ],
      },
      "sharegpt",
    ],
    [
      {
        conversations: [
          { from: "human", value: "q" },
          { from: "gpt", value: "a" },
        ],
      },
      "sharegpt",
    ],
    [{ instruction: "q", input: "", output: "a" }, "alpaca"],
    [{ conversations: [{ from: "human", value: "q" }], chosen: { from: "gpt", value: "a" }, rejected: { from: "gpt", value: "b" } }, "sharegpt-preference"],
    [{ prompt: "q", chosen: [U, A], rejected: [U, { role: "assistant", content: "b" }] }, "ultrafeedback"],
    [{ chosen: [U, A], rejected: [U, { role: "assistant", content: "b" }] }, "ultrafeedback"],
    [{ prompt: [U], chosen: [A], rejected: [{ role: "assistant", content: "b" }] }, "trl"],
    [{ prompt: "The sky is", chosen: " blue.", rejected: " green." }, "trl"],
    [{ text: "plain" }, null],
  ])("%j → %s", (raw, format) => {
    expect(detectFormat(raw)).toBe(format);
  });

  it("limits detection to a kind and explains failures", () => {
    expect(detectFormat({ prompt: [U], chosen: [A], rejected: [A] }, "sft")).toBeNull();
    expect(describeUndetected({ text: "x" }, "sft")).toBe(
      'cannot detect the record format from fields {"text"}; expected messages, conversations, or instruction+output (or name the format explicitly)',
    );
    // A candidates file (sample / judge output) is pointed to the commands that read it.
    expect(describeUndetected({ promptId: "p1", prompt: "Write", response: "Text", sample: 0 })).toMatch(
      /\(or name the format explicitly\); this looks like candidates from `sample` \/ `judge`, which `stats`, `judge` and `pairs` read$/,
    );
    expect(describeUndetected({ prompt: "Write", response: "Text" })).not.toContain("candidates");
  });
});

describe("adapters on small rows", () => {
  it("reads TRL standard (string) pairs and UltraFeedback's prompt_id", () => {
    expect(getAdapter("trl").toCanonical({ prompt: "The sky is", chosen: " blue.", rejected: " green." }, ctx)).toMatchObject({
      prompt: [{ role: "user", content: "The sky is" }],
      chosen: [{ role: "assistant", content: " blue." }],
      rejected: [{ role: "assistant", content: " green." }],
      score_chosen: null,
    });
    const uf = getAdapter("ultrafeedback").toCanonical(
      {
        prompt_id: "abc",
        prompt: "q",
        chosen: [U, A],
        rejected: [U, { role: "assistant", content: "b" }],
        messages: [U, A],
        score_chosen: 8,
        score_rejected: 3,
      },
      ctx,
    );
    expect(uf).toEqual({ id: "abc", prompt: [U], chosen: [A], rejected: [{ role: "assistant", content: "b" }], score_chosen: 8, score_rejected: 3 });
  });

  it("joins typed text parts and keeps unknown fields in meta", () => {
    const record = getAdapter("messages").toCanonical(
      {
        id: 7,
        label: true,
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "a" },
              { type: "text", value: "b" },
            ],
          },
          A,
        ],
      },
      ctx,
    );
    expect(record).toEqual({ id: "7", messages: [{ role: "user", content: "a\nb" }, A], meta: { label: true } });
  });

  it("maps alpaca history and system to turns and back", () => {
    const alpaca = getAdapter("alpaca");
    const row = { instruction: "q2", input: "", output: "a2", system: "s", history: [["q1", "a1"]] };
    const record = alpaca.toCanonical(row, ctx);
    expect(record.messages.map((m) => `${m.role}:${m.content}`)).toEqual(["system:s", "user:q1", "assistant:a1", "user:q2", "assistant:a2"]);
    expect(alpaca.fromCanonical(record)).toEqual({ id: record.id, ...row });
  });
});

describe("format names", () => {
  it("accepts names and aliases, rejects others as usage errors", () => {
    expect(parseFormatName("OpenAI")).toBe("messages");
    expect(parseFormatName("llama-factory-preference")).toBe("sharegpt-preference");
    expect(() => parseFormatName("csv")).toThrow(ConfigError);
    expect(() => assertFormatKind("trl", "sft")).toThrow('format "trl" holds preference records, not sft records');
  });
});

describe("turn order messages", () => {
  it("names the expected role with the right article", () => {
    const pref = getAdapter("sharegpt-preference");
    expect(() =>
      pref.toCanonical({ conversations: [{ from: "human", value: "q" }], chosen: { from: "human", value: "a" }, rejected: { from: "gpt", value: "b" } }, ctx),
    ).toThrow("f.jsonl:1: field chosen: chosen must start with an assistant turn, got user");
    expect(() => getAdapter("messages").toCanonical({ messages: [{ role: "system", content: "s" }] }, ctx)).toThrow(
      "f.jsonl:1: field messages: conversation has only a system turn, expected a user turn after it",
    );
  });
});
