/**
 * @module judge/judge-upstream — one LongBench-Write verdict the way `evaluation/eval_quality.py` gets
 * it: the filled template as one user message (temperature 0.5, max_tokens 1024), then up to 5 tries,
 * each reply read by `parseUpstreamJudgeReply` and costing what it costs upstream (1 or 2 tries). A
 * transport failure is thrown as `JudgeTransportError`: the item then has no verdict at all.
 */
import type { Message } from "../schemas/message.js";
import type { JudgeChatClient } from "./judge-response.js";
import { renderJudgePrompt, type JudgeTemplate } from "./judge-template.js";
import { asJudgeTransportError, isJudgeReplyFailure } from "./judge-transport.js";
import { parseUpstreamJudgeReply, type UpstreamScores } from "./upstream-judge-reply.js";
import { OptionError } from "../errors.js";

/** A verdict under upstream's rules. */
export interface UpstreamVerdict {
  /** The six scores as float() reads them; null when the tries ran out. */
  scores: UpstreamScores | null;
  /** Tries used (upstream's counter) and calls made. */
  tries: number;
  calls: number;
  /** Why each refused reply was refused, in order. */
  refused: string[];
  judgeModel: string;
  /** sha256 of the template. */
  promptHash: string;
}

export interface JudgeUpstreamOptions {
  client: JudgeChatClient;
  prompt: string;
  response: string;
  judgeModel: string;
  template: JudgeTemplate;
  /** @default 5 (upstream's `trys < 5`) */
  maxTries?: number | undefined;
  /** @default 0.5 */
  temperature?: number | undefined;
  /** @default 1024 */
  maxTokens?: number | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Judges one response under upstream's rules. Calls after the first carry `seed` = the call number, so
 * each is a new request (a journal would otherwise replay the refused reply); the prompt is unchanged.
 *
 * @example const v = await judgeUpstream({ client, prompt, response, judgeModel: "gpt-4o-2024-05-13", template });
 */
export async function judgeUpstream(options: JudgeUpstreamOptions): Promise<UpstreamVerdict> {
  const { client, prompt, response, judgeModel, template, maxTries = 5, temperature = 0.5, maxTokens = 1024, signal } = options;
  if (!Number.isInteger(maxTries) || maxTries < 1) throw new OptionError(`maxTries must be a positive integer, got ${maxTries}`, { field: "maxTries" });
  const content = renderJudgePrompt(template, { prompt, response });
  const messages: Message[] = [{ role: "user", content }];
  const refused: string[] = [];
  let tries = 0;
  let calls = 0;
  while (tries < maxTries) {
    let text: string;
    try {
      const reply = await client.chat(
        { model: judgeModel, messages, temperature, maxTokens, ...(calls > 0 ? { seed: calls } : {}) },
        signal ? { signal } : undefined,
      );
      text = reply.text;
    } catch (error) {
      calls += 1;
      if (isJudgeReplyFailure(error)) {
        // Upstream parses whatever text came back; a cut-off or filtered reply never holds the JSON.
        tries += 1;
        refused.push(error.kind === "length" ? "reply cut off at max_tokens" : "reply blocked by the content filter");
        continue;
      }
      throw asJudgeTransportError(error);
    }
    calls += 1;
    const parsed = parseUpstreamJudgeReply(text);
    if (parsed.ok) return { scores: parsed.scores, tries, calls, refused, judgeModel, promptHash: template.hash };
    tries += parsed.cost;
    refused.push(parsed.reason);
  }
  return { scores: null, tries, calls, refused, judgeModel, promptHash: template.hash };
}
