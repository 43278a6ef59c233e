/**
 * Temp directories for tests, removed after each test file, whether made at a file's top level or inside a
 * test (where registering a hook would come too late: vitest ignores it, and the directory stayed in /tmp).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

const made: string[] = [];
const removeMade = () => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
};

// Registered when a test file imports this helper (its collection), so once per file. (A file whose tests
// are all skipped runs no hooks: make directories inside tests, not in a describe's body.)
afterAll(removeMade);

export function makeTmpDir(prefix = "lw-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
