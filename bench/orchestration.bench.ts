/**
 * @module bench/orchestration.bench — AgentWrite orchestration overhead: instructions × 8 sections
 * against the loopback OpenAI-compatible server with 200 ms latency, at concurrency 1, 8 and 32.
 * Throughput is read against its bound (concurrency / latency). Where things run: the test server in
 * this (the harness) process, each measured job in a child process of its own, so "client CPU" is the
 * child's alone (process.cpuUsage inside the run) and the server's CPU is this process's over the same
 * job, reported beside it; both share the machine's cores. Per-call CPU anchors in the same run: bare
 * node:http, the openai SDK over Node's fetch, the SDK over our transport, and the toolkit's client.
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

interface RunResult {
  calls: number;
  done: number;
  failed: number;
  runMs: number;
  runCpuMs: number;
}

/** bench/jobs/orchestration.mjs's output: the first run in a fresh process, and a second one when asked. */
interface JobResult extends RunResult {
  warm?: RunResult;
}

interface LoopResult {
  mode: string;
  calls: number;
  runMs: number;
  runCpuMs: number;
  runSystemMs: number;
}

/** The per-call anchors (bench/jobs/llm-call-loop.ts), in the order they run. */
const LOOP_MODES = [
  ["node-http", "bare node:http, whole SSE body read (no SDK: the floor)"],
  ["sdk-fetch", "openai SDK, Node's fetch (as a user would write it)"],
  ["sdk-node-http", "openai SDK over the client's transport (llm/node-http-fetch)"],
  ["client", "the toolkit's client (createLlmClient + journal)"],
] as const;

/** Runs a job while the server answers in this process; the server's CPU over the job is this process's. */
async function measureWithServer(script: string, args: string[]) {
  const cpu0 = process.cpuUsage();
  const m = await measureNode({ script, args });
  const cpu = process.cpuUsage(cpu0);
  return { m, serverCpuMs: (cpu.user + cpu.system) / 1000 };
}

/** The token-stream loops: every answer is this many one-token SSE events, one write each, this far apart. */
const TOKEN_EVENTS = 200;
const TOKEN_INTERVAL_MS = 2;
/** Fresh processes run at concurrency 32; the median is reported. */
const C32_PROCESSES = 3;

export default async function orchestrationBench(): Promise<BenchSection> {
  const server = await startOpenAiServer({ respond, latencyMs: LATENCY_MS, record: false });
  // As a hosted API streams: one event per token over time (the test server's drip reply ends with "stop").
  const tokenServer = await startOpenAiServer({
    respond: () => ({ fault: "drip", intervalMs: TOKEN_INTERVAL_MS, chunks: TOKEN_EVENTS, text: "word " }),
    record: false,
  });
  const tokenRows: Array<Array<string | number>> = [];
  const dir = await workDir("orchestration");
  const rows: Array<Array<string | number>> = [];
  const loopRows: Array<Array<string | number>> = [];
  let sdkFetchCpu = Number.NaN;
  let awCpuC32 = Number.NaN;
  let awCpuC32Warm = Number.NaN;
  /** Fresh-process CPU per call of each c=32 process, ascending. */
  let c32Spread = "";
  try {
    const loopCalls = scaled(1000, 64);
    const loops: Array<{ label: string; r: LoopResult; serverCpuMs: number }> = [];
    for (const [mode, label] of LOOP_MODES) {
      const { m, serverCpuMs } = await measureWithServer("bench/jobs/llm-call-loop.ts", [server.baseURL, mode, String(loopCalls), "32", dir]);
      const r = m.result as LoopResult;
      if (mode === "sdk-fetch") sdkFetchCpu = r.runCpuMs / r.calls;
      loops.push({ label, r, serverCpuMs });
    }
    for (const { label, r, serverCpuMs } of loops) {
      const perCall = r.runCpuMs / r.calls;
      loopRows.push([
        label,
        r.calls,
        `${perCall.toFixed(2)} ms`,
        `${(r.runSystemMs / r.calls).toFixed(2)} ms`,
        `${(serverCpuMs / r.calls).toFixed(2)} ms`,
        `${(perCall / sdkFetchCpu).toFixed(2)}×`,
      ]);
    }
    const tokenCalls = scaled(320, 64);
    let tokenSdkFetchCpu = Number.NaN;
    const tokenLoops: Array<{ label: string; r: LoopResult }> = [];
    for (const [mode, label] of LOOP_MODES) {
      const { m } = await measureWithServer("bench/jobs/llm-call-loop.ts", [tokenServer.baseURL, mode, String(tokenCalls), "32", dir]);
      const r = m.result as LoopResult;
      if (mode === "sdk-fetch") tokenSdkFetchCpu = r.runCpuMs / r.calls;
      tokenLoops.push({ label, r });
    }
    for (const { label, r } of tokenLoops) {
      const perCall = r.runCpuMs / r.calls;
      tokenRows.push([
        label,
        r.calls,
        `${perCall.toFixed(2)} ms`,
        `${((perCall / TOKEN_EVENTS) * 1000).toFixed(1)} µs`,
        `${(perCall / tokenSdkFetchCpu).toFixed(2)}×`,
      ]);
    }
    for (const concurrency of [1, 8, 32]) {
      // Concurrency 1 at the full 200 instructions would take 6 minutes of pure waiting; it runs 25.
      const instructions = concurrency === 1 ? scaled(25, 2) : scaled(200, 4);
      // At 32, a second run in the same process: what each call costs once V8 has compiled and optimised the code.
      const runs = concurrency === 32 ? 2 : 1;
      // At 32 (the row the targets are read from) three fresh processes, the median by CPU per call reported:
      // one process's CPU varies by ±15% from run to run on this VM.
      const jobs: Array<{ m: Awaited<ReturnType<typeof measureNode>>; serverCpuMs: number }> = [];
      for (let i = 0; i < (concurrency === 32 ? C32_PROCESSES : 1); i++) {
        jobs.push(await measureWithServer("bench/jobs/orchestration.mjs", [server.baseURL, String(instructions), String(concurrency), dir, String(runs)]));
      }
      const cpuPerCall = (j: (typeof jobs)[number]): number => (j.m.result as JobResult).runCpuMs / (j.m.result as JobResult).calls;
      jobs.sort((a, b) => cpuPerCall(a) - cpuPerCall(b));
      const { m, serverCpuMs } = jobs[Math.floor(jobs.length / 2)]!;
      if (jobs.length > 1) c32Spread = jobs.map((j) => cpuPerCall(j).toFixed(2)).join(", ");
      const job = m.result as JobResult;
      const bound = concurrency / (LATENCY_MS / 1000);
      const runRows: Array<[string, RunResult]> = [[String(concurrency), job]];
      if (job.warm) runRows.push([`${concurrency}, second run (same process)`, job.warm]);
      for (const [label, r] of runRows) {
        if (r.failed > 0 || r.calls !== instructions * (SECTIONS + 1)) {
          throw new Error(`orchestration c=${label}: ${r.failed} failed, ${r.calls} calls (expected ${instructions * (SECTIONS + 1)})`);
        }
        const rate = r.calls / (r.runMs / 1000);
        rows.push([
          label,
          `${instructions} × ${SECTIONS}`,
          r.calls,
          formatMs(r.runMs),
          `${rate.toFixed(1)} /s`,
          `${bound.toFixed(0)} /s`,
          `${((rate / bound) * 100).toFixed(1)} %`,
          `${(r.runCpuMs / r.calls).toFixed(2)} ms`,
          // The server's CPU is measured over the whole job; with two runs it is split by calls.
          `${(serverCpuMs / (job.calls + (job.warm?.calls ?? 0))).toFixed(2)} ms`,
          `${(r.runCpuMs / r.calls / sdkFetchCpu).toFixed(2)}×`,
          formatMb(m.peakRssMb),
        ]);
      }
      if (concurrency === 32) {
        awCpuC32 = job.runCpuMs / job.calls;
        awCpuC32Warm = job.warm ? job.warm.runCpuMs / job.warm.calls : Number.NaN;
      }
    }
  } finally {
    await server.close();
    await tokenServer.close();
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
      "is the client process's CPU inside the run ÷ calls (journal appends, SDK, SSE parsing, prompt building, word counts); the",
      "test server runs in the harness process, not the client's, and its CPU over the same run is the next column (both share",
      "the machine's cores, so a loaded machine lowers the share). \"× bare SDK\" divides the client's CPU per call by the bare",
      "SDK loop's below (same run).",
      "Concurrency 1 runs 25 instructions instead of 200 (the bound makes 200 a 6-minute wait); the share does not depend on the count.",
      "Each row but one is the first run of a fresh process, so its CPU includes V8 compiling and optimising the SDK's, node:http's and",
      'our code over the first calls. "Second run" is 200 more instructions in the same process afterwards (new prompts, nothing',
      "replayed): the per-call cost of a long run (LongWriter-6k is ~6,000 instructions, tens of thousands of calls). The job runs",
      "the built library on plain node (`bench/jobs/orchestration.mjs`), as the CLI runs; its peak RSS covers both runs.",
      `The concurrency-32 rows are the median of ${C32_PROCESSES} fresh processes by client CPU per call (theirs: ${c32Spread} ms).`,
      "",
      markdownTable(
        [
          "concurrency",
          "instructions × sections",
          "calls",
          "run wall",
          "calls/s",
          "bound",
          "share of bound",
          "client CPU / call",
          "server CPU / call",
          "× bare SDK",
          "peak RSS",
        ],
        rows,
        ["r", "l", "r", "r", "r", "r", "r", "r", "r", "r", "r"],
      ),
      "",
      `Per-call CPU anchors, same server and run: ${LOOP_MODES.length} loops of streamed chat calls at concurrency 32, each call a fresh`,
      "3.4 KB prompt (the AgentWrite average above) and the same answer (`bench/jobs/llm-call-loop.ts`; warm-up calls excluded).",
      "The test server sends each answer as 8 SSE events in one write (role, 4 text pieces, finish, usage, [DONE]); a hosted API",
      "sends one event per token over time, which costs the SDK more per call than these rows show.",
      "",
      markdownTable(["loop", "calls", "client CPU / call", "of it system", "server CPU / call", "× bare SDK"], loopRows, ["l", "r", "r", "r", "r", "r"]),
      "",
      `The same loops against answers streamed as hosted APIs stream them: ${TOKEN_EVENTS} one-token events per answer, each its own`,
      `write, ${TOKEN_INTERVAL_MS} ms apart (the test server's drip reply), so the client reads about one event per network read.`,
      "Here the CPU follows the answer's length; the toolkit's client reads the events itself instead of through the SDK's stream",
      '(docs/decisions.md, "Streamed answers").',
      "",
      markdownTable(["loop", "calls", "client CPU / call", "per event", "× bare SDK"], tokenRows, ["l", "r", "r", "r", "r"]),
      "",
      `AgentWrite at concurrency 32 spends ${awCpuC32.toFixed(2)} ms of client CPU per call in a fresh process and ${awCpuC32Warm.toFixed(2)} ms`,
      `once warm, against ${sdkFetchCpu.toFixed(2)} ms for the bare SDK loop (warm).`,
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
