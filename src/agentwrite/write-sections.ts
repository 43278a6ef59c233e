/**
 * @module agentwrite/write-sections — AgentWrite step II: write the plan's sections in order. Each call
 * sees the instruction, the whole plan, all text so far and the current step; labels the model adds
 * are stripped; sections are joined with blank lines.
 */
import type { LlmClient } from "../llm/client.js";
import type { Instruction } from "../schemas/instruction.js";
import type { Plan } from "../schemas/plan.js";
import { countWords } from "../text/count-words.js";
import { callWithRetries } from "./call-with-retries.js";
import { AgentWriteError } from "./errors.js";
import { formatPlan, formatStep } from "./parse-plan.js";
import { asStageError, type CallSettings } from "./plan-instruction.js";
import { fillTemplate, type AgentWritePrompts } from "./prompts.js";
import { stripSectionLabel } from "./strip-section-label.js";

export interface WrittenSection {
  index: number;
  /** The plan's budget for it (null when the plan gave none). */
  budget: number | null;
  words: number;
}

export interface WrittenText {
  text: string;
  sections: WrittenSection[];
  usage: { promptTokens: number; completionTokens: number };
  costUsd: number;
}

/**
 * Writes every section of `plan`, calling `onSection` after each.
 * @throws AgentWriteError (stage "write", with the section number) when a call fails or a section is empty.
 */
export async function writeSections(options: {
  client: LlmClient;
  instruction: Instruction;
  plan: Plan;
  prompts: AgentWritePrompts;
  settings?: CallSettings;
  onSection?: (section: WrittenSection, of: number) => void;
}): Promise<WrittenText> {
  const { client, instruction, plan, prompts, settings = {}, onSection } = options;
  const unit = instruction.language === "zh" ? "字" : "words";
  const planText = formatPlan(plan, unit);
  const sections: WrittenSection[] = [];
  const usage = { promptTokens: 0, completionTokens: 0 };
  let costUsd = 0;
  let text = "";
  for (const step of plan.steps) {
    const content = fillTemplate(prompts.write, { instruction: instruction.prompt, plan: planText, text, step: formatStep(step, unit) });
    let result;
    try {
      result = await callWithRetries({
        client,
        request: {
          messages: [{ role: "user", content }],
          temperature: settings.temperature,
          maxTokens: settings.maxTokens,
          tag: `write ${instruction.id} section ${step.index}/${plan.steps.length}`,
        },
        retries: settings.callRetries,
        signal: settings.signal,
      });
    } catch (error) {
      throw asStageError(error, "write", step.index);
    }
    usage.promptTokens += result.usage.promptTokens;
    usage.completionTokens += result.usage.completionTokens;
    costUsd += result.costUsd;
    const body = stripSectionLabel(result.text);
    if (body === "") {
      throw new AgentWriteError("write", "empty_section", `section ${step.index} is empty once its label is removed`, { section: step.index });
    }
    const section: WrittenSection = { index: step.index, budget: step.words, words: countWords(body) };
    sections.push(section);
    text = text === "" ? body : `${text}\n\n${body}`;
    onSection?.(section, plan.steps.length);
  }
  return { text, sections, usage, costUsd };
}
