/**
 * @module cli/llm-options — the flags every LLM-calling command shares (--base-url, --model,
 * --api-key-env, --concurrency, --timeout, --max-retries, --max-retry-after, --prices, --no-stream) and
 * their translation into `createLlmClient` options. Flags win over OPENAI_BASE_URL / OPENAI_API_KEY.
 */
import type { Options } from "yargs";
import { ConfigError } from "../errors.js";
import type { LlmClientOptions } from "../llm/client.js";
import { loadPrices } from "../llm/prices.js";

/** Parsed values of the shared LLM flags. */
export interface LlmArgs {
  "base-url"?: string;
  model: string;
  "api-key-env": string;
  concurrency: number;
  timeout: number;
  "max-retries": number;
  "max-retry-after": number;
  prices?: string;
  stream: boolean;
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
} satisfies Record<string, Options>;

/**
 * Checks the sampling flags a command takes (`--temperature`, `--top-p`): a value yargs could not read
 * as a number (`--temperature abc` is NaN) or one out of range is a usage error, never sent as null.
 */
export function checkSamplingFlags(args: { temperature?: number; "top-p"?: number }): void {
  const { temperature, "top-p": topP } = args;
  if (temperature !== undefined && !(Number.isFinite(temperature) && temperature >= 0 && temperature <= 2)) {
    throw new ConfigError(`--temperature must be a number in 0–2, got ${temperature}`);
  }
  if (topP !== undefined && !(Number.isFinite(topP) && topP > 0 && topP <= 1)) {
    throw new ConfigError(`--top-p must be a number in (0, 1], got ${topP}`);
  }
}

/** Validates the shared flags and builds client options (loading the price table if given). */
export async function llmClientOptionsFromArgs(args: LlmArgs & { temperature?: number; "top-p"?: number }, extra: { journalPath?: string } = {}): Promise<LlmClientOptions> {
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
  if (!(Number.isFinite(args.timeout) && args.timeout > 0)) throw new ConfigError(`--timeout must be a number of seconds > 0, got ${args.timeout}`);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(args["api-key-env"])) {
    // Never echo the value: people paste the key itself here by mistake.
    throw new ConfigError("--api-key-env must name an environment variable (letters, digits, _), not hold the key itself");
  }
  const options: LlmClientOptions = {
    model: args.model,
    apiKeyEnv: args["api-key-env"],
    concurrency: positiveInt("concurrency", args.concurrency),
    timeoutMs: Math.max(1, Math.round(args.timeout * 1000)),
    maxRetries: Math.floor(nonNegative("max-retries", args["max-retries"])),
    maxRetryAfterMs: Math.round(nonNegative("max-retry-after", args["max-retry-after"]) * 1000),
    stream: args.stream,
  };
  if (args["base-url"]) options.baseURL = args["base-url"];
  if (args.prices) options.prices = await loadPrices(args.prices);
  if (extra.journalPath) options.journalPath = extra.journalPath;
  return options;
}
