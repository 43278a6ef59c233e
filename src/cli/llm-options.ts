/**
 * @module cli/llm-options — the flags every LLM-calling command shares (--base-url, --model,
 * --api-key-env, --concurrency, --timeout (whole-call deadline), --idle-timeout, --max-retries, --max-retry-after, --prices,
 * --no-stream, --batch, --poll-interval, --max-cost, --dry-run) and their translation into `createLlmClient` options.
 * Flags win over OPENAI_BASE_URL / OPENAI_API_KEY.
 */
import type { Options } from "yargs";
import { ConfigError } from "../errors.js";
import type { LlmClientOptions } from "../llm/client.js";
import type { BatchProgress } from "../llm/batch-chat.js";
import { loadPrices } from "../llm/prices.js";

/** Parsed values of the shared LLM flags (an option not given is `undefined`, as yargs hands it over). */
export interface LlmArgs {
  "base-url"?: string | undefined;
  model: string;
  "api-key-env": string;
  concurrency: number;
  timeout: number;
  "idle-timeout": number;
  "max-retries": number;
  "max-retry-after": number;
  prices?: string | undefined;
  stream: boolean;
  batch: boolean;
  "poll-interval": number;
  "max-cost"?: number | undefined;
  "dry-run": boolean;
}

/** yargs option definitions; spread into a command's builder: `yargs.options(llmOptions)`. */
export const llmOptions = {
  "base-url": {
    type: "string",
    describe: "OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1 (default: $OPENAI_BASE_URL, else api.openai.com)",
    group: "Model endpoint:",
  },
  model: { type: "string", demandOption: true, describe: "Model name sent to the endpoint", group: "Model endpoint:" },
  "api-key-env": {
    type: "string",
    default: "OPENAI_API_KEY",
    describe: "Environment variable holding the API key (unset: no key is sent, fine for local servers)",
    group: "Model endpoint:",
  },
  concurrency: { type: "number", default: 4, describe: "LLM calls in flight at once", group: "Model endpoint:" },
  timeout: {
    type: "number",
    default: 3600,
    describe: "Whole-call deadline in seconds: a call still running after this long fails (however steadily chunks arrive)",
    group: "Model endpoint:",
  },
  "idle-timeout": {
    type: "number",
    default: 600,
    describe: "Seconds to wait for a response to start, and between streamed chunks",
    group: "Model endpoint:",
  },
  "max-retries": {
    type: "number",
    default: 2,
    describe: "HTTP retries per call on 408/409/429/5xx and connection errors (done by the openai SDK)",
    group: "Model endpoint:",
  },
  "max-retry-after": {
    type: "number",
    default: 60,
    describe: "Ceiling in seconds on a server's Retry-After before a retry",
    group: "Model endpoint:",
  },
  prices: {
    type: "string",
    describe: 'JSON price table, USD per 1M tokens: {"gpt-4o": {"input": 2.5, "output": 10}} (default: cost 0)',
    group: "Model endpoint:",
  },
  stream: {
    type: "boolean",
    default: true,
    describe: "Stream completions (SSE); --no-stream for servers without streaming",
    group: "Model endpoint:",
  },
  batch: {
    type: "boolean",
    default: false,
    describe: "Send the calls through the Batch API (half price, results within 24h); a killed run resumes its batches (docs/batch.md)",
    group: "Cost:",
  },
  "poll-interval": { type: "number", default: 30, describe: "Seconds between batch status polls (with --batch)", group: "Cost:" },
  "max-cost": {
    type: "number",
    describe: "Budget in USD (needs --prices): no call starts once spend + calls in flight could pass it; exit 1, re-run with more to continue",
    group: "Cost:",
  },
  "dry-run": {
    type: "boolean",
    default: false,
    describe: "Print the calls, estimated tokens and price (direct and batch) and exit without calling the model",
    group: "Cost:",
  },
} satisfies Record<string, Options>;

/** "2m05s" for a progress line. */
export function formatElapsed(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

/** The batch progress line written to stderr after every poll. */
export function batchProgressLine(progress: BatchProgress): string {
  return (
    `batch ${progress.batchId}: ${progress.status}, ${progress.completed}/${progress.total} done, ${progress.failed} failed, ` +
    `${formatElapsed(progress.elapsedMs)} elapsed${progress.openBatches > 1 ? ` (${progress.openBatches} batches open)` : ""}\n`
  );
}

/**
 * Checks the sampling flags a command takes (`--temperature`, `--top-p`): a value yargs could not read
 * as a number (`--temperature abc` is NaN) or one out of range is a usage error, never sent as null.
 */
export function checkSamplingFlags(args: { temperature?: number | undefined; "top-p"?: number | undefined }): void {
  const { temperature, "top-p": topP } = args;
  if (temperature !== undefined && !(Number.isFinite(temperature) && temperature >= 0 && temperature <= 2)) {
    throw new ConfigError(`--temperature must be a number in 0–2, got ${temperature}`);
  }
  if (topP !== undefined && !(Number.isFinite(topP) && topP > 0 && topP <= 1)) {
    throw new ConfigError(`--top-p must be a number in (0, 1], got ${topP}`);
  }
}

/** Validates the shared flags and builds client options (loading the price table if given). */
export async function llmClientOptionsFromArgs(
  args: LlmArgs & { temperature?: number | undefined; "top-p"?: number | undefined },
  extra: { journalPath?: string } = {},
): Promise<LlmClientOptions> {
  const positiveInt = (name: string, value: number): number => {
    if (!Number.isInteger(value) || value < 1) throw new ConfigError(`--${name} must be a positive integer, got ${value}`);
    return value;
  };
  const nonNegative = (name: string, value: number): number => {
    if (!Number.isFinite(value) || value < 0) throw new ConfigError(`--${name} must be a number ≥ 0, got ${value}`);
    return value;
  };
  if (!args.model || args.model.trim() === "") throw new ConfigError("--model must name a model");
  checkSamplingFlags(args);
  for (const name of ["timeout", "idle-timeout"] as const) {
    if (!(Number.isFinite(args[name]) && args[name] > 0)) throw new ConfigError(`--${name} must be a number of seconds > 0, got ${args[name]}`);
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(args["api-key-env"])) {
    // Never echo the value: people paste the key itself here by mistake.
    throw new ConfigError("--api-key-env must name an environment variable (letters, digits, _), not hold the key itself");
  }
  const options: LlmClientOptions = {
    model: args.model,
    apiKeyEnv: args["api-key-env"],
    concurrency: positiveInt("concurrency", args.concurrency),
    timeoutMs: Math.max(1, Math.round(args["idle-timeout"] * 1000)),
    deadlineMs: Math.max(1, Math.round(args.timeout * 1000)),
    maxRetries: Math.floor(nonNegative("max-retries", args["max-retries"])),
    maxRetryAfterMs: Math.round(nonNegative("max-retry-after", args["max-retry-after"]) * 1000),
    stream: args.stream,
  };
  if (args["base-url"]) options.baseURL = args["base-url"];
  if (args.prices) options.prices = await loadPrices(args.prices);
  if (extra.journalPath) options.journalPath = extra.journalPath;
  const warn = (message: string): void => void process.stderr.write(`warning: ${message}\n`);
  options.onWarning = warn;
  if (args["max-cost"] !== undefined) {
    if (!Number.isFinite(args["max-cost"]) || args["max-cost"] <= 0)
      throw new ConfigError(`--max-cost must be a positive number of USD, got ${args["max-cost"]}`);
    if (!options.prices) throw new ConfigError("--max-cost needs --prices (a price table) to know what calls cost");
    options.maxCostUsd = args["max-cost"];
  }
  if (args.batch) {
    const poll = args["poll-interval"];
    if (!Number.isFinite(poll) || poll <= 0) throw new ConfigError(`--poll-interval must be a positive number of seconds, got ${poll}`);
    options.batch = { pollIntervalSec: poll, onProgress: (p) => void process.stderr.write(batchProgressLine(p)), onWarning: warn };
  }
  return options;
}
