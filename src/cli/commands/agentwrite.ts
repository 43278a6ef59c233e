/**
 * @module cli/commands/agentwrite — `longwriter agentwrite <instructions> --out <file> --model M`:
 * plan-then-write long answers for each instruction; resumable through the journal beside the output.
 */
import { cliProgress } from "../cli-progress.js";
import { readFile } from "node:fs/promises";
import type { CommandModule } from "yargs";
import { loadAgentWritePrompts } from "../../agentwrite/prompts.js";
import { loadUpstreamAgentWritePrompts } from "../../agentwrite/upstream-prompts.js";
import { runAgentWrite } from "../../agentwrite/run-agentwrite.js";
import { estimateAgentWriteCost } from "../../agentwrite/agentwrite-cost.js";
import { costEstimateText } from "../../llm/cost-estimate.js";
import type { AgentWriteEvent } from "../../agentwrite/agent-write.js";
import type { LlmTotals } from "../../llm/client.js";
import { ConfigError } from "../../errors.js";
import { llmClientOptionsFromArgs, llmOptions, type LlmArgs } from "../llm-options.js";
import { budgetMessage, spendText } from "../spend-text.js";
import { RESUME_FROM_JOURNAL, runCommand } from "../run-command.js";

interface AgentWriteArgs extends LlmArgs {
  instructions: string;
  out: string;
  failures?: string | undefined;
  prompts?: "upstream" | "toolkit" | undefined;
  "strip-labels": boolean;
  "upstream-dir"?: string | undefined;
  "plan-prompt"?: string | undefined;
  "write-prompt"?: string | undefined;
  "plan-attempts": number;
  "max-steps": number;
  "call-retries": number;
  temperature: number;
  "max-tokens": number;
  "skip-invalid": boolean;
  json: boolean;
}

export const agentwriteCommand: CommandModule<object, AgentWriteArgs> = {
  command: "agentwrite <instructions>",
  describe: "Write long answers by plan-then-write (AgentWrite) with any OpenAI-compatible model",
  builder: (yargs) =>
    yargs
      .positional("instructions", {
        type: "string",
        demandOption: true,
        describe: 'JSONL of Instruction records or LongWriter {"prompt": ...} lines',
      })
      .options({
        out: { type: "string", demandOption: true, describe: "Output JSONL of SftRecords (user + assistant), in input order" },
        failures: { type: "string", describe: "Failed instructions with reasons (default: <out>.failures.jsonl)" },
        prompts: {
          choices: ["upstream", "toolkit"] as const,
          describe:
            "upstream (default): LongWriter's plan.txt/write.txt and its loop, byte for byte (downloaded at the pinned commit); " +
            "toolkit: our prompts with plan parsing, length budgets and re-planning",
        },
        "strip-labels": {
          type: "boolean",
          default: true,
          describe: "upstream prompts: strip 'Paragraph N' labels from each section of the final answer (--no-strip-labels keeps the raw concatenation)",
        },
        "upstream-dir": {
          type: "string",
          describe: "Folder with local copies of upstream's plan.txt/write.txt (offline; sha256-checked; default $LONGWRITER_UPSTREAM_DIR)",
        },
        "plan-prompt": { type: "string", describe: "toolkit prompts: own plan template ({{instruction}}, {{length}})" },
        "write-prompt": { type: "string", describe: "toolkit prompts: own write template ({{instruction}}, {{plan}}, {{text}}, {{step}})" },
        "plan-attempts": { type: "number", default: 3, describe: "toolkit prompts: plan requests per instruction before it counts as failed" },
        "max-steps": {
          type: "number",
          default: 50,
          describe: "toolkit prompts: plans with more sections are rejected (re-asked); upstream's limit is 50 lines",
        },
        "call-retries": { type: "number", default: 2, describe: "Extra tries of a call whose answer was cut off, empty or garbled" },
        temperature: { type: "number", default: 1, describe: "Sampling temperature for plan and write calls" },
        "max-tokens": { type: "number", default: 4096, describe: "max_tokens per call; a completion that hits it fails" },
        "skip-invalid": { type: "boolean", default: false, describe: "Skip invalid input lines instead of stopping" },
        json: { type: "boolean", default: false, describe: "Print a JSON summary on stdout" },
        ...llmOptions,
      })
      .example("$0 agentwrite prompts.jsonl --out sft.jsonl --model gpt-4o-2024-05-13", "LongWriter's AgentWrite on OpenAI (OPENAI_API_KEY)")
      .example("$0 agentwrite prompts.jsonl --out sft.jsonl --model gpt-4o --prompts toolkit", "our prompts (length budgets, re-planning)")
      .example("$0 agentwrite prompts.jsonl --out sft.jsonl --model qwen2.5 --base-url http://127.0.0.1:8000/v1 --concurrency 16", "a local vLLM server")
      .epilog(
        "Every finished LLM call is appended to <out>.journal.jsonl; run the same command again after a crash or kill and " +
          "it replays those calls for free, paying only for what is missing. Output files appear only when the run ends.",
      ),
  handler: runCommand(async (args: AgentWriteArgs, run) => {
    for (const name of ["plan-attempts", "max-steps", "max-tokens"] as const) {
      if (!Number.isInteger(args[name]) || args[name] < 1) throw new ConfigError(`--${name} must be a positive integer, got ${args[name]}`);
    }
    if (!Number.isInteger(args["call-retries"]) || args["call-retries"] < 0) {
      throw new ConfigError(`--call-retries must be an integer ≥ 0, got ${args["call-retries"]}`);
    }
    const llm = await llmClientOptionsFromArgs(args);
    const preset = args.prompts ?? "upstream";
    if (preset === "upstream" && (args["plan-prompt"] || args["write-prompt"])) {
      throw new ConfigError("--plan-prompt/--write-prompt replace the toolkit's templates; add --prompts toolkit to use them");
    }
    const prompts =
      preset === "upstream"
        ? await loadUpstreamAgentWritePrompts({
            localDir: args["upstream-dir"] || undefined,
            onDownload: (url) => process.stderr.write(`downloading ${url}\n`),
          })
        : await loadAgentWritePrompts({
            planFile: args["plan-prompt"] || undefined,
            writeFile: args["write-prompt"] || undefined,
          });
    if (args["dry-run"]) {
      const estimate = await estimateAgentWriteCost({
        input: args.instructions,
        model: args.model,
        prompts,
        prices: llm.prices,
        skipInvalid: args["skip-invalid"],
      });
      process.stdout.write(args.json ? `${JSON.stringify(estimate)}\n` : costEstimateText("agentwrite", estimate));
      return 0;
    }
    const progress = createProgress(await countLines(args.instructions));
    run.onEnd(progress.stop);
    const summary = await runAgentWrite({
      input: args.instructions,
      out: args.out,
      failuresPath: args.failures || undefined,
      llm,
      prompts,
      cleanup: args["strip-labels"] ? "strip-labels" : "none",
      planAttempts: args["plan-attempts"],
      planLimits: { maxSteps: args["max-steps"] },
      settings: {
        temperature: args.temperature,
        maxTokens: args["max-tokens"],
        callRetries: args["call-retries"],
        signal: run.signal,
      },
      skipInvalid: args["skip-invalid"],
      onEvent: progress.update,
    });
    progress.stop();
    const { llm: t } = summary;
    process.stderr.write(
      `agentwrite (${summary.prompts} prompts): ${summary.done} written, ${summary.failed} failed` +
        (summary.duplicates ? `, ${summary.duplicates} duplicate ids skipped` : "") +
        (summary.invalid.length ? `, ${summary.invalid.length} invalid lines skipped` : "") +
        ` | ${summary.sections} sections, ${summary.words} words | calls ${t.calls} (+${t.replayed} replayed, ${t.failed} failed)` +
        ` | ${spendText(t)} (saved $${t.savedCostUsd.toFixed(4)})\n` +
        `  → ${summary.out}${summary.failed ? `, failures → ${summary.failuresPath}` : ""}\n`,
    );
    if (summary.failed) {
      const kinds = Object.entries(summary.failuresByKind)
        .map(([k, n]) => `${k} ${n}`)
        .join(", ");
      process.stderr.write(`  failures by kind: ${kinds}\n`);
    }
    if (args.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    if (t.budgetReached) process.stderr.write(budgetMessage(t, args["max-cost"]!));
    return summary.failed > 0 ? 1 : 0;
  }, RESUME_FROM_JOURNAL),
};

/** Non-blank lines of the input (for the progress total); 0 if unreadable (the run reports the error). */
async function countLines(file: string): Promise<number> {
  try {
    const text = await readFile(file, "utf8");
    return text.split("\n").filter((line) => line.trim() !== "").length;
  } catch {
    return 0;
  }
}

function createProgress(total: number): { update: (event: AgentWriteEvent, llm: LlmTotals) => void; stop: () => void } {
  const started = Date.now();
  let done = 0;
  let failed = 0;
  let sections = 0;
  let lastLine = 0;
  if (process.stderr.isTTY) {
    const bar = new (cliProgress().SingleBar)(
      {
        // biome-ignore lint/suspicious/noTemplateCurlyInString: "$" is a dollar sign before cli-progress's {cost} placeholder
        format: "agentwrite [{bar}] {value}/{total} | failed {failed} | sections {sections} | tokens {tokens} | ${cost} | ETA {eta}",
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress().Presets.shades_classic,
    );
    bar.start(total, 0, { failed: 0, sections: 0, tokens: 0, cost: "0.00", eta: "?" });
    return {
      update(event, llm) {
        if (event.type === "section") sections += 1;
        if (event.type === "failed") failed += 1;
        if (event.type === "done" || event.type === "failed") done += 1;
        bar.update(done, {
          failed,
          sections,
          tokens: llm.promptTokens + llm.completionTokens,
          cost: llm.costUsd.toFixed(2),
          eta: etaText(started, done, total),
        });
      },
      stop: () => bar.stop(),
    };
  }
  return {
    update(event, llm) {
      if (event.type === "section") sections += 1;
      if (event.type === "failed") failed += 1;
      if (event.type !== "done" && event.type !== "failed") return;
      done += 1;
      const now = Date.now();
      if (now - lastLine < 2000 && done !== total) return;
      lastLine = now;
      const eta = total > done ? `, ETA ${etaText(started, done, total)}` : "";
      process.stderr.write(
        `agentwrite: ${done}/${total || "?"} instructions (failed ${failed}), ${sections} sections, ` +
          `tokens ${llm.promptTokens + llm.completionTokens}, $${llm.costUsd.toFixed(4)}${eta}\n`,
      );
    },
    stop: () => undefined,
  };
}

/** Remaining time from the average pace so far ("?" before the first instruction finishes). */
function etaText(started: number, done: number, total: number): string {
  if (done === 0 || total <= done) return done === 0 ? "?" : "0s";
  const seconds = Math.round((((Date.now() - started) / done) * (total - done)) / 1000);
  return seconds >= 3600
    ? `${Math.floor(seconds / 3600)}h${Math.round((seconds % 3600) / 60)}m`
    : seconds >= 60
      ? `${Math.floor(seconds / 60)}m${seconds % 60}s`
      : `${seconds}s`;
}
