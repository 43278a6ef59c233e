/**
 * @module upstream/upstream-files — files of the LongWriter repository that the toolkit uses as they are
 * (the benchmark prompts, the judge prompt, AgentWrite's plan and write prompts). None is shipped: each
 * is read from a local copy the user names, or downloaded once from the repository at a pinned commit,
 * checked against a pinned sha256 and cached.
 */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { ToolkitError } from "../errors.js";
import { writeFileAtomic } from "../io/atomic-file.js";
import { sha256Hex } from "../util/sha256.js";

/** Upstream repository the files come from. */
export const UPSTREAM_REPO = "THUDM/LongWriter";
/** Pinned upstream commit (2024-09-27, "Update write.txt"; the HEAD the toolkit's spec was read at). */
export const UPSTREAM_COMMIT = "3fcfdff43deceb49f7936c6bf25ad88d61df0bfa";
/** Where raw files are served from; `${base}/${repo}/${commit}/${path}`. */
export const UPSTREAM_RAW_BASE_URL = "https://raw.githubusercontent.com";

/** Where each file sits in the repository and the sha256 of its bytes at the pinned commit. */
export const UPSTREAM_FILES = {
  "longbench_write.jsonl": { path: "evaluation/longbench_write.jsonl", sha256: "1f6e99497cc24d65894d65e014062f398ba946ebdd254b7f8b339e48d3ab5779" },
  "longbench_write_en.jsonl": { path: "evaluation/longbench_write_en.jsonl", sha256: "87800927761f340e48899e4df5d47fb7211ad4936a63420dbfa979660414259f" },
  "longwrite_ruler.jsonl": { path: "evaluation/longwrite_ruler.jsonl", sha256: "a1d4ebf0df0fa1600567691d11c9a52de3037c4a372970ed2e8f52f2889e0a62" },
  "judge.txt": { path: "evaluation/judge.txt", sha256: "2c423ce88a0eb6a61482f427997a3c03c4bc11fe861102895dcac45926ae1d57" },
  "plan.txt": { path: "agentwrite/prompts/plan.txt", sha256: "cf65adef21e8f2565bf4f633b169a90681fbdee0efd026e577278f83784f6d52" },
  "write.txt": { path: "agentwrite/prompts/write.txt", sha256: "468c47ca954a4dcd4295642ee036383f3fb741560b2fa707a6039f10be0c3c9a" },
} as const satisfies Record<string, { path: string; sha256: string }>;

export type UpstreamFileName = keyof typeof UPSTREAM_FILES;

export interface ResolveUpstreamFileOptions {
  name: UpstreamFileName;
  /** Cache directory. @default $LONGWRITER_CACHE or ~/.cache/longwriter-toolkit */
  cacheDir?: string | undefined;
  /** @default UPSTREAM_RAW_BASE_URL (LONGWRITER_BENCH_BASE_URL overrides it) */
  baseUrl?: string | undefined;
  /** @default UPSTREAM_COMMIT (LONGWRITER_BENCH_COMMIT overrides it) */
  commit?: string | undefined;
  /**
   * A folder holding local copies under the upstream file names (offline use). A copy there is used and
   * must have the pinned sha256; a file not there comes from the cache or a download. @default $LONGWRITER_UPSTREAM_DIR
   */
  localDir?: string | undefined;
  /** Injectable fetch (tests). @default globalThis.fetch */
  fetch?: typeof fetch | undefined;
  /** Called with the URL when a download starts. */
  onDownload?: ((url: string) => void) | undefined;
}

export interface ResolvedUpstreamFile {
  path: string;
  sha256: string;
  /** Whether the file was downloaded by this call (false: the cache or a local copy). */
  downloaded: boolean;
  /** The URL it came from (or would come from). */
  url: string;
  /** "download" (this call), "cache" or "local" (the local folder). */
  from: "download" | "cache" | "local";
}

/** The cache root: LONGWRITER_CACHE, else $XDG_CACHE_HOME or ~/.cache, then longwriter-toolkit. */
export function defaultCacheDir(): string {
  const fromEnv = process.env.LONGWRITER_CACHE;
  if (fromEnv) return fromEnv;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "longwriter-toolkit");
}

/** The raw-file URL of an upstream file. */
export function upstreamFileUrl(name: UpstreamFileName, options: { baseUrl?: string | undefined; commit?: string | undefined } = {}): string {
  const base = (options.baseUrl ?? process.env.LONGWRITER_BENCH_BASE_URL ?? UPSTREAM_RAW_BASE_URL).replace(/\/+$/, "");
  const commit = options.commit ?? process.env.LONGWRITER_BENCH_COMMIT ?? UPSTREAM_COMMIT;
  return `${base}/${UPSTREAM_REPO}/${commit}/${UPSTREAM_FILES[name].path}`;
}

/**
 * Returns a local path to a verified copy of an upstream file: the local folder's copy (when given; it
 * must match the pinned sha256), else the cached copy when its sha256 matches, else a fresh download
 * (verified, then written atomically into the cache). A download whose checksum differs is an error and
 * nothing is cached.
 *
 * @example const { path } = await resolveUpstreamFile({ name: "judge.txt" });
 */
export async function resolveUpstreamFile(options: ResolveUpstreamFileOptions): Promise<ResolvedUpstreamFile> {
  const { name } = options;
  const entry = UPSTREAM_FILES[name];
  if (!entry) throw new ToolkitError(`unknown upstream file ${JSON.stringify(name)}`);
  const expected = entry.sha256;
  const url = upstreamFileUrl(name, options);

  const localDir = options.localDir ?? (process.env.LONGWRITER_UPSTREAM_DIR || undefined);
  const localBytes = localDir
    ? await readFile(join(localDir, name)).catch((cause: unknown) => {
        if ((cause as NodeJS.ErrnoException).code === "ENOENT") return undefined; // not in the folder: cache or download
        throw new ToolkitError(`cannot read the local copy of ${name} at ${join(localDir, name)}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, {
          cause,
          exitCode: 2,
        });
      })
    : undefined;
  if (localDir && localBytes) {
    const path = join(localDir, name);
    const bytes = localBytes;
    const actual = sha256Hex(bytes);
    if (actual !== expected) {
      throw new ToolkitError(`${path} is not upstream's ${name} at ${UPSTREAM_COMMIT.slice(0, 7)}: expected sha256 ${expected}, got ${actual}`, {
        exitCode: 2,
      });
    }
    return { path, sha256: expected, downloaded: false, url, from: "local" };
  }

  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const path = join(cacheDir, "upstream", expected.slice(0, 12), name);
  const cached = await readFile(path).catch(() => undefined);
  if (cached && sha256Hex(cached) === expected) return { path, sha256: expected, downloaded: false, url, from: "cache" };

  const doFetch = options.fetch ?? globalThis.fetch;
  const offlineHint = `set LONGWRITER_UPSTREAM_DIR to a folder holding a copy${name.endsWith(".jsonl") ? " (or pass --bench-file)" : ""} to work offline`;
  options.onDownload?.(url);
  let response: Response;
  try {
    response = await doFetch(url, { redirect: "follow" });
  } catch (cause) {
    throw new ToolkitError(`could not download ${name} from ${url}: ${cause instanceof Error ? cause.message : String(cause)}; ${offlineHint}`, {
      cause,
    });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ToolkitError(`could not download ${name} from ${url}: HTTP ${response.status} ${response.statusText}; ${offlineHint}`);
  }
  const body = new Uint8Array(await response.arrayBuffer());
  const actual = sha256Hex(body);
  if (actual !== expected) {
    throw new ToolkitError(
      `checksum mismatch for ${name} from ${url}: expected sha256 ${expected}, got ${actual} (${body.length} bytes); the file was not cached`,
    );
  }
  await writeFileAtomic(path, body);
  return { path, sha256: expected, downloaded: true, url, from: "download" };
}

/** An upstream text file's content (UTF-8) with where it came from. */
export interface UpstreamText extends ResolvedUpstreamFile {
  text: string;
}

/** Resolves an upstream file and reads it as UTF-8 text (the bytes were verified by sha256). */
export async function readUpstreamText(options: ResolveUpstreamFileOptions): Promise<UpstreamText> {
  const resolved = await resolveUpstreamFile(options);
  return { ...resolved, text: await readFile(resolved.path, "utf8") };
}
