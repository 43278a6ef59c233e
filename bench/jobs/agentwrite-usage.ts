/**
 * @module bench/jobs/agentwrite-usage — one AgentWrite run (library, real openai SDK) against the test
 * server at `baseURL`, direct or through the Batch API, printing the token usage the server reported.
 * Usage: agentwrite-usage.ts <baseURL> <instructions> <direct|batch> <workDir>
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadAgentWritePrompts } from "../../src/agentwrite/prompts.js";
import { runAgentWrite } from "../../src/agentwrite/run-agentwrite.js";

const [baseURL, countArg, mode, dir] = process.argv.slice(2);
const count = Number(countArg);
const input = join(dir!, `instructions-${count}.jsonl`);
writeFileSync(input, Array.from({ length: count }, (_, i) => JSON.stringify({ prompt: `Write a long essay, part ${i}.` })).join("\n") + "\n");
const summary = await runAgentWrite({
  input,
  out: join(dir!, `out-${mode}.jsonl`),
  journalPath: join(dir!, `journal-${mode}-${Date.now()}.jsonl`), // fresh: nothing replayed
  llm: {
    baseURL: baseURL!,
    model: "bench-model",
    env: {},
    concurrency: 32,
    timeoutMs: 30_000,
    ...(mode === "batch" ? { batch: { pollIntervalSec: 0.05 } } : {}),
  },
  prompts: await loadAgentWritePrompts(),
});
const { calls, batchCalls, promptTokens, cachedTokens, completionTokens } = summary.llm;
console.log(JSON.stringify({ done: summary.done, failed: summary.failed, calls, batchCalls, promptTokens, cachedTokens, completionTokens }));
