/**
 * @module eval/bench-files — the LongBench-Write and LongWrite-Ruler prompt files: upstream files
 * (src/upstream), fetched on first use at the pinned commit, checked against pinned sha256 sums and
 * cached. The toolkit ships no copy of them.
 */
import { readFile } from "node:fs/promises";
import { ToolkitError } from "../errors.js";
import {
  UPSTREAM_COMMIT,
  UPSTREAM_FILES,
  UPSTREAM_RAW_BASE_URL,
  UPSTREAM_REPO,
  resolveUpstreamFile,
  sha256OfBytes,
  upstreamFileUrl,
  type ResolveUpstreamFileOptions,
  type ResolvedUpstreamFile,
} from "../upstream/upstream-files.js";

export { defaultCacheDir } from "../upstream/upstream-files.js";

/** Names of the benchmark files in the upstream `evaluation/` folder. */
export type BenchFileName = "longbench_write.jsonl" | "longbench_write_en.jsonl" | "longwrite_ruler.jsonl";

/** sha256 of each upstream benchmark file at the pinned commit. */
export const BENCH_FILE_SHA256: Readonly<Record<BenchFileName, string>> = {
  "longbench_write.jsonl": UPSTREAM_FILES["longbench_write.jsonl"].sha256,
  "longbench_write_en.jsonl": UPSTREAM_FILES["longbench_write_en.jsonl"].sha256,
  "longwrite_ruler.jsonl": UPSTREAM_FILES["longwrite_ruler.jsonl"].sha256,
};

/** Upstream repository the files come from. */
export const BENCH_REPO = UPSTREAM_REPO;
/** Pinned upstream commit (full id; LONGWRITER_BENCH_COMMIT or `commit` override it). */
export const BENCH_COMMIT = UPSTREAM_COMMIT;
/** Where raw files are served from. */
export const BENCH_RAW_BASE_URL = UPSTREAM_RAW_BASE_URL;

export interface ResolveBenchFileOptions extends Omit<ResolveUpstreamFileOptions, "name"> {
  name: BenchFileName;
}

export type ResolvedBenchFile = ResolvedUpstreamFile;

/** The raw-file URL for a benchmark file. */
export function benchFileUrl(name: BenchFileName, options: { baseUrl?: string; commit?: string } = {}): string {
  return upstreamFileUrl(name, options);
}

/**
 * Returns a local path to a verified copy of a benchmark file (see `resolveUpstreamFile`).
 *
 * @example const { path } = await resolveBenchFile({ name: "longbench_write.jsonl" });
 */
export async function resolveBenchFile(options: ResolveBenchFileOptions): Promise<ResolvedBenchFile> {
  if (!(options.name in BENCH_FILE_SHA256)) throw new ToolkitError(`unknown benchmark file ${JSON.stringify(options.name)}`);
  return resolveUpstreamFile(options);
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
  const sha256 = sha256OfBytes(bytes);
  return { sha256, matchesUpstream: name ? sha256 === BENCH_FILE_SHA256[name] : null };
}
