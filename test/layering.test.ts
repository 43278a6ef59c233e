/**
 * The folders under src/ form layers: no folder imports (directly or through others) a folder that
 * imports it back. Found by reading the relative imports of every library file (tests excluded), so a
 * new `eval → report → eval` style loop fails here with the path of the loop.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "./helpers/run-cli.js";

const SRC = join(PROJECT_ROOT, "src");

function libraryFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return libraryFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** The top folder of a src file; files directly in src/ (errors.ts, version.ts) are the base layer "(root)". */
function folderOf(path: string): string {
  const parts = relative(SRC, path).split(sep);
  return parts.length === 1 ? "(root)" : parts[0]!;
}

function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of libraryFiles(SRC)) {
    if (file === join(SRC, "index.ts")) continue; // the public index re-exports every layer
    const from = folderOf(file);
    for (const match of readFileSync(file, "utf8").matchAll(/\bfrom\s+["'](\.{1,2}\/[^"']+)["']/g)) {
      const to = folderOf(normalize(join(dirname(file), match[1]!)));
      if (to === from) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** Every folder cycle, each as a path `a → b → a`. */
function cycles(graph: Map<string, Set<string>>): string[] {
  const found = new Set<string>();
  const visit = (node: string, path: string[]): void => {
    for (const next of graph.get(node) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) {
        const loop = path.slice(at);
        const start = loop.indexOf([...loop].sort()[0]!);
        found.add([...loop.slice(start), ...loop.slice(0, start), loop[start]!].join(" → "));
      } else visit(next, [...path, next]);
    }
  };
  for (const node of graph.keys()) visit(node, [node]);
  return [...found].sort();
}

describe("folder layering", () => {
  it("finds a planted cycle", () => {
    expect(
      cycles(
        new Map([
          ["a", new Set(["b"])],
          ["b", new Set(["c"])],
          ["c", new Set(["a"])],
        ]),
      ),
    ).toEqual(["a → b → c → a"]);
  });

  it("has no folder-level import cycle in src/", () => {
    const graph = folderGraph();
    expect(graph.get("eval")?.has("report")).toBe(true); // the graph is really read
    expect(cycles(graph)).toEqual([]);
  });
});
