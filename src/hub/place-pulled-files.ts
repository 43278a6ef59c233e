/**
 * @module hub/place-pulled-files — copies pulled files from the cache into a directory of the user's
 * (`pull --out`), safely: every path must stay inside that directory (also through symlinked folders),
 * an existing file is replaced only when an earlier pull of the same repo wrote it and it is unchanged
 * since (or with `force`), and each copy is checked against the listing's hash before it is renamed
 * into place. What was written is recorded in `<out>/.longwriter-pull.json`.
 */
import { createReadStream } from "node:fs";
import { lstat, mkdir, readFile, realpath, rm } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { z } from "zod";
import { AtomicFile, writeFileAtomic } from "../io/atomic-file.js";
import { contentCheck } from "./content-check.js";
import { hashFile } from "./hash-file.js";
import { HubError } from "./hub-error.js";
import type { PulledFile } from "./pull-dataset.js";
import { PULL_RECORD_NAME, repoPathProblem } from "./repo-path.js";

const pullRecordSchema = z.object({
  format: z.literal(1),
  /** Per repo: the sha last pulled and the sha256 of every file that pull wrote. */
  repos: z.record(z.string(), z.object({ sha: z.string(), files: z.record(z.string(), z.string()) })),
});
type PullRecord = z.infer<typeof pullRecordSchema>;

export interface PlacePulledFilesOptions {
  repo: string;
  sha: string;
  files: readonly PulledFile[];
  outDir: string;
  /** Replace existing files that no earlier pull of this repo wrote (or that changed since). @default false */
  force?: boolean | undefined;
}

export interface PlacedFile extends PulledFile {
  outPath: string;
}

async function readRecord(path: string): Promise<PullRecord> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return { format: 1, repos: {} };
  }
  try {
    const parsed = pullRecordSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through: an unreadable record proves nothing, so nothing counts as written by a pull
  }
  return { format: 1, repos: {} };
}

/** True when `path` lies strictly inside `root`. */
function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== "" && !isAbsolute(rel) && rel.split(sep)[0] !== "..";
}

/**
 * Copies `files` (from `pullDataset`) into `outDir`, keeping their repo paths. Checks everything first,
 * so a refused file means nothing was written.
 */
export async function placePulledFiles(options: PlacePulledFilesOptions): Promise<PlacedFile[]> {
  const { repo, sha, files, force = false } = options;
  const root = resolve(options.outDir);
  await mkdir(root, { recursive: true });
  const realRoot = await realpath(root);
  const recordPath = join(root, PULL_RECORD_NAME);
  const record = await readRecord(recordPath);
  const written = record.repos[repo]?.files ?? {};

  // 1. Check every target before writing any.
  const plan: Array<{ file: PulledFile; outPath: string }> = [];
  for (const file of files) {
    const problem = repoPathProblem(file.path);
    if (problem) throw new HubError(`refusing to write ${JSON.stringify(file.path)} into ${root}: ${problem}`);
    const outPath = join(root, ...file.path.split("/"));
    if (!inside(root, outPath)) throw new HubError(`refusing to write ${JSON.stringify(file.path)}: it resolves outside ${root}`);
    const existing = await lstat(outPath).catch(() => undefined);
    if (existing?.isDirectory()) throw new HubError(`${outPath} is a directory; the repo has a file there`);
    if (existing && !force) {
      const before = written[file.path];
      const unchanged = existing.isFile() && before !== undefined && (await hashFile(outPath)).sha256 === before;
      if (!unchanged) {
        throw new HubError(
          before === undefined
            ? `${outPath} already exists and was not written by an earlier pull of ${repo}; pass --force to replace it`
            : `${outPath} was changed since an earlier pull of ${repo} wrote it; pass --force to replace it`,
        );
      }
    }
    plan.push({ file, outPath });
  }

  // 2. Copy, verifying each file against the listing on the way; record what was written.
  const placed: PlacedFile[] = [];
  const now: Record<string, string> = { ...written };
  try {
    for (const { file, outPath } of plan) {
      await mkdir(dirname(outPath), { recursive: true });
      // A folder on the way that is a symlink out of the directory would carry the write elsewhere.
      if (!inside(realRoot, join(await realpath(dirname(outPath)), "x"))) {
        throw new HubError(`refusing to write ${JSON.stringify(file.path)}: ${dirname(outPath)} leads outside ${root}`);
      }
      now[file.path] = await copyVerified(file, outPath);
      placed.push({ ...file, outPath });
    }
  } finally {
    record.repos[repo] = { sha, files: now };
    await writeFileAtomic(recordPath, `${JSON.stringify(record, null, 1)}\n`);
  }
  return placed;
}

/** Streams the cached file through the listing's check into a temp file; renames it only when it matches. */
async function copyVerified(file: PulledFile, outPath: string): Promise<string> {
  const check = contentCheck({ path: file.path, size: file.bytes, oid: file.oid, ...(file.sha256 ? { sha256: file.sha256 } : {}) }, "cached copy");
  const out = await AtomicFile.open(outPath);
  let sha256: string;
  try {
    for await (const chunk of createReadStream(file.localPath, { highWaterMark: 1 << 20 })) {
      check.update(chunk as Buffer);
      await out.write(chunk as Buffer);
    }
    sha256 = check.finish();
  } catch (error) {
    await out.abort();
    if (error instanceof HubError) {
      // The cache copy is damaged: drop it so the next pull downloads it again.
      await rm(file.localPath, { force: true });
      throw new HubError(`${error.message} (${file.localPath}); the damaged cache file was removed, run the pull again`);
    }
    throw error;
  }
  await out.commit();
  return sha256;
}
