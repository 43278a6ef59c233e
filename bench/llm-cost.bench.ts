/**
 * @module bench/llm-cost.bench — what the orchestration bench's AgentWrite workload would cost on a paid
 * API, from the usage the server reports: direct at list price, direct with the prompts' cached
 * prefixes at the cached-input price (the test server simulates OpenAI's automatic prefix cache:
 * ≥ 1,024 tokens, 128-token steps), and through the Batch API (half price). The same workload runs once
 * directly and once with batches; the toolkit's own price code (costOf) does the pricing.
 */
import { rm } from "node:fs/promises";
import { costOf, type PriceTable } from "../src/llm/prices.js";
import { startOpenAiServer } from "../test/helpers/openai-server.js";
import { markdownTable } from "./lib/markdown.js";
import { measureNode } from "./lib/measure.js";
import { scaled, workDir } from "./lib/scale.js";
import { respond, SECTIONS } from "./orchestration.bench.js";
import type { BenchSection } from "./run.js";

/** gpt-4o (2024-08-06) list prices, USD per 1M tokens; batch = half (the Batch API's discount). */
const PRICES: PriceTable = { "bench-model": { input: 2.5, cachedInput: 1.25, output: 10 } };

interface Usage {
  done: number;
  failed: number;
  calls: number;
  batchCalls: number;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
}

export default async function llmCostBench(): Promise<BenchSection> {
  const instructions = scaled(200, 4);
  const server = await startOpenAiServer({ respond, record: false, prefixCache: { minTokens: 1024, blockTokens: 128 } });
  const dir = await workDir("llm-cost");
  const runs: Record<string, Usage> = {};
  let batches = 0;
  try {
    for (const mode of ["direct", "batch"] as const) {
      const m = await measureNode({ script: "bench/jobs/agentwrite-usage.ts", args: [server.baseURL, String(instructions), mode, dir] });
      const usage = m.result as Usage;
      if (usage.failed > 0 || usage.calls !== instructions * (SECTIONS + 1)) throw new Error(`llm-cost ${mode}: ${usage.failed} failed, ${usage.calls} calls`);
      runs[mode] = usage;
    }
    batches = server.batch.batches.length;
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
  const direct = runs.direct!;
  const batch = runs.batch!;
  if (batch.promptTokens !== direct.promptTokens || batch.completionTokens !== direct.completionTokens) {
    throw new Error("the batch run reported different token counts from the direct run");
  }
  const usd = (value: number): string => `$${value.toFixed(4)}`;
  const full = costOf(PRICES, "bench-model", { promptTokens: direct.promptTokens, completionTokens: direct.completionTokens });
  const cached = costOf(PRICES, "bench-model", direct);
  const batched = costOf(PRICES, "bench-model", { promptTokens: batch.promptTokens, completionTokens: batch.completionTokens }, { batch: true });
  const perInstruction = (value: number): string => `$${((value / instructions) * 1000).toFixed(2)}`;
  const rows = [
    ["direct, no prefix cache (list price)", usd(full), perInstruction(full), "1.00×"],
    [
      `direct, cached prefixes (${((direct.cachedTokens / direct.promptTokens) * 100).toFixed(1)} % of prompt tokens cached)`,
      usd(cached),
      perInstruction(cached),
      `${(cached / full).toFixed(2)}×`,
    ],
    ["--batch (Batch API price, no cache)", usd(batched), perInstruction(batched), `${(batched / full).toFixed(2)}×`],
  ];
  return {
    title: "AgentWrite cost: direct vs batch vs cached prefixes",
    markdown: [
      `The orchestration bench's workload (${instructions} instructions, plan + ${SECTIONS} serial ~130-word sections each, ${direct.calls} calls)`,
      `run twice through the library: directly (${direct.calls} chat calls) and with \`batch\` (${batch.batchCalls} calls in ${batches} batches: plans, then one per section index).`,
      `Recorded usage: ${direct.promptTokens} prompt tokens (${direct.cachedTokens} served from the simulated prefix cache on the direct path)`,
      `and ${direct.completionTokens} completion tokens; the batch run reported the same counts. Priced with gpt-4o's list prices`,
      "(input $2.50, cached input $1.25, output $10 per 1M tokens; batch half of input and output) by the toolkit's `costOf`.",
      "The test server counts 4 characters a token. Sections here are short (~130 words); LongWriter's are ~500 words, so real",
      "write prompts pass the 1,024-token cache minimum sooner and the cached share is higher (see docs/batch.md).",
      "",
      markdownTable(["path", "cost of this run", "per 1,000 instructions", "vs list"], rows, ["l", "r", "r", "r"]),
    ].join("\n"),
  };
}
