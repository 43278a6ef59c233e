// Copies non-TypeScript assets (prompt templates) from src/ into dist/ so the built CLI finds them.
import { cpSync, readdirSync, statSync, mkdirSync } from "node:fs";
import { join, dirname } from "node:path";

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.(md|txt|json)$/.test(name)) {
      const target = join("dist", path.slice("src/".length));
      mkdirSync(dirname(target), { recursive: true });
      cpSync(path, target);
    }
  }
}
walk("src");
