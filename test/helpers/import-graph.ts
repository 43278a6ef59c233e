/**
 * The static import graph of a source module, read from the files: what loading it evaluates before any of
 * its code runs. Used to hold light entries light (the `/text` entry, the CLI's fast paths, worker modules).
 */
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, resolve } from "node:path";

/**
 * Every module `file` reaches through relative imports (type-only imports excluded), and every package it
 * names; a dynamic `import("x")` is listed as `dynamic:x` and not followed.
 */
export function importGraph(file: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (path: string): void => {
    if (files.has(path)) return;
    files.add(path);
    const source = readFileSync(path, "utf8");
    for (const match of source.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+["']([^"']+)["']/gm)) {
      const specifier = match[1]!;
      if (specifier.startsWith(".")) visit(resolve(dirname(path), specifier.replace(/\.js$/, ".ts")));
      else packages.add(specifier);
    }
    for (const match of source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) packages.add(`dynamic:${match[1]}`);
  };
  visit(file);
  return { files: [...files], packages: [...packages] };
}

const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** The packages of `importGraph(file)` loaded at once: not Node built-ins, not dynamic imports; by package name. */
export function staticPackages(file: string): string[] {
  const names = importGraph(file)
    .packages.filter((name) => !BUILTINS.has(name) && !name.startsWith("dynamic:"))
    .map((name) =>
      name
        .split("/")
        .slice(0, name.startsWith("@") ? 2 : 1)
        .join("/"),
    );
  return [...new Set(names)].sort();
}
