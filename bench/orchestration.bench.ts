/**
 * @module bench/orchestration.bench — AgentWrite orchestration overhead: instructions × 8 sections
 * against the loopback OpenAI-compatible server with 200 ms latency, at concurrency 1, 8 and 32.
 * Throughput is read against its bound (concurrency / latency); CPU per call is the client's own
 * (the server runs in this process, the measured job in a child).
 */
import { rm } from "node:fs/promises";
import { startOpenAiServer, type Respond } from "../test/helpers/openai-server.js";
import { formatMb, formatMs, markdownTable } from "./lib/markdown.js";
import { measureNode } from "./lib/measure.js";
import { scaled, workDir } from "./lib/scale.js";
import { scheduleModel } from "./lib/schedule-model.js";
import { loadAgentWritePrompts } from "../src/agentwrite/prompts.js";
import type { BenchSection } from "./run.js";

const LATENCY_MS = 200;
export const SECTIONS = 8;
const PARAGRAPH = "The bridge carried more than traffic; it carried the habits of a town that had learned to cross water twice a day. ".repeat(6).trim();

/** 8-section plans, ~130-word sections: enough text for realistic prompt growth, little server work (shared with llm-cost.bench). */
export const respond: Respond = (body) => {
  const prompt = body.messages[0]!.content;
  if (prompt.startsWith("You are planning")) {
    return Array.from({ length: SECTIONS }, (_, i) => `Section ${i + 1} | 300 words | Part ${i + 1} of the argument`).join("\n");
  }
  return PARAGRAPH;
};

interface JobResult {
  calls: number;
  done: number;
  failed: number;
  runMs: number;
  runCpuMs: number;
}

export default async function orchestrationBench(): Promise<BenchSection> {
  const server = await startOpenAiServer({ respond, latencyMs: LATENCY_MS, record: false });
  const dir = await workDir("orchestration");
  const rows: Array<Array<string | number>> = [];
  try {
    for (const concurrency of [1, 8, 32]) {
      // Concurrency 1 at the full 200 instructions would take 6 minutes of pure waiting; it runs 25.
      const instructions = concurrency === 1 ? scaled(25, 2) : scaled(200, 4);
      const m = await measureNode({ script: "bench/jobs/orchestration.ts", args: [server.baseURL, String(instructions), String(concurrency), dir] });
      const r = m.result as JobResult;
      if (r.failed > 0 || r.calls !== instructions * (SECTIONS + 1)) {
        throw new Error(`orchestration c=${concurrency}: ${r.failed} failed, ${r.calls} calls (expected ${instructions * (SECTIONS + 1)})`);
      }
      const bound = concurrency / (LATENCY_MS / 1000);
      const rate = r.calls / (r.runMs / 1000);
      rows.push([
        concurrency,
        `${instructions} × ${SECTIONS}`,
        r.calls,
        formatMs(r.runMs),
        `${rate.toFixed(1)} /s`,
        `${bound.toFixed(0)} /s`,
        `${((rate / bound) * 100).toFixed(1)} %`,
        `${(r.runCpuMs / r.calls).toFixed(2)} ms`,
        formatMb(m.peakRssMb),
      ]);
    }
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
  // The scheduling alone, in virtual time (machine- and load-independent): one instruction per call slot
  // and first come first served (the toolkit before ranked slots) against runAgentWrite's defaults now.
  const prompts = await loadAgentWritePrompts();
  const modelRows: Array<Array<string | number>> = [];
  for (const concurrency of [8, 32, 64]) {
    for (const [label, parallel, ranked] of [
      ["1 × concurrency, first come first served", concurrency, false],
      ["2 × concurrency, ranked (default)", 2 * concurrency, true],
    ] as const) {
      const instructions = 200;
      const r = await scheduleModel({
        instructions,
        concurrency,
        parallel,
        ranked,
        prompts,
        respond: (prompt) => respond({ messages: [{ role: "user", content: prompt }] } as never, undefined as never) as string,
      });
      modelRows.push([concurrency, instructions, label, r.calls, r.rounds, r.floor.toFixed(2), `${((r.floor / r.rounds) * 100).toFixed(1)} %`]);
    }
  }
  return {
    title: "AgentWrite orchestration",
    markdown: [
      `AgentWrite (plan + ${SECTIONS} serial sections per instruction; runAgentWrite's defaults: 2 × concurrency instructions in flight,`,
      "waiting calls ranked oldest instruction first, then most calls left once the input has ended) through the real openai SDK with",
      `streaming, against the loopback test server answering every call after ${LATENCY_MS} ms. The bound is concurrency ÷ latency`,
      'calls per second; "share" is how much of it the run reached (calls ÷ run wall time, process start-up excluded). CPU per call',
      "is the client process's CPU inside the run ÷ calls (journal appends, SDK, SSE parsing, prompt building, word counts).",
      "Concurrency 1 runs 25 instructions instead of 200 (the bound makes 200 a 6-minute wait); the share does not depend on the count.",
      "",
      markdownTable(["concurrency", "instructions × sections", "calls", "run wall", "calls/s", "bound", "share of bound", "CPU / call", "peak RSS"], rows, [
        "r",
        "l",
        "r",
        "r",
        "r",
        "r",
        "r",
        "r",
        "r",
      ]),
      "",
      "The scheduling alone, in virtual time (`bench/lib/schedule-model.ts`: the real `agentWrite` and limiter, a stub client",
      "whose every call takes one tick; time moves only when nothing else can run, so these rows do not depend on the machine",
      "or its load). Rounds are ticks; the floor is calls ÷ concurrency; the share is floor ÷ rounds, the most the scheduling",
      "lets the HTTP run above reach.",
      "",
      markdownTable(["concurrency", "instructions", "instructions in flight, call order", "calls", "rounds", "floor", "share of bound"], modelRows, [
        "r",
        "r",
        "l",
        "r",
        "r",
        "r",
        "r",
      ]),
    ].join("\n"),
  };
}
