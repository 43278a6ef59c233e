/**
 * @module agentwrite/upstream-prompts — LongWriter's own AgentWrite prompts (`agentwrite/prompts/plan.txt`
 * and `write.txt` at the pinned commit), downloaded and checked like the benchmark files, and filled the
 * way upstream's scripts fill them.
 */
import { replaceInOrder } from "../upstream/python-text.js";
import { readUpstreamText, type ResolveUpstreamFileOptions } from "../upstream/upstream-files.js";

/** The upstream prompt pair (`--prompts upstream`). */
export interface UpstreamAgentWritePrompts {
  preset: "upstream";
  /** plan.txt; placeholder `$INST$`. */
  plan: string;
  /** write.txt; placeholders `$INST$`, `$PLAN$`, `$TEXT$`, `$STEP$`. */
  write: string;
  /** sha256 of each file and where it was read from (download, cache or a local folder). */
  files: { plan: { sha256: string; from: string }; write: { sha256: string; from: string } };
}

/** Resolves upstream's plan.txt and write.txt (local folder, cache or download; sha256-checked). */
export async function loadUpstreamAgentWritePrompts(options: Omit<ResolveUpstreamFileOptions, "name"> = {}): Promise<UpstreamAgentWritePrompts> {
  const plan = await readUpstreamText({ ...options, name: "plan.txt" });
  const write = await readUpstreamText({ ...options, name: "write.txt" });
  return {
    preset: "upstream",
    plan: plan.text,
    write: write.text,
    files: { plan: { sha256: plan.sha256, from: plan.from }, write: { sha256: write.sha256, from: write.from } },
  };
}

/** Upstream's plan request: plan.txt with `$INST$` replaced by the instruction. */
export function upstreamPlanRequest(prompts: UpstreamAgentWritePrompts, instruction: string): string {
  return replaceInOrder(prompts.plan, [["$INST$", instruction]]);
}

/**
 * Upstream's write request for one step: `$INST$`, `$PLAN$`, `$TEXT$`, `$STEP$` replaced in that order.
 * `plan` is the normalised plan, `text` the earlier responses each followed by "\n\n" and then stripped,
 * `step` the stripped plan line (the caller prepares them; see write-upstream).
 */
export function upstreamWriteRequest(
  prompts: UpstreamAgentWritePrompts,
  values: { instruction: string; plan: string; text: string; step: string },
): string {
  return replaceInOrder(prompts.write, [
    ["$INST$", values.instruction],
    ["$PLAN$", values.plan],
    ["$TEXT$", values.text],
    ["$STEP$", values.step],
  ]);
}
