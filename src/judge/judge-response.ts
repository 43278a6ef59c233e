/**
 * @module judge/judge-response — one LLM-judge verdict on one response: LongBench-Write's six dimensions,
 * bounded retries when the reply will not parse, and `null` scores plus the reason when it never does.
 */
import type { Message } from "../schemas/message.js";
import type { Judgement } from "../schemas/judgement.js";
import { loadJudgeTemplate, renderJudgePrompt, type JudgeTemplate } from "./judge-template.js";
import { asJudgeTransportError, isJudgeReplyFailure } from "./judge-transport.js";
import { parseJudgeReply, qualityFromScores } from "./parse-judge-reply.js";
import { OptionError } from "../errors.js";

/** The part of the shared LLM client the judge needs (src/llm `LlmClient` satisfies it). */
export interface JudgeChatClient {
  chat(
    request: { messages: Message[]; model?: string; temperature?: number; maxTokens?: number; seed?: number },
    options?: { signal?: AbortSignal },
  ): Promise<{ text: string }>;
}

export interface JudgeResponseOptions {
  client: JudgeChatClient;
  /** The user request the response answers. */
  prompt: string;
  response: string;
  judgeModel: string;
  /** Judge prompt template; the bundled `prompts/judge.md` when omitted. */
  template?: JudgeTemplate | undefined;
  /** Calls before giving up on a reply that will not parse. @default 3 */
  maxAttempts?: number | undefined;
  /** @default 0.5 (LongBench-Write's judge setting) */
  temperature?: number | undefined;
  /** @default 1024 */
  maxTokens?: number | undefined;
  /**
   * Sent as `seed` from the second attempt on (attempt index + this), so a retry is a different request
   * (and is not replayed from a journal). @default 1
   */
  retrySeedBase?: number | undefined;
  /** Seed for the first attempt (none by default); an independent second opinion sets one. */
  firstSeed?: number | undefined;
  signal?: AbortSignal | undefined;
}

let defaultTemplate: Promise<JudgeTemplate> | undefined;

/** The bundled judge template, loaded once. */
export function defaultJudgeTemplate(): Promise<JudgeTemplate> {
  defaultTemplate ??= loadJudgeTemplate();
  return defaultTemplate;
}

/**
 * Asks the judge to grade `response` and returns a Judgement. The reply is parsed tolerantly; after
 * `maxAttempts` unreadable replies the Judgement has `scores: null, quality: null` and `error` saying why.
 * Transport failures (HTTP after the client's own retries, timeouts, truncated streams, garbled or empty
 * completions) are thrown as JudgeTransportError, so no verdict — not even an unparseable one — is stored.
 *
 * @example
 * const j = await judgeResponse({ client, prompt, response, judgeModel: "gpt-4o-2024-05-13" });
 * if (j.quality !== null) console.log(j.quality);
 */
export async function judgeResponse(options: JudgeResponseOptions): Promise<Judgement> {
  const { client, prompt, response, judgeModel, maxAttempts = 3, temperature = 0.5, maxTokens = 1024, retrySeedBase = 1, firstSeed, signal } = options;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new OptionError(`maxAttempts must be a positive integer, got ${maxAttempts}`, { field: "maxAttempts" });
  const template = options.template ?? (await defaultJudgeTemplate());
  const content = renderJudgePrompt(template, { prompt, response });
  const reasons: string[] = [];
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    let text: string;
    try {
      const reply = await client.chat(
        {
          model: judgeModel,
          messages: [{ role: "user", content }],
          temperature,
          maxTokens,
          ...(attempt > 0 ? { seed: retrySeedBase + attempt - 1 } : firstSeed === undefined ? {} : { seed: firstSeed }),
        },
        signal ? { signal } : undefined,
      );
      text = reply.text;
    } catch (error) {
      // A reply that arrived (cut off, or filtered) is a try; a transport failure gives no verdict at all.
      if (isJudgeReplyFailure(error)) {
        reasons.push(error.kind === "length" ? "reply cut off at max tokens" : `call failed (${error.kind})`);
        continue;
      }
      throw asJudgeTransportError(error);
    }
    const parsed = parseJudgeReply(text);
    if ("scores" in parsed) {
      return {
        scores: parsed.scores,
        quality: qualityFromScores(parsed.scores),
        ...(parsed.analysis ? { analysis: parsed.analysis } : {}),
        judgeModel,
        promptHash: template.hash,
      };
    }
    reasons.push(parsed.error);
  }
  return {
    scores: null,
    quality: null,
    error: `no usable verdict after ${maxAttempts} attempt${maxAttempts > 1 ? "s" : ""}: ${summariseReasons(reasons)}`,
    judgeModel,
    promptHash: template.hash,
  };
}

function summariseReasons(reasons: string[]): string {
  const counts = new Map<string, number>();
  for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => (n > 1 ? `${reason} (×${n})` : reason)).join("; ");
}
