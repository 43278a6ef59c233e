/**
 * @module mix/resolve-local-files — a recipe's local `path`: one file, or a glob (`*` and `?` within a
 * path segment, `**` across segments, `{a,b}` alternatives), resolved against the recipe's directory.
 * Matches are returned sorted, so the order of rows never depends on the file system.
 */
import { readdir, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { globToRegExp } from "../util/match-glob.js";

const GLOB_CHARS = /[*?{[]/;

/** True when `pattern` has glob syntax. */
export function isGlob(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

/**
 * The files `pattern` names, relative to `baseDir` unless absolute. A plain path is returned as is
 * (whether it exists is the reader's business, which names it in its error); a glob lists matching
 * regular files, hidden entries excluded, sorted by path.
 */
export async function resolveLocalFiles({ pattern, baseDir }: { pattern: string; baseDir: string }): Promise<string[]> {
  const absolute = isAbsolute(pattern) ? pattern : resolve(baseDir, pattern);
  if (!isGlob(pattern)) return [absolute];
  const parts = absolute.split(sep);
  const firstGlob = parts.findIndex((part) => isGlob(part));
  const root = parts.slice(0, firstGlob).join(sep) || sep;
  const matcher = globToRegExp(parts.slice(firstGlob).join("/"));
  const found: string[] = [];
  await walk(root, "", matcher, found, parts.slice(firstGlob).includes("**"), parts.length - firstGlob);
  return found.sort();
}

async function walk(root: string, prefix: string, matcher: RegExp, found: string[], deep: boolean, depth: number): Promise<void> {
  let entries;
  try {
    entries = await readdir(join(root, prefix), { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const level = prefix === "" ? 1 : prefix.split("/").length + 1;
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const rel = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const info = await stat(join(root, rel)).catch(() => undefined);
      isDir = info?.isDirectory() ?? false;
      isFile = info?.isFile() ?? false;
    }
    if (isFile && matcher.test(rel)) found.push(join(root, rel));
    if (isDir && (deep || level < depth)) await walk(root, rel, matcher, found, deep, depth);
  }
}

/**
 * `file` relative to `baseDir` with `/` separators, also when it lies outside (`../data/x.jsonl`), so
 * manifests and cards don't depend on where the checkout sits; absolute only across drives.
 */
export function displayPath(file: string, baseDir: string): string {
  const rel = relative(baseDir, file);
  return (isAbsolute(rel) ? file : rel).split(sep).join("/");
}
