/**
 * @module io/yaml-config — reads a YAML (or JSON) configuration file — a mix recipe, a pair policy — and
 * validates it with a zod schema, reporting the first problem as `file: field a.b.1: message (line N)`.
 */
import { readFile } from "node:fs/promises";
import { isMap, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { ConfigError, issuePath } from "../errors.js";

/** Finds the line of a field path in the file, when it can. */
export type LocateField = (path: ReadonlyArray<PropertyKey>) => number | undefined;

export interface YamlConfigFile {
  file: string;
  /** The file's text as written. */
  text: string;
  /** The parsed document as plain values. */
  value: unknown;
  locate: LocateField;
}

/**
 * Reads and parses a YAML/JSON config file. `what` names the kind of file in messages ("recipe").
 * Throws ConfigError (exit 2) for a missing file or invalid YAML, with the line.
 */
export async function readYamlConfig({ path, what }: { path: string; what: string }): Promise<YamlConfigFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new ConfigError(code === "ENOENT" ? `${what} file not found` : `cannot read the ${what} (${code ?? String(cause)})`, {
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
  let value: unknown;
  try {
    // An alias bomb (aliases of aliases expanding to millions of nodes) is refused by the yaml library.
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (cause) {
    throw new ConfigError(`invalid YAML: ${(cause as Error).message}`, { file: path, cause });
  }
  return { file: path, text, value, locate: (field) => lineOf(doc, lineCounter, field) };
}

/**
 * Validates a parsed config against `schema`. The first issue becomes a ConfigError naming the file, the
 * field path and (with `locate`) the line; unknown keys are reported as "unknown field". `explain` may
 * replace the message of an issue with a friendlier one.
 */
export function validateConfig<T>({
  schema,
  value,
  file,
  what,
  locate,
  explain,
}: {
  schema: z.ZodType<T>;
  value: unknown;
  file: string;
  /** e.g. "a recipe is a YAML mapping (name, seed, sources, ...)", used when the top level is not a mapping. */
  what: string;
  locate?: LocateField | undefined;
  explain?: ((issue: z.core.$ZodIssue) => string | undefined) | undefined;
}): T {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ConfigError(what, { file });
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  let path: PropertyKey[] = [...issue.path];
  let message = explain?.(issue) ?? issue.message;
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys;
    path = [...path, keys[0]!];
    message = `unknown field${keys.length > 1 ? ` (also: ${keys.slice(1).join(", ")})` : ""}`;
  }
  const line = locate?.(path);
  throw new ConfigError(line === undefined ? message : `${message} (line ${line})`, { file, field: issuePath(path) || "(top level)" });
}

/** Line of the deepest node of `path` that exists (the key's line for a missing value). */
function lineOf(doc: Document, counter: LineCounter, path: ReadonlyArray<PropertyKey>): number | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined = (doc.contents as { range?: [number, number, number] } | null)?.range?.[0];
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === String(part));
      if (!pair) break;
      offset = (pair.key as { range?: [number, number, number] }).range?.[0] ?? offset;
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
