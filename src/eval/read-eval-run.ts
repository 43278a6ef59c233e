/**
 * @module eval/read-eval-run — reads a run back from its folder (or its scores.json) for `report`:
 * checked against `evalRunSchema`, so a malformed file is an error naming the file and field.
 */
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { ConfigError, InputError, issuePath } from "../errors.js";
import { evalRunSchema, type EvalRun } from "./eval-run.js";
import { RUN_FILES } from "./write-run-dir.js";

/** Reads a run's scores.json (from its folder or the file itself), validated. */
export async function readEvalRun(path: string): Promise<EvalRun> {
  const isDir = (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
  const file = isDir ? join(path, RUN_FILES.scores) : path;
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    throw new ConfigError(`cannot read run ${file}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)} (pass a run folder or its scores.json)`, {
      cause,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new InputError({ file }, `invalid JSON: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  const parsed = evalRunSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError({ file, field: issuePath(issue.path) || undefined }, `not an eval run's scores.json: ${issue.message}`);
  }
  // The schema checks every field the report reads and lets the rest through: the file is taken as the run it says it is.
  return parsed.data as unknown as EvalRun;
}
