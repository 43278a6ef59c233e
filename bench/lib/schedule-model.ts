/**
 * @module bench/lib/schedule-model — AgentWrite's call scheduling alone, in virtual time: the real
 * `agentWrite` and the real limiter, with a stub client whose every call takes exactly one tick. Time
 * moves to the next tick only when nothing else can run, so the result (ticks, i.e. rounds of calls) does
 * not depend on the machine or its load: the share of the concurrency bound that the scheduling allows.
 */
import { agentWrite } from "../../src/agentwrite/agent-write.js";
import type { AgentWritePrompts } from "../../src/agentwrite/prompts.js";
import type { ChatRequest, LlmClient } from "../../src/llm/client.js";
import { emptyTotals } from "../../src/llm/spend-ledger.js";
import type { Instruction } from "../../src/schemas/instruction.js";
import { createLimiter } from "../../src/util/limiter.js";

export interface ScheduleResult {
  calls: number;
  /** Ticks (rounds of calls) the run took. */
  rounds: number;
  /** calls ÷ concurrency: the fewest rounds possible. */
  floor: number;
}

/**
 * Runs `instructions` instructions (answers from `respond`) with `concurrency` call slots and `parallel`
 * instructions in flight; `ranked: false` drops the calls' priorities (first come, first served).
 */
export async function scheduleModel(options: {
  instructions: number;
  concurrency: number;
  parallel: number;
  ranked: boolean;
  prompts: AgentWritePrompts;
  respond: (prompt: string) => string;
}): Promise<ScheduleResult> {
  const { concurrency, ranked } = options;
  const limiter = createLimiter({ concurrency });
  let now = 0;
  let due: Array<{ at: number; resolve: () => void }> = [];
  let finished = false;
  // Runs after the I/O and immediate callbacks of a loop turn (the limiter hands out slots in setImmediate).
  const tick = (): void => {
    if (finished) return;
    if (due.length > 0) {
      now = Math.min(...due.map((d) => d.at));
      const ready = due.filter((d) => d.at === now);
      due = due.filter((d) => d.at !== now);
      for (const d of ready) d.resolve();
    }
    setTimeout(tick, 0);
  };
  setTimeout(tick, 0);
  let calls = 0;
  const client: LlmClient = {
    model: "model",
    chat: (request: ChatRequest) =>
      limiter.run(
        async () => {
          await new Promise<void>((resolve) => due.push({ at: now + 1, resolve }));
          calls += 1;
          const text = options.respond(request.messages[0]!.content);
          return { text, finishReason: "stop", model: "model", usage: { promptTokens: 1, completionTokens: 1 }, costUsd: 0, replayed: false, key: "" };
        },
        { priority: ranked ? request.priority : undefined },
      ),
    totals: () => emptyTotals(),
    close: async () => undefined,
  };
  const instructions: Instruction[] = Array.from({ length: options.instructions }, (_, i) => ({
    id: `i${i}`,
    prompt: `Write a long essay, part ${i}.`,
    requiredLength: null,
    language: "en",
  }));
  try {
    for await (const event of agentWrite({ client, instructions, prompts: options.prompts, parallel: options.parallel })) {
      if (event.type === "failed") throw new Error(`schedule model: ${event.id} failed: ${event.failure.reason}`);
    }
  } finally {
    finished = true;
  }
  return { calls, rounds: now, floor: calls / concurrency };
}
