/**
 * @module bench/jobs/orchestration — one AgentWrite run (library, real openai SDK, streaming) against
 * the test server at `baseURL`: N instructions planned into 8 sections each. Prints calls, wall time of
 * the run itself (start-up excluded) and the CPU spent inside the run.
 * Usage: orchestration.ts <baseURL> <instructions> <concurrency> <workDir>
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadAgentWritePrompts } from "../../src/agentwrite/prompts.js";
import { runAgentWrite } from "../../src/agentwrite/run-agentwrite.js";

const [baseURL, countArg, concurrencyArg, dir] = process.argv.slice(2);
const count = Number(countArg);
const concurrency = Number(concurrencyArg);
const input = join(dir!, `instructions-${count}.jsonl`);
writeFileSync(input, Array.from({ length: count }, (_, i) => JSON.stringify({ prompt: `Write a long essay, part ${i}.` })).join("\n") + "\n");
const out = join(dir!, `out-c${concurrency}.jsonl`);
const prompts = await loadAgentWritePrompts();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const summary = await runAgentWrite({
  input,
  out,
  journalPath: join(dir!, `journal-c${concurrency}-${Date.now()}.jsonl`), // fresh: nothing replayed
  llm: { baseURL: baseURL!, model: "bench-model", env: {}, concurrency, timeoutMs: 30_000 },
  prompts,
});
const runMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    calls: summary.llm.calls,
    done: summary.done,
    failed: summary.failed,
    sections: summary.sections,
    runMs,
    runCpuMs: (cpu.user + cpu.system) / 1000,
  }),
);
