/**
 * @module hub/hub-config — where the Hub is and who we are: endpoint from `HF_ENDPOINT` (default
 * https://huggingface.co), token found the way `huggingface_hub` finds it (`HF_TOKEN`, then the file named
 * by `HF_TOKEN_PATH`, then `$HF_HOME/token`, by default `~/.cache/huggingface/token` as `hf auth login`
 * writes it) or from a named variable. `@huggingface/hub` reads none of these, so every call gets them
 * explicitly. Also token redaction for anything we print.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../errors.js";
import { redactSecrets } from "../util/redact-secrets.js";

/** The public Hub. */
export const DEFAULT_HUB_ENDPOINT = "https://huggingface.co";

export interface HubConfigOptions {
  /** Explicit token (wins over the environment). */
  token?: string | undefined;
  /** Name of the environment variable holding the token. @default "HF_TOKEN" */
  tokenEnv?: string | undefined;
  /** Explicit endpoint (wins over `HF_ENDPOINT`). */
  endpoint?: string | undefined;
  /** Whether a token is required (publishing) or optional (pulling public repos). @default false */
  requireToken?: boolean | undefined;
  /** Environment to read. @default process.env */
  env?: Record<string, string | undefined> | undefined;
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
    throw new ConfigError(`--token-env must name an environment variable, got ${JSON.stringify(redactSecrets(tokenEnv))}`, { field: "token-env" });
  }
  let token = options.token ?? (env[tokenEnv]?.trim() || undefined);
  let tokenSource = options.token !== undefined ? "the options" : tokenEnv;
  if (token === undefined && options.tokenEnv === undefined) {
    const stored = storedToken(env);
    if (stored) ({ token, file: tokenSource } = stored);
  }
  if (token === undefined) {
    if (options.requireToken) {
      throw new ConfigError(
        options.tokenEnv !== undefined
          ? `no Hub token: environment variable ${tokenEnv} is not set`
          : `no Hub token: set HF_TOKEN (a write token from https://huggingface.co/settings/tokens), log in with \`hf auth login\` (writes ${tokenFilePath(env)}) or pass --token-env NAME`,
        { field: tokenEnv },
      );
    }
  } else if (!/^hf_[A-Za-z0-9_-]+$/.test(token)) {
    throw new ConfigError(`the Hub token in ${tokenSource} does not look like a Hugging Face token (it must start with "hf_")`, {
      field: tokenEnv,
    });
  }
  return { endpoint, token };
}

/** The token file `huggingface_hub` reads: `HF_TOKEN_PATH`, else `$HF_HOME/token`, else `~/.cache/huggingface/token`. */
export function tokenFilePath(env: Record<string, string | undefined> = process.env): string {
  if (env.HF_TOKEN_PATH?.trim()) return env.HF_TOKEN_PATH.trim();
  // An explicit env (tests, embedders) without HOME does not fall back to the real home directory.
  const home = env.HOME?.trim() || (env === process.env ? homedir() : "");
  const hfHome = env.HF_HOME?.trim() || join(env.XDG_CACHE_HOME?.trim() || join(home || "~", ".cache"), "huggingface");
  return join(hfHome, "token");
}

/** The token stored in the token file (first line, trimmed), when there is one. */
function storedToken(env: Record<string, string | undefined>): { token: string; file: string } | undefined {
  const file = tokenFilePath(env);
  if (file.startsWith("~")) return undefined;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const token = text.split(/\r?\n/)[0]!.trim();
  return token ? { token, file } : undefined;
}
