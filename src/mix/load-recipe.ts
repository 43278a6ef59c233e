/**
 * @module mix/load-recipe — reads a mixture recipe (YAML or JSON), validates it with the zod schema and
 * reports the first problem as `recipe.yaml: field sources.1.amount: … (line 12)`.
 */
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { isMap, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { ConfigError, issuePath } from "../errors.js";
import { mixRecipeSchema, type MixRecipe } from "../schemas/mix-recipe.js";
import { stableHash } from "../text/record-id.js";

/** A validated recipe with where it came from. */
export interface LoadedRecipe {
  recipe: MixRecipe;
  /** The recipe file as given (used in messages), or "<recipe>" for an in-memory recipe. */
  file: string;
  /** Directory that relative source paths resolve against. */
  baseDir: string;
  /** sha256 of the recipe's content with keys sorted (comments and formatting don't change it). */
  hash: string;
  /** The recipe text (YAML) as written into the dataset dir. */
  text: string;
}

/**
 * Loads and validates `recipe.yaml`. Throws a ConfigError (exit code 2) naming the file, the field path
 * and, when it can, the line.
 *
 * @example const { recipe, hash } = await loadRecipe({ path: "recipes/quickstart.yaml" });
 */
export async function loadRecipe({ path }: { path: string }): Promise<LoadedRecipe> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new ConfigError(code === "ENOENT" ? "recipe file not found" : `cannot read the recipe (${code ?? String(cause)})`, {
      file: path,
      cause,
    });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = lineCounter.linePos(first.pos[0]).line;
    throw new ConfigError(`invalid YAML (line ${line}): ${first.message.split("\n")[0]}`, { file: path, cause: first });
  }
  const value: unknown = doc.toJS();
  const recipe = validateRecipe({ value, file: path, locate: (field) => lineOf(doc, lineCounter, field) });
  return { recipe, file: path, baseDir: dirname(resolve(path)), hash: stableHash(recipe), text };
}

/**
 * Validates an in-memory recipe object (already parsed). `file` names it in errors.
 */
export function validateRecipe({
  value,
  file = "<recipe>",
  locate,
}: {
  value: unknown;
  file?: string;
  locate?: (field: ReadonlyArray<PropertyKey>) => number | undefined;
}): MixRecipe {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigError("a recipe is a YAML mapping (name, seed, sources, ...)", { file });
  }
  const result = mixRecipeSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = pickIssue(result.error.issues);
  let path: PropertyKey[] = [...issue.path];
  let message = issue.message;
  if (issue.code === "unrecognized_keys") {
    const keys = (issue as { keys: string[] }).keys;
    path = [...path, keys[0]!];
    message = `unknown field${keys.length > 1 ? ` (also: ${keys.slice(1).join(", ")})` : ""}`;
  }
  const line = locate?.(path);
  throw new ConfigError(line === undefined ? message : `${message} (line ${line})`, { file, field: issuePath(path) || "(top level)" });
}

/** The first issue, preferring the shallowest path (a bad field over consequences deep inside it). */
function pickIssue(issues: z.core.$ZodIssue[]): z.core.$ZodIssue {
  return issues[0]!;
}

function lineOf(doc: Document, counter: LineCounter, path: ReadonlyArray<PropertyKey>): number | undefined {
  // Walk down as far as the path exists; report the deepest node found (the key's line for a missing value).
  let node: unknown = doc.contents;
  let offset: number | undefined = (doc.contents as { range?: [number, number, number] } | null)?.range?.[0];
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === String(part));
      if (!pair) break;
      const key = pair.key as { range?: [number, number, number] };
      offset = key.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(part)] as { range?: [number, number, number] } | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset === undefined ? undefined : counter.linePos(offset).line;
}
