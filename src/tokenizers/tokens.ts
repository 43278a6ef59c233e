/**
 * @module tokenizers/tokens — token counting: OpenAI's o200k_base / cl100k_base (tiktoken wasm, built in), any
 * Hugging Face tokenizer.json given by path, or a Hub model's tokenizer by id (`Qwen/Qwen2.5-7B-Instruct`,
 * `THUDM/glm-4-9b@<sha>`; downloaded once into the Hub cache, offline afterwards), run by
 * @huggingface/tokenizers. Tokenizers are loaded on first use.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ConfigError, ToolkitError } from "../errors.js";
import { fetchHubTokenizer, parseHubTokenizerId, type HubTokenizerSettings } from "./hub-tokenizer.js";
import { splitForTokenizer } from "../text/split-for-tokenizer.js";

/** Counts tokens of one tokenizer. Call `free()` when done (it releases tiktoken's wasm memory). */
export interface TokenCounter {
  /** The name it was created with ("o200k_base", a tokenizer.json path, or a Hub model id). */
  readonly name: string;
  /** For a Hub tokenizer: the commit sha its files came from (the pin to record). */
  readonly revision?: string;
  /** Number of tokens in `text`, without BOS/EOS or any other added special tokens. */
  count(text: string): number;
  free(): void;
}

/** Built-in tokenizer names (tiktoken, offline); anything else is a tokenizer.json path or a Hub model id. */
export const TOKENIZER_NAMES = ["o200k_base", "cl100k_base"] as const;
export type TokenizerName = (typeof TOKENIZER_NAMES)[number];

/** Short names for Hub tokenizers. `qwen3`: every Qwen3 model shares one tokenizer; this repo is the smallest. */
export const TOKENIZER_ALIASES: Readonly<Record<string, string>> = { qwen3: "Qwen/Qwen3-0.6B" };

/** What `--tokenizer` accepts, for messages. */
export const TOKENIZER_HELP = `${TOKENIZER_NAMES.join(", ")} (built in), a Hub model id such as Qwen/Qwen2.5-7B-Instruct (optionally @revision; qwen3 = ${TOKENIZER_ALIASES.qwen3}), or a path to a tokenizer.json`;

export interface TokenCounterOptions {
  /**
   * Texts longer than this are counted in pieces cut at word boundaries (BPE is superlinear on long
   * runs without spaces or punctuation). Counts are exact for tiktoken and byte-level BPE tokenizers.
   * @default 20000
   */
  pieceChars?: number | undefined;
  /** Hub connection settings for a tokenizer named by model id. @default HF_ENDPOINT, the token as `pull` finds it, the Hub cache */
  hub?: HubTokenizerSettings | undefined;
}

interface HfTokenizer {
  encode(text: string, options: { add_special_tokens: boolean }): { ids: number[] };
}

// A parsed tokenizer.json costs ~1 s and ~100 MB; keep one per file for the life of the process.
const hfCache = new Map<string, Promise<HfTokenizer>>();

async function loadHfTokenizer(file: string, label: string): Promise<HfTokenizer> {
  const cached = hfCache.get(file);
  if (cached) return cached;
  const loading = (async () => {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, "utf8"));
    } catch (cause) {
      throw new ConfigError(`cannot read tokenizer ${label}: ${(cause as Error).message}`, { file, cause });
    }
    const configFile = join(dirname(file), "tokenizer_config.json");
    let config: object = {};
    if (existsSync(configFile)) {
      try {
        config = JSON.parse(readFileSync(configFile, "utf8")) as object;
      } catch (cause) {
        throw new ConfigError(`cannot read tokenizer config: ${(cause as Error).message}`, { file: configFile, cause });
      }
    }
    const { Tokenizer } = await import("@huggingface/tokenizers");
    try {
      return new Tokenizer(json as object, config) as unknown as HfTokenizer;
    } catch (cause) {
      throw new ConfigError(`not a usable tokenizer.json: ${(cause as Error).message}`, { file, cause });
    }
  })();
  hfCache.set(file, loading);
  loading.catch(() => hfCache.delete(file));
  return loading;
}

function looksLikePath(name: string): boolean {
  return name.includes("/") || name.includes("\\") || name.endsWith(".json");
}

/**
 * Creates a token counter. `name` is one of TOKENIZER_NAMES, a path to a Hugging Face tokenizer.json or
 * to a directory holding one (a tokenizer_config.json beside it is used when present), or a Hub model id
 * (`owner/name[@revision]`, or an alias from TOKENIZER_ALIASES) whose tokenizer files are pulled into the
 * Hub cache once. An existing local path wins over a Hub id. Unknown names throw a ConfigError.
 *
 * @example
 * const counter = await createTokenCounter("Qwen/Qwen2.5-7B-Instruct");
 * counter.count("Hello 世界"); // 3
 * counter.free();
 */
export async function createTokenCounter(name: string, options: TokenCounterOptions = {}): Promise<TokenCounter> {
  const pieceChars = options.pieceChars ?? 20_000;
  if (!(pieceChars >= 100)) throw new ConfigError(`pieceChars must be at least 100, got ${pieceChars}`);
  let encode: (piece: string) => number;
  let release = (): void => {};
  let revision: string | undefined;

  if (name === "o200k_base" || name === "cl100k_base") {
    const { get_encoding } = await import("tiktoken");
    const encoding = get_encoding(name);
    encode = (piece) => encoding.encode_ordinary(piece).length;
    release = () => encoding.free();
  } else if (existsSync(resolve(name)) || (looksLikePath(name) && !parseHubTokenizerId(TOKENIZER_ALIASES[name] ?? name))) {
    let file = resolve(name);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "tokenizer.json");
    if (!existsSync(file)) throw new ConfigError(`tokenizer file not found (use ${TOKENIZER_HELP})`, { file: name });
    const tokenizer = await loadHfTokenizer(file, name);
    encode = (piece) => tokenizer.encode(piece, { add_special_tokens: false }).ids.length;
  } else if (parseHubTokenizerId(TOKENIZER_ALIASES[name] ?? name)) {
    const fetched = await fetchHubTokenizer(parseHubTokenizerId(TOKENIZER_ALIASES[name] ?? name)!, options.hub);
    for (const warning of fetched.warnings) process.stderr.write(`warning: ${warning}\n`);
    revision = fetched.sha;
    const tokenizer = await loadHfTokenizer(fetched.file, name);
    encode = (piece) => tokenizer.encode(piece, { add_special_tokens: false }).ids.length;
  } else {
    throw new ConfigError(`unknown tokenizer "${name}"; use ${TOKENIZER_HELP}`);
  }

  let freed = false;
  return {
    name,
    ...(revision ? { revision } : {}),
    count(text: string): number {
      if (freed) throw new ToolkitError(`token counter ${name} was already freed`, { code: "invalid_state" });
      let total = 0;
      for (const piece of splitForTokenizer(text, { maxChars: pieceChars })) total += encode(piece);
      return total;
    },
    free(): void {
      if (freed) return;
      freed = true;
      release();
    },
  };
}
