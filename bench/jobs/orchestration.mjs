/**
 * @module bench/jobs/orchestration — AgentWrite runs (the built library on plain node, real openai SDK,
 * streaming) against the test server at `baseURL`: N instructions planned into 8 sections each. Prints the
 * first run's calls, wall time (start-up excluded) and CPU inside the run; with `runs` = 2, a second run of
 * N new instructions in the same, now warm process (nothing replayed: new prompts, a fresh journal) as `warm`.
 * Plain JavaScript over the built package (`npm run build` first), as users run the CLI (see lib/measure).
 * Usage: orchestration.mjs <baseURL> <instructions> <concurrency> <workDir> [runs=1]
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { importPackage } from "../lib/import-built.mjs";

/** @type {typeof import("../../src/index.js")} */
const { loadAgentWritePrompts, runAgentWrite } = await importPackage();

const [baseURL, countArg, concurrencyArg, dir, runsArg = "1"] = process.argv.slice(2);
const count = Number(countArg);
const concurrency = Number(concurrencyArg);
const prompts = await loadAgentWritePrompts();

/** One AgentWrite run over `count` instructions of its own; CPU and wall inside the run only. */
async function run(index) {
  const input = join(dir, `instructions-${count}-run${index}.jsonl`);
  const lines = Array.from({ length: count }, (_, i) => JSON.stringify({ prompt: `Write a long essay, run ${index}, part ${i}.` }));
  writeFileSync(input, lines.join("\n") + "\n");
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const summary = await runAgentWrite({
    input,
    out: join(dir, `out-c${concurrency}-run${index}.jsonl`),
    journalPath: join(dir, `journal-c${concurrency}-run${index}-${Date.now()}.jsonl`), // fresh: nothing replayed
    llm: { baseURL, model: "bench-model", env: {}, concurrency, timeoutMs: 30_000 },
    prompts,
  });
  const runMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return {
    calls: summary.llm.calls,
    done: summary.done,
    failed: summary.failed,
    sections: summary.sections,
    runMs,
    runCpuMs: (cpu.user + cpu.system) / 1000,
    runSystemMs: cpu.system / 1000,
  };
}

const first = await run(0);
const warm = Number(runsArg) > 1 ? await run(1) : undefined;
console.log(JSON.stringify({ ...first, warm }));
