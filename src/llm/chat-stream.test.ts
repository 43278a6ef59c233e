import OpenAI from "openai";
import { Stream } from "openai/streaming";
import { describe, expect, it } from "vitest";
import { ChatStream, StreamErrorEvent } from "./chat-stream.js";

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const event = (data: unknown, name?: string): string => `${name ? `event: ${name}\n` : ""}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`;
const chunk = (delta: Record<string, unknown>, finish: string | null = null, index = 0) => ({
  id: "c",
  object: "chat.completion.chunk",
  model: "served-model",
  choices: [{ index, delta, finish_reason: finish }],
});

/** What a stream came to, or what reading it threw. */
type Outcome = { text: string; finishReason: string | null; model: string | undefined; usage: unknown } | { error: unknown };

/** Reads `body` (in `pieces` parts) with ChatStream. */
function read(body: string, pieces = 1): Outcome {
  const bytes = utf8(body);
  const stream = new ChatStream();
  try {
    const size = Math.ceil(bytes.length / pieces);
    for (let at = 0; at < bytes.length; at += size) stream.push(bytes.subarray(at, at + size));
    stream.end();
  } catch (error) {
    return { error };
  }
  return { text: stream.text, finishReason: stream.finishReason, model: stream.model, usage: stream.usage };
}

/** Only its logger is used: the SDK logs events it cannot parse to the console unless told not to. */
const QUIET_SDK = new OpenAI({ apiKey: "unused", logLevel: "off" });

/** The same body through the openai SDK's Stream, accumulated as the client did before it read the bytes itself. */
async function readWithSdk(body: string): Promise<Outcome> {
  const stream = Stream.fromSSEResponse<{
    model?: string;
    choices?: Array<{ index?: number; delta?: { content?: string | null }; finish_reason?: string | null }>;
    usage?: unknown;
  }>(new Response(body), new AbortController(), QUIET_SDK);
  let text = "";
  let finishReason: string | null = null;
  let model: string | undefined;
  let usage: unknown;
  try {
    for await (const item of stream) {
      if (item.model) model = item.model;
      for (const choice of item.choices ?? []) {
        if (choice.index !== 0 && choice.index !== undefined) continue;
        text += choice.delta?.content ?? "";
        if (choice.finish_reason) finishReason = choice.finish_reason;
      }
      if (item.usage) usage = item.usage;
    }
  } catch (error) {
    return { error };
  }
  return { text, finishReason, model, usage };
}

describe("ChatStream", () => {
  const usage = { prompt_tokens: 12, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 0 } };
  const normal =
    event(chunk({ role: "assistant", content: "" })) +
    event(chunk({ content: "Hel" })) +
    event(chunk({ content: "lo, wörld 😀" })) +
    event(chunk({ content: "ignored" }, null, 1)) +
    event(chunk({}, "stop")) +
    event({ id: "c", object: "chat.completion.chunk", model: "served-model", choices: [], usage }) +
    event("[DONE]");

  it("builds the text, finish reason, model and usage, whatever the chunking", async () => {
    const expected = { text: "Hello, wörld 😀", finishReason: "stop", model: "served-model", usage };
    for (const pieces of [1, 2, 7, 50, utf8(normal).length]) expect(read(normal, pieces)).toEqual(expected);
    expect(await readWithSdk(normal)).toEqual(expected);
  });

  it("ignores what follows [DONE] and skips thread.* events, as the SDK does", async () => {
    const body =
      event(chunk({ content: "a" })) + event({ note: 1 }, "thread.run.created") + event(chunk({}, "stop")) + event("[DONE]") + event("not json at all");
    expect(read(body)).toEqual({ text: "a", finishReason: "stop", model: "served-model", usage: undefined });
    expect(await readWithSdk(body)).toEqual(read(body));
  });

  it("reports an error event with its message, and a non-JSON event as a SyntaxError", async () => {
    const failed = read(event(chunk({ content: "partial" })) + event({ error: { message: "upstream overloaded", type: "server_error" } }));
    expect((failed as { error: unknown }).error).toBeInstanceOf(StreamErrorEvent);
    expect(((failed as { error: Error }).error as Error).message).toBe("upstream overloaded");
    const sdk = await readWithSdk(event({ error: { message: "upstream overloaded" } }));
    expect(((sdk as { error: Error }).error as Error).message).toBe("upstream overloaded");
    expect(((read(event({ error: { code: 42 } })) as { error: Error }).error as Error).message).toBe('{"code":42}');
    expect((read("data: {not json\n\n") as { error: unknown }).error).toBeInstanceOf(SyntaxError);
    expect((await readWithSdk("data: {not json\n\n")) as { error: unknown }).toMatchObject({ error: expect.any(SyntaxError) });
  });

  it("has no finish reason for a stream cut off before its last chunk", () => {
    expect(read(event(chunk({ content: "half an ans" })) + 'data: {"choi')).toEqual({
      text: "half an ans",
      finishReason: null,
      model: "served-model",
      usage: undefined,
    });
  });
});
