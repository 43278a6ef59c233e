/**
 * @module hub/match-glob — repo-path globs (`*` within a segment, `**` across segments, `?`,
 * `{a,b}`, `[abc]`), used to pick files from a Hub repo.
 */

/** Compiles a glob to an anchored RegExp over `/`-separated paths. */
export function globToRegExp(glob: string): RegExp {
  let out = "";
  let inBraces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        i += 1;
        if (glob[i + 1] === "/") {
          i += 1;
          out += "(?:.*/)?"; // `**/` matches zero or more directories
        } else out += ".*";
      } else out += "[^/]*";
    } else if (c === "?") out += "[^/]";
    else if (c === "{") {
      inBraces += 1;
      out += "(?:";
    } else if (c === "}" && inBraces > 0) {
      inBraces -= 1;
      out += ")";
    } else if (c === "," && inBraces > 0) out += "|";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end < 0) out += "\\[";
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, "\\\\");
        out += body.startsWith("!") ? `[^/${body.slice(1)}]` : `[${body}]`;
        i = end;
      }
    } else out += c.replace(/[.+^$()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

/** A predicate that is true when a path matches any of the globs (all paths when none are given). */
export function pathMatcher(globs: string | readonly string[] | undefined): (path: string) => boolean {
  const list = globs === undefined ? [] : typeof globs === "string" ? [globs] : [...globs];
  if (list.length === 0) return () => true;
  const patterns = list.map(globToRegExp);
  return (path) => patterns.some((p) => p.test(path));
}
