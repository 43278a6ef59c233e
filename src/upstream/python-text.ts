/**
 * @module upstream/python-text — the two Python string operations LongWriter's scripts build prompts
 * with, so our requests match theirs byte for byte: `str.strip()` (Python's whitespace set differs from
 * JavaScript's `trim()`: it strips U+001C–U+001F and U+0085 and keeps U+FEFF) and chained
 * `str.replace(old, new)` (every non-overlapping occurrence, left to right, no `$&`-style patterns).
 */

/** Characters Python's `str.isspace()` is true for. */
const PYTHON_SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const LEADING = new RegExp(`^[${PYTHON_SPACE}]+`);
const TRAILING = new RegExp(`[${PYTHON_SPACE}]+$`);

/** Python's `text.strip()`. */
export function pythonStrip(text: string): string {
  return text.replace(LEADING, "").replace(TRAILING, "");
}

/** Python's `text.replace(old, new)`: every non-overlapping occurrence, scanning left to right. */
export function pythonReplace(text: string, old: string, replacement: string): string {
  if (old === "") throw new RangeError("pythonReplace: empty pattern");
  return text.split(old).join(replacement);
}

/**
 * Python's chained `template.replace(a, x).replace(b, y)…`: each replacement runs on the result of the
 * previous one (so a value containing a later placeholder is itself filled, as upstream does).
 */
export function replaceInOrder(template: string, pairs: ReadonlyArray<readonly [string, string]>): string {
  let text = template;
  for (const [old, value] of pairs) text = pythonReplace(text, old, value);
  return text;
}
