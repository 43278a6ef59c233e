/**
 * @module cli/cli-progress — the cli-progress package, loaded the first time a bar is drawn (only on a
 * TTY), so runs into pipes, CI logs and `--help` never load it.
 */
import type CliProgress from "cli-progress";
import { createRequire } from "node:module";

const requireFromHere = createRequire(import.meta.url);

/** The cli-progress module (a CommonJS package, so it loads synchronously where a bar is created). */
export function cliProgress(): typeof CliProgress {
  return requireFromHere("cli-progress") as typeof CliProgress;
}
