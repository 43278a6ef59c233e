/**
 * @module mix/prepare-decontamination — the eval prompts a mix is decontaminated against: files from
 * `--decontaminate-with`, else the recipe's `decontaminate.files`, else LongBench-Write's prompts; read,
 * hashed for the manifest and turned into a decontaminator. Undefined when decontamination is off.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { resolveBenchFile } from "../eval/bench-files.js";
import type { MixRecipe } from "../schemas/mix-recipe.js";
import { sha256Hex } from "../util/sha256.js";
import { createDecontaminator, readEvalPrompts, type Decontaminator } from "./decontaminate.js";
import type { LoadedRecipe } from "./load-recipe.js";
import { displayPath } from "./resolve-local-files.js";

export interface PreparedDecontamination {
  decontaminator: Decontaminator;
  /** The prompt files as recorded in the manifest (relative to the recipe) with their sha256. */
  files: Array<{ path: string; sha256: string }>;
  ngram: number;
  threshold: number;
}

export async function prepareDecontamination({
  recipe,
  loaded,
  decontaminateWith,
  defaultEvalFile = longBenchWritePrompts,
}: {
  recipe: MixRecipe;
  loaded: LoadedRecipe;
  /** Prompt files that override the recipe's (and turn decontamination on). */
  decontaminateWith?: string[] | undefined;
  /** The prompt file used when no path is given. @default LongBench-Write's prompts (pinned download) */
  defaultEvalFile?: (() => Promise<string>) | undefined;
}): Promise<PreparedDecontamination | undefined> {
  const spec = recipe.decontaminate;
  if (!spec && !decontaminateWith) return undefined;
  const settings = typeof spec === "object" ? spec : {};
  let files: string[];
  if (decontaminateWith && decontaminateWith.length > 0) files = decontaminateWith.map((f) => resolve(f));
  else if (settings.files && settings.files.length > 0) files = settings.files.map((f) => resolve(loaded.baseDir, f));
  else files = [await defaultEvalFile()];
  const ngram = settings.ngram ?? 8;
  const threshold = settings.threshold ?? 0.5;
  const prompts = await readEvalPrompts({ files });
  const hashes = await Promise.all(files.map(async (path) => sha256Hex(await readFile(path))));
  return {
    decontaminator: createDecontaminator({ prompts, ngram, threshold }),
    files: files.map((path, i) => ({ path: displayPath(path, loaded.baseDir), sha256: hashes[i]! })),
    ngram,
    threshold,
  };
}

async function longBenchWritePrompts(): Promise<string> {
  return (await resolveBenchFile({ name: "longbench_write.jsonl" })).path;
}
