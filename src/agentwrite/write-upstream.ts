/**
 * @module agentwrite/write-upstream — AgentWrite as LongWriter's `agentwrite/plan.py` and `write.py` run
 * it (`--prompts upstream`): one plan request; the plan is the reply stripped with "\n\n" turned into
 * "\n", and every line of it is a step (more than 50 lines: the instruction fails, as upstream skips it);
 * then one write request per step, fed the raw earlier responses. Only the final SFT answer is cleaned
 * (section labels stripped), and that can be switched off.
 */
import type { LlmClient } from "../llm/client.js";
import type { LlmFailureKind } from "../llm/errors.js";
import type { Instruction } from "../schemas/instruction.js";
import { countWords } from "../text/count-words.js";
import { pythonReplace, pythonStrip } from "../upstream/python-text.js";
import { callWithRetries } from "./call-with-retries.js";
import { AgentWriteError } from "./errors.js";
import { asStageError, type CallSettings } from "./plan-instruction.js";
import { stripSectionLabel } from "./strip-section-label.js";
import { upstreamPlanRequest, upstreamWriteRequest, type UpstreamAgentWritePrompts } from "./upstream-prompts.js";
import type { WrittenSection } from "./write-sections.js";

/**
 * Failures a call is tried again for. Upstream's request loop retried errors (a cut or garbled answer
 * raises there) but took an empty answer as the answer, which ends the instruction: so "empty" is not
 * retried here.
 */
const RETRY_ON: ReadonlySet<LlmFailureKind> = new Set(["truncated", "bad_response"]);

/** Upstream's guard: plans with more lines than this are skipped. */
export const UPSTREAM_MAX_STEPS = 50;

/** How the final SFT answer is made from the raw responses. */
export type UpstreamCleanup = "strip-labels" | "none";

export interface UpstreamWritten {
  /** The normalised plan (what `$PLAN$` was). */
  plan: string;
  /** Its lines, as upstream iterates them. */
  steps: string[];
  /** The raw responses, one per step. */
  responses: string[];
  /** The final answer. */
  text: string;
  sections: WrittenSection[];
  usage: { promptTokens: number; completionTokens: number };
  costUsd: number;
  model: string;
}

/** Upstream's plan normalisation: strip, then every "\n\n" → "\n" (one non-overlapping pass). */
export function normaliseUpstreamPlan(reply: string): string {
  return pythonReplace(pythonStrip(reply), "\n\n", "\n");
}

/** The word budget a plan line names ("Word Count: 400 words"), or null. */
function budgetOf(step: string): number | null {
  const match = /(\d[\d,]*)\s*(?:words?\b|字)/i.exec(step);
  const value = match ? Number(match[1]!.replace(/,/g, "")) : NaN;
  return Number.isInteger(value) && value > 0 ? value : null;
}

/** The final answer from the raw responses: labels stripped per section (default) or upstream's concatenation. */
export function upstreamAnswer(responses: readonly string[], cleanup: UpstreamCleanup = "strip-labels"): string {
  if (cleanup === "none") return pythonStrip(responses.map((r) => `${r}\n\n`).join(""));
  return responses
    .map((r) => stripSectionLabel(r))
    .filter((r) => r !== "")
    .join("\n\n");
}

/**
 * Plans and writes one instruction with upstream's prompts and loop.
 * @throws AgentWriteError for a failed call, an empty response, or a plan of more than 50 lines.
 */
export async function writeUpstream(options: {
  client: LlmClient;
  instruction: Instruction;
  prompts: UpstreamAgentWritePrompts;
  settings?: CallSettings;
  /** @default "strip-labels" */
  cleanup?: UpstreamCleanup;
  onPlanned?: (steps: number) => void;
  onSection?: (section: WrittenSection, of: number) => void;
}): Promise<UpstreamWritten> {
  const { client, instruction, prompts, settings = {}, cleanup = "strip-labels" } = options;
  const usage = { promptTokens: 0, completionTokens: 0 };
  let costUsd = 0;
  const call = async (content: string, tag: string, stage: "plan" | "write", section?: number) => {
    try {
      const result = await callWithRetries({
        client,
        request: {
          messages: [{ role: "user", content }],
          temperature: settings.temperature,
          maxTokens: settings.maxTokens,
          tag,
        },
        retries: settings.callRetries,
        retryOn: RETRY_ON,
        signal: settings.signal,
      });
      usage.promptTokens += result.usage.promptTokens;
      usage.completionTokens += result.usage.completionTokens;
      costUsd += result.costUsd;
      return result;
    } catch (error) {
      throw asStageError(error, stage, section);
    }
  };

  const planned = await call(upstreamPlanRequest(prompts, instruction.prompt), `plan ${instruction.id}`, "plan");
  const plan = normaliseUpstreamPlan(planned.text);
  const steps = plan.split("\n");
  if (steps.length > UPSTREAM_MAX_STEPS) {
    throw new AgentWriteError("plan", "plan_invalid", `the plan has ${steps.length} lines, more than ${UPSTREAM_MAX_STEPS} (upstream skips such instructions)`);
  }
  options.onPlanned?.(steps.length);

  const responses: string[] = [];
  const sections: WrittenSection[] = [];
  let written = "";
  for (const [i, step] of steps.entries()) {
    const index = i + 1;
    const content = upstreamWriteRequest(prompts, { instruction: instruction.prompt, plan, text: pythonStrip(written), step: pythonStrip(step) });
    const result = await call(content, `write ${instruction.id} step ${index}/${steps.length}`, "write", index);
    // The client turns an empty completion into an error, so `result.text` is never "" here; upstream
    // ends the instruction on an empty response, and so does the failed call.
    responses.push(result.text);
    written += `${result.text}\n\n`;
    const section: WrittenSection = { index, budget: budgetOf(step), words: countWords(result.text) };
    sections.push(section);
    options.onSection?.(section, steps.length);
  }
  return { plan, steps, responses, text: upstreamAnswer(responses, cleanup), sections, usage, costUsd, model: planned.model };
}
