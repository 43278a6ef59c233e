/**
 * @module hub/hub-config — where the Hub is and who we are: endpoint from `HF_ENDPOINT` (default
 * https://huggingface.co), token from `HF_TOKEN` or a named variable. `@huggingface/hub` reads
 * neither, so every call gets these explicitly. Also token redaction for anything we print.
 */
import { ConfigError } from "../errors.js";

/** The public Hub. */
export const DEFAULT_HUB_ENDPOINT = "https://huggingface.co";

export interface HubConfigOptions {
  /** Explicit token (wins over the environment). */
  token?: string;
  /** Name of the environment variable holding the token. @default "HF_TOKEN" */
  tokenEnv?: string;
  /** Explicit endpoint (wins over `HF_ENDPOINT`). */
  endpoint?: string;
  /** Whether a token is required (publishing) or optional (pulling public repos). @default false */
  requireToken?: boolean;
  /** Environment to read. @default process.env */
  env?: Record<string, string | undefined>;
}

export interface HubConfig {
  /** Base URL without a trailing slash. */
  endpoint: string;
  token: string | undefined;
}

/** Resolves endpoint and token from options and environment; never puts the token in an error. */
export function resolveHubConfig(options: HubConfigOptions = {}): HubConfig {
  const env = options.env ?? process.env;
  const rawEndpoint = options.endpoint ?? (env.HF_ENDPOINT?.trim() || DEFAULT_HUB_ENDPOINT);
  const url = URL.canParse(rawEndpoint) ? new URL(rawEndpoint) : undefined;
  if (url?.protocol !== "https:" && url?.protocol !== "http:") {
    throw new ConfigError(`Hub endpoint is not an http(s) URL: ${JSON.stringify(rawEndpoint)}`, { field: options.endpoint ? "endpoint" : "HF_ENDPOINT" });
  }
  const endpoint = url.href.replace(/\/+$/, "");
  const tokenEnv = options.tokenEnv ?? "HF_TOKEN";
  if (options.tokenEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(tokenEnv)) {
    throw new ConfigError(`--token-env must name an environment variable, got ${JSON.stringify(redactTokens(tokenEnv))}`, { field: "token-env" });
  }
  const token = options.token ?? (env[tokenEnv]?.trim() || undefined);
  if (token === undefined) {
    if (options.requireToken) {
      throw new ConfigError(
        options.tokenEnv !== undefined
          ? `no Hub token: environment variable ${tokenEnv} is not set`
          : "no Hub token: set HF_TOKEN (a write token from https://huggingface.co/settings/tokens) or pass --token-env NAME",
        { field: tokenEnv },
      );
    }
  } else if (!/^hf_[A-Za-z0-9_-]+$/.test(token)) {
    throw new ConfigError(`the Hub token in ${options.token !== undefined ? "the options" : tokenEnv} does not look like a Hugging Face token (it must start with "hf_")`, {
      field: tokenEnv,
    });
  }
  return { endpoint, token };
}

const TOKEN_PATTERN = /hf_[A-Za-z0-9_-]{4,}/g;

/** Replaces anything that looks like a Hugging Face token (and the given secrets) with `hf_***`. */
export function redactTokens(text: string, ...secrets: Array<string | undefined>): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join("hf_***");
  return out.replace(TOKEN_PATTERN, "hf_***");
}
