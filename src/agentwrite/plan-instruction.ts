/**
 * @module agentwrite/plan-instruction — AgentWrite step I: one call asks for a plan; a reply that does
 * not parse or validate is sent back with the problem, a bounded number of times.
 */
import type { LlmClient } from "../llm/client.js";
import type { Instruction } from "../schemas/instruction.js";
import type { Message } from "../schemas/message.js";
import type { Plan } from "../schemas/plan.js";
import { callWithRetries } from "./call-with-retries.js";
import { stopsTheRun } from "../llm/errors.js";
import { AgentWriteError } from "./errors.js";
import { parsePlan, validatePlan, type PlanLimits } from "./parse-plan.js";
import { fillTemplate, type AgentWritePrompts } from "./prompts.js";

export interface CallSettings {
  temperature?: number | undefined;
  maxTokens?: number | undefined;
  /** Extra tries for truncated/empty/garbled answers. @default 2 */
  callRetries?: number | undefined;
  signal?: AbortSignal | undefined;
}

export interface PlannedInstruction {
  plan: Plan;
  attempts: number;
  usage: { promptTokens: number; completionTokens: number };
  costUsd: number;
  model: string;
}

/** Describes the target length for the plan prompt. */
export function describeLength(requiredLength: number | null, language: string): string {
  if (requiredLength === null) return "as long as the task needs; a thorough answer of at least 2,000 words";
  return language === "zh" ? `about ${requiredLength} Chinese characters (字)` : `about ${requiredLength} words`;
}

/**
 * Plans one instruction.
 * @throws AgentWriteError (stage "plan") when no usable plan arrives within `attempts`, or a call fails.
 */
export async function planInstruction(options: {
  client: LlmClient;
  instruction: Instruction;
  prompts: AgentWritePrompts;
  /** Plan requests per instruction, the first included. @default 3 */
  attempts?: number | undefined;
  limits?: Omit<PlanLimits, "requiredLength"> | undefined;
  settings?: CallSettings | undefined;
}): Promise<PlannedInstruction> {
  const { client, instruction, prompts, attempts = 3, limits = {}, settings = {} } = options;
  const ask: Message = {
    role: "user",
    content: fillTemplate(prompts.plan, {
      instruction: instruction.prompt,
      length: describeLength(instruction.requiredLength, instruction.language),
    }),
  };
  const planLimits: PlanLimits = { ...limits, requiredLength: instruction.requiredLength };
  const maxSteps = planLimits.maxSteps ?? 50;
  let messages: Message[] = [ask];
  let problem = "";
  const usage = { promptTokens: 0, completionTokens: 0 };
  let costUsd = 0;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    let result;
    try {
      result = await callWithRetries({
        client,
        request: {
          messages,
          temperature: settings.temperature,
          maxTokens: settings.maxTokens,
          tag: `plan ${instruction.id} attempt ${attempt}`,
        },
        retries: settings.callRetries,
        signal: settings.signal,
      });
    } catch (error) {
      throw asStageError(error, "plan");
    }
    usage.promptTokens += result.usage.promptTokens;
    usage.completionTokens += result.usage.completionTokens;
    costUsd += result.costUsd;
    const parsed = parsePlan(result.text);
    const check = parsed.ok ? validatePlan(parsed.plan, planLimits) : parsed;
    if (parsed.ok && check.ok) return { plan: parsed.plan, attempts: attempt, usage, costUsd, model: result.model };
    problem = check.ok ? "unknown" : check.reason;
    const budget = instruction.requiredLength === null ? "" : `, budgets adding up to ${describeLength(instruction.requiredLength, instruction.language)}`;
    messages = [
      ask,
      { role: "assistant", content: result.text },
      { role: "user", content: fillTemplate(prompts.replan, { problem, limits: `between ${planLimits.minSteps ?? 1} and ${maxSteps} sections${budget}` }) },
    ];
  }
  throw new AgentWriteError("plan", "plan_invalid", `no usable plan after ${attempts} attempt(s): ${problem}`);
}

/**
 * Wraps an LLM failure as a stage failure (keeping its kind); other errors pass through, and so do
 * failures that stop the whole run (a rejected key, an unknown model: every other call would fail too).
 */
export function asStageError(error: unknown, stage: "plan" | "write", section?: number): unknown {
  if (error instanceof AgentWriteError || stopsTheRun(error)) return error;
  const kind = (error as { kind?: unknown }).kind;
  if (typeof kind === "string" && kind !== "aborted" && "retryable" in (error as object)) {
    return new AgentWriteError(stage, kind as AgentWriteError["kind"], (error as Error).message, {
      cause: error,
      section,
    });
  }
  return error;
}
