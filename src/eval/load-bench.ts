/**
 * @module eval/load-bench — the prompt set of a benchmark run: from `--bench-file` (a file or a folder
 * holding the upstream files) or from the pinned, checksummed download, filtered by output language.
 */
import { stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ConfigError } from "../errors.js";
import { checkLocalBenchFile, resolveBenchFile, type BenchFileName, type ResolveBenchFileOptions } from "./bench-files.js";
import { loadBenchItems, loadPromptSet, type BenchItem, type OutputLanguage } from "./bench-item.js";

export type BenchmarkName = "longbench-write" | "ruler";
export type LanguageFilter = OutputLanguage | "all";

export interface BenchSource {
  /** Path of the prompt file read. */
  file: string;
  sha256: string;
  /** Whether it is byte-identical to the pinned upstream file (null for a file of another name). */
  matchesUpstream: boolean | null;
  /** Where the English set came from: the upstream en file, a row field, or the prompt's script. */
  languageFrom: "en-file" | "row-or-script";
  /** The download URL when the file came from upstream (or the cache). */
  url?: string;
}

export interface LoadBenchOptions extends Omit<ResolveBenchFileOptions, "name"> {
  benchmark: BenchmarkName;
  /** A local file, or a folder holding the upstream file names. */
  benchFile?: string | undefined;
  /** @default "all" */
  lang?: LanguageFilter | undefined;
}

const MAIN_FILE: Record<BenchmarkName, BenchFileName> = {
  "longbench-write": "longbench_write.jsonl",
  ruler: "longwrite_ruler.jsonl",
};
const EN_FILE: BenchFileName = "longbench_write_en.jsonl";

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}
async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

/**
 * Loads a benchmark's prompts. LongBench-Write's language split follows upstream: the prompts listed in
 * `longbench_write_en.jsonl` are the English set (one of them is written in Chinese but asks for an
 * English answer), the rest are Chinese. With a local file, a sibling `longbench_write_en.jsonl` is used
 * when present; otherwise each row's `language` field or the prompt's script decides.
 */
export async function loadBench(options: LoadBenchOptions): Promise<{ items: BenchItem[]; source: BenchSource }> {
  const { benchmark, lang = "all" } = options;
  const mainName = MAIN_FILE[benchmark];
  let file: string;
  let sha256: string;
  let matchesUpstream: boolean | null;
  let url: string | undefined;
  let enFile: string | undefined;

  if (options.benchFile) {
    let local = options.benchFile;
    if (await isDirectory(local)) local = join(local, mainName);
    if (!(await isFile(local))) {
      throw new ConfigError(`bench file not found: ${local}`, { field: "--bench-file" });
    }
    file = local;
    const name = basename(file);
    const upstreamName = name === mainName ? mainName : benchmark === "longbench-write" && name === EN_FILE ? EN_FILE : undefined;
    const checked = await checkLocalBenchFile(file, upstreamName);
    sha256 = checked.sha256;
    matchesUpstream = checked.matchesUpstream;
    if (benchmark === "longbench-write") {
      // The en file is its own English set; any other file uses a sibling en file when there is one.
      const sibling = join(dirname(file), EN_FILE);
      if (name === EN_FILE) enFile = file;
      else if (await isFile(sibling)) enFile = sibling;
    }
  } else {
    const resolved = await resolveBenchFile({ ...options, name: mainName });
    ({ path: file, sha256, url } = resolved);
    matchesUpstream = true;
    if (benchmark === "longbench-write") enFile = (await resolveBenchFile({ ...options, name: EN_FILE })).path;
  }

  const englishPrompts = enFile ? await loadPromptSet(enFile) : undefined;
  const all = await loadBenchItems({ file, englishPrompts });
  const items = lang === "all" ? all : all.filter((item) => item.language === lang);
  if (items.length === 0) throw new ConfigError(`no ${lang} prompts in ${file}`, { field: "--lang" });
  return {
    items,
    source: {
      file,
      sha256,
      matchesUpstream,
      languageFrom: englishPrompts ? "en-file" : "row-or-script",
      ...(url ? { url } : {}),
    },
  };
}
