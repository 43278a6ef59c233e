/** @module test/helpers/files-of — every file under a directory, by its path relative to it, with its bytes. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The files under `dir` (recursively), keyed by their `/`-separated relative path. */
export function filesOf(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (rel: string): void => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else out[path] = readFileSync(join(dir, path));
    }
  };
  walk("");
  return out;
}
