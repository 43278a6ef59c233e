/**
 * @module hub/repo-path — which repo paths a pulled dataset may hold. A listing comes from a server we
 * do not control: a path may try to climb out of the target directory (`..`, absolute, drive letters,
 * backslashes) or plant version-control metadata (`.git/config` with an `fsmonitor` line runs a command
 * on the next `git status`). Such paths are refused before anything is written.
 */

/** Path segments of version-control metadata (compared case-insensitively: case-insensitive file systems). */
const VCS_SEGMENTS: ReadonlySet<string> = new Set([".git", ".gitmodules", ".hg", ".hgsub", ".svn", ".bzr", "_darcs", ".jj", "cvs", ".pijul", ".fossil"]);

/** Names the toolkit keeps for itself in a pull's `--out` directory. */
export const PULL_RECORD_NAME = ".longwriter-pull.json";

/**
 * Why `path` (a repo path, `/`-separated) may not be written, or undefined when it is fine.
 * @example repoPathProblem(".git/config") // "version-control metadata (.git)"
 */
export function repoPathProblem(path: string): string | undefined {
  if (path === "") return "empty path";
  if (path.length > 4096) return "path longer than 4096 characters";
  // Control characters (NUL, newlines, escapes) have no place in a dataset file name.
  if (/[\u0000-\u001f\u007f]/.test(path)) return "control character in the path";
  if (path.includes("\\")) return "backslash in the path";
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) return "absolute path";
  const segments = path.split("/");
  for (const segment of segments) {
    if (segment === "" || segment === "." || segment === "..") return `path segment ${JSON.stringify(segment)}`;
    const lower = segment.toLowerCase().replace(/[. ]+$/, ""); // Windows ignores trailing dots and spaces
    if (VCS_SEGMENTS.has(lower) || VCS_SEGMENTS.has(segment.toLowerCase())) return `version-control metadata (${segment})`;
  }
  if (segments.length === 1 && segments[0]!.toLowerCase() === PULL_RECORD_NAME) return `${PULL_RECORD_NAME} is the toolkit's own record of pulled files`;
  return undefined;
}
