/** @module agentwrite/errors — why an instruction could not be written (recorded in the failures file). */
import { ToolkitError } from "../errors.js";
import type { LlmFailureKind } from "../llm/errors.js";

export type AgentWriteStage = "plan" | "write";
export type AgentWriteFailureKind = LlmFailureKind | "plan_invalid" | "empty_section";

/** One failed instruction, as written to `<out>.failures.jsonl`. */
export interface AgentWriteFailure {
  id: string;
  prompt: string;
  stage: AgentWriteStage;
  /** 1-based section being written when it failed (write stage). */
  section?: number;
  kind: AgentWriteFailureKind;
  reason: string;
}

/** Thrown inside a run for an instruction that cannot be completed; the run records it and goes on. */
export class AgentWriteError extends ToolkitError {
  readonly stage: AgentWriteStage;
  readonly kind: AgentWriteFailureKind;
  readonly section: number | undefined;
  constructor(stage: AgentWriteStage, kind: AgentWriteFailureKind, message: string, options: { section?: number | undefined; cause?: unknown } = {}) {
    super(message, { cause: options.cause, code: `agentwrite_${kind}` });
    this.name = "AgentWriteError";
    this.stage = stage;
    this.kind = kind;
    this.section = options.section;
  }
}
