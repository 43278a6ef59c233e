/**
 * @module util/match-glob — path globs (`*` within a segment, `**` across segments, `?`, `{a,b}`,
 * `[abc]`) through picomatch, used to pick files from a Hub repo or a local directory. Dot files match
 * like any other name (a Hub repo's `.gitattributes` is a file like the rest).
 */
import picomatch from "picomatch";

/** Compiles a glob to an anchored RegExp over `/`-separated paths. */
export function globToRegExp(glob: string): RegExp {
  return picomatch.makeRe(glob, { dot: true });
}

/** A predicate that is true when a path matches any of the globs (all paths when none are given). */
export function pathMatcher(globs: string | readonly string[] | undefined): (path: string) => boolean {
  const list = globs === undefined ? [] : typeof globs === "string" ? [globs] : [...globs];
  if (list.length === 0) return () => true;
  return picomatch(list, { dot: true });
}
