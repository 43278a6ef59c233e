/**
 * @module io/lone-surrogate — finds text that is not valid Unicode. JSON may escape half of a UTF-16
 * surrogate pair on its own (`"\ud800"`); JavaScript keeps it, but no UTF-8 output can hold it (Parquet
 * and every UTF-8 encoder turn it into U+FFFD, Python refuses it), so the readers refuse such a record
 * with its file, line and field instead of letting its text change silently on the way out.
 */

/** A `\uD800`–`\uDFFF` escape in JSON text: the only way a lone surrogate gets into a parsed value. */
const SURROGATE_ESCAPE = /\\u[dD][89abcdefABCDEF]/;
/** In a `u` regex a proper pair is one code point, so this matches only an unpaired half. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Cheap pre-check on JSON text: false means no parsed string can hold a lone surrogate. */
export function mayHoldLoneSurrogate(jsonText: string): boolean {
  return SURROGATE_ESCAPE.test(jsonText);
}

/** True when `text` holds half of a surrogate pair on its own. */
export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/**
 * `hasLoneSurrogate`'s opposite, through the engine's own check (`String.prototype.isWellFormed`, Node 20+):
 * about 6× faster on text of two-byte characters, and immediate on one-byte text. For per-row checks.
 */
export function isWellFormedText(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/**
 * The dotted path (`messages.2.content`) of the first string or key in `value` holding a lone
 * surrogate, or undefined. Iterative, so any nesting depth is safe.
 */
export function loneSurrogatePath(value: unknown): string | undefined {
  const stack: Array<[unknown, string]> = [[value, ""]];
  const join = (path: string, key: string | number) => (path === "" ? String(key) : `${path}.${key}`);
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (typeof node === "string") {
      if (hasLoneSurrogate(node)) return path === "" ? "(value)" : path;
    } else if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], join(path, i)]);
    } else if (typeof node === "object" && node !== null) {
      const entries = Object.entries(node);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        if (hasLoneSurrogate(key)) return join(path, `${key} (the key)`);
        stack.push([child, join(path, key)]);
      }
    }
  }
  return undefined;
}

/** The reason readers give for such a record. */
export const LONE_SURROGATE_REASON =
  "holds a lone UTF-16 surrogate (an unpaired \\uD800–\\uDFFF escape), which is not valid Unicode: UTF-8 outputs such as Parquet cannot keep it; fix the text at its source";
