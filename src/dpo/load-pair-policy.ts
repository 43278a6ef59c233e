/**
 * @module dpo/load-pair-policy — reads a pair policy (YAML or JSON), validates it and reports the first
 * problem as `recipes/p.yaml: field rejected.strategy: … (line 7)`.
 */
import { readFile } from "node:fs/promises";
import { isMap, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import { ConfigError, issuePath } from "../errors.js";
import { pairPolicySchema, type PairPolicy } from "../schemas/pair-policy.js";
import { stableHash } from "../text/record-id.js";

/** A validated policy and where it came from. */
export interface LoadedPairPolicy {
  policy: PairPolicy;
  file: string;
  /** sha256 of the policy with defaults applied and keys sorted (comments don't change it). */
  hash: string;
  /** The policy text as written (copied into the dataset dir). */
  text: string;
}

/**
 * Loads and validates a pair policy file. Throws a ConfigError (exit code 2) naming file, field and line.
 *
 * @example const { policy } = await loadPairPolicy({ path: "recipes/dpo-longwriter-paper.yaml" });
 */
export async function loadPairPolicy({ path }: { path: string }): Promise<LoadedPairPolicy> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new ConfigError(code === "ENOENT" ? "pair policy file not found" : `cannot read the pair policy (${code ?? String(cause)})`, { file: path, cause });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    throw new ConfigError(`invalid YAML (line ${lineCounter.linePos(first.pos[0]).line}): ${first.message.split("\n")[0]}`, { file: path, cause: first });
  }
  const policy = validatePairPolicy({ value: doc.toJS(), file: path, locate: (field) => lineOf(doc, lineCounter, field) });
  return { policy, file: path, hash: stableHash(policy), text };
}

/** Validates an already-parsed policy object; `file` names it in errors. */
export function validatePairPolicy({
  value,
  file = "<policy>",
  locate,
}: {
  value: unknown;
  file?: string;
  locate?: (field: ReadonlyArray<PropertyKey>) => number | undefined;
}): PairPolicy {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigError("a pair policy is a YAML mapping (name, signals, rejected, ...)", { file });
  }
  const result = pairPolicySchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  let path: PropertyKey[] = [...issue.path];
  let message = issue.message;
  if (issue.code === "unrecognized_keys") {
    const keys = (issue as { keys: string[] }).keys;
    path = [...path, keys[0]!];
    message = `unknown field${keys.length > 1 ? ` (also: ${keys.slice(1).join(", ")})` : ""}`;
  } else if (issue.code === "invalid_union" && path.at(-1) === "rejected") {
    message = 'expected rejected.strategy to be "random-other", "worst" or "length-matched"';
  }
  const line = locate?.(path);
  throw new ConfigError(line === undefined ? message : `${message} (line ${line})`, { file, field: issuePath(path) || "(top level)" });
}

function lineOf(doc: Document, counter: LineCounter, path: ReadonlyArray<PropertyKey>): number | undefined {
  let node: unknown = doc.contents;
  let offset = (doc.contents as { range?: [number, number, number] } | null)?.range?.[0];
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
