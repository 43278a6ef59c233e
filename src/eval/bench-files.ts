/**
 * @module eval/bench-files — the LongBench-Write and LongWrite-Ruler prompt files, fetched on first use
 * from the upstream repository at a pinned commit, checked against pinned sha256 sums and cached.
 * The toolkit ships no copy of them.
 */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { ToolkitError } from "../errors.js";
import { writeFileAtomic } from "../io/atomic-file.js";
import { sha256Hex } from "../util/sha256.js";

/** Names of the benchmark files in the upstream `evaluation/` folder. */
export type BenchFileName = "longbench_write.jsonl" | "longbench_write_en.jsonl" | "longwrite_ruler.jsonl";

/** sha256 of each upstream file (github.com/THUDM/LongWriter, commit 3fcfdff, `evaluation/`). */
export const BENCH_FILE_SHA256: Readonly<Record<BenchFileName, string>> = {
  "longbench_write.jsonl": "1f6e99497cc24d65894d65e014062f398ba946ebdd254b7f8b339e48d3ab5779",
  "longbench_write_en.jsonl": "87800927761f340e48899e4df5d47fb7211ad4936a63420dbfa979660414259f",
  "longwrite_ruler.jsonl": "a1d4ebf0df0fa1600567691d11c9a52de3037c4a372970ed2e8f52f2889e0a62",
};

/** Upstream repository the files come from. */
export const BENCH_REPO = "THUDM/LongWriter";
/**
 * Pinned upstream commit. The full 40-character sha of 3fcfdff (2024-09-27, the HEAD the spec was read
 * at) could not be looked up offline, so the short form is pinned; the sha256 sums are what pin the
 * content. Users can override it with `commit` (or LONGWRITER_BENCH_COMMIT).
 */
export const BENCH_COMMIT = "3fcfdff";
/**
 * Tried, in order, when the pinned commit's URL answers 404 (raw hosts may not resolve a short id):
 * another upstream commit whose `evaluation/` files are the same (seen in a code index with identical
 * content). The sha256 check applies to whatever is downloaded, so a fallback cannot change the data.
 */
export const BENCH_FALLBACK_COMMITS: readonly string[] = ["ca6ccd4dec16696d1b8c449b12901c88d4cbf442"];
/** Where raw files are served from; `${base}/${repo}/${commit}/evaluation/${name}`. */
export const BENCH_RAW_BASE_URL = "https://raw.githubusercontent.com";

export interface ResolveBenchFileOptions {
  name: BenchFileName;
  /** Cache directory. @default $LONGWRITER_CACHE or ~/.cache/longwriter-toolkit */
  cacheDir?: string;
  /** @default BENCH_RAW_BASE_URL (LONGWRITER_BENCH_BASE_URL overrides it) */
  baseUrl?: string;
  /** @default BENCH_COMMIT (LONGWRITER_BENCH_COMMIT overrides it) */
  commit?: string;
  /** Injectable fetch (tests). @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Called with a one-line message when a download starts. */
  onDownload?: (url: string) => void;
}

export interface ResolvedBenchFile {
  path: string;
  sha256: string;
  /** Whether the file was downloaded by this call (false: served from the cache). */
  downloaded: boolean;
  /** The URL it came from (or would come from). */
  url: string;
}

/** The cache root: LONGWRITER_CACHE, else ~/.cache/longwriter-toolkit. */
export function defaultCacheDir(): string {
  const fromEnv = process.env.LONGWRITER_CACHE;
  if (fromEnv) return fromEnv;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "longwriter-toolkit");
}

/** The raw-file URL for a benchmark file. */
export function benchFileUrl(name: BenchFileName, options: { baseUrl?: string; commit?: string } = {}): string {
  const base = (options.baseUrl ?? process.env.LONGWRITER_BENCH_BASE_URL ?? BENCH_RAW_BASE_URL).replace(/\/+$/, "");
  const commit = options.commit ?? process.env.LONGWRITER_BENCH_COMMIT ?? BENCH_COMMIT;
  return `${base}/${BENCH_REPO}/${commit}/evaluation/${name}`;
}

/**
 * Returns a local path to a verified copy of a benchmark file: the cached copy when its sha256 matches,
 * else a fresh download (verified, then written atomically into the cache). A download whose checksum
 * differs is an error and nothing is cached.
 *
 * @example const { path } = await resolveBenchFile({ name: "longbench_write.jsonl" });
 */
export async function resolveBenchFile(options: ResolveBenchFileOptions): Promise<ResolvedBenchFile> {
  const { name } = options;
  const expected = BENCH_FILE_SHA256[name];
  if (!expected) throw new ToolkitError(`unknown benchmark file ${JSON.stringify(name)}`);
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const path = join(cacheDir, "bench", expected.slice(0, 12), name);
  const url = benchFileUrl(name, options);

  const cached = await readFile(path).catch(() => undefined);
  if (cached && sha256Hex(cached) === expected) return { path, sha256: expected, downloaded: false, url };

  const doFetch = options.fetch ?? globalThis.fetch;
  const pinned = options.commit ?? process.env.LONGWRITER_BENCH_COMMIT;
  const commits = pinned ? [pinned] : [BENCH_COMMIT, ...BENCH_FALLBACK_COMMITS];
  let response: Response | undefined;
  let fetchedFrom = url;
  const notFound: string[] = [];
  for (const commit of commits) {
    fetchedFrom = benchFileUrl(name, { ...options, commit });
    options.onDownload?.(fetchedFrom);
    try {
      response = await doFetch(fetchedFrom, { redirect: "follow" });
    } catch (cause) {
      throw new ToolkitError(
        `could not download ${name} from ${fetchedFrom}: ${cause instanceof Error ? cause.message : String(cause)}; ` +
          `pass --bench-file with a local copy to work offline`,
        { cause },
      );
    }
    if (response.status !== 404) break;
    await response.body?.cancel();
    notFound.push(fetchedFrom);
  }
  if (!response || !response.ok) {
    const status = response ? `HTTP ${response.status} ${response.statusText}` : "no response";
    throw new ToolkitError(
      `could not download ${name} from ${fetchedFrom}: ${status}${notFound.length > 1 ? ` (also 404: ${notFound.slice(0, -1).join(", ")})` : ""}; ` +
        `pass --bench-file with a local copy to work offline`,
    );
  }
  const body = new Uint8Array(await response.arrayBuffer());
  const actual = sha256Hex(body);
  if (actual !== expected) {
    throw new ToolkitError(
      `checksum mismatch for ${name} from ${fetchedFrom}: expected sha256 ${expected}, got ${actual} (${body.length} bytes); ` +
        `the file was not cached`,
    );
  }
  await writeFileAtomic(path, body);
  return { path, sha256: expected, downloaded: true, url: fetchedFrom };
}

/** sha256 of a local file, and whether it is byte-identical to the pinned upstream file `name`. */
export async function checkLocalBenchFile(
  path: string,
  name?: BenchFileName,
): Promise<{ sha256: string; matchesUpstream: boolean | null }> {
  const bytes = await readFile(path).catch((cause: unknown) => {
    throw new ToolkitError(`cannot read bench file ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
      exitCode: 2,
    });
  });
  const sha256 = sha256Hex(bytes);
  return { sha256, matchesUpstream: name ? sha256 === BENCH_FILE_SHA256[name] : null };
}
