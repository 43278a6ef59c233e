/**
 * @module io/json-depth — how deeply a parsed JSON value nests. JSON.parse accepts any depth, but
 * JSON.stringify, zod and hashing recurse and overflow the stack on a record nested thousands deep; the
 * readers refuse such a record up front, with its file and line.
 */

/** Deepest nesting a record may have (arrays and objects; a chat record needs about 5). */
export const MAX_JSON_DEPTH = 1000;

/**
 * True when `value` nests more than `max` arrays/objects deep. Iterative (no recursion, so it cannot
 * overflow itself) and stops at the first path that is too deep.
 */
export function nestsDeeperThan(value: unknown, max: number = MAX_JSON_DEPTH): boolean {
  if (typeof value !== "object" || value === null) return false;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > max) return true;
    const children = Array.isArray(node) ? node : Object.values(node as Record<string, unknown>);
    for (const child of children) if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}
