/**
 * @module mix/publishable-recipe — the recipe as copied into a mix dir (`recipe.yaml`, published with it):
 * the text as written, except that local paths (`sources[].path`, `decontaminate.files`) are cut to their
 * file names, the way the dataset card names them, so no directory of the machine that ran the mix is
 * published. Comments and layout are kept; a recipe without directories in its paths is copied byte for
 * byte. Hub sources (`repo`, `files` inside the repo) are left as they are.
 */
import { isMap, isScalar, isSeq, parseDocument } from "yaml";

const NOTE = "# Local paths are reduced to file names (as in README.md); manifest.json lists them relative to the recipe.\n";

/** The file name of a local path or glob (`/data/x/*.jsonl` → `*.jsonl`), `\` counted as a separator. */
export function localFileLabel(path: string): string {
  return path.replace(/\\/g, "/").replace(/\/+$/, "").split("/").pop() || path;
}

/** Recipe text (YAML or JSON) with its local paths cut to file names; unchanged when none has a directory. */
export function publishableRecipe(text: string): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return text; // the recipe was loaded from this text, so this does not happen
  // Only the path scalars are replaced, in place: every other byte (comments, layout) stays as written.
  const edits: Array<{ start: number; end: number; value: string }> = [];
  const rewrite = (node: unknown): void => {
    if (!isScalar(node) || typeof node.value !== "string" || !node.range) return;
    const label = localFileLabel(node.value);
    if (label === node.value) return;
    const plain = node.type === "PLAIN" && /^[A-Za-z0-9_][\w.-]*$/.test(label);
    edits.push({ start: node.range[0], end: node.range[1], value: plain ? label : JSON.stringify(label) });
  };
  const sources = doc.get("sources", true);
  if (isSeq(sources)) for (const source of sources.items) if (isMap(source)) rewrite(source.get("path", true));
  const files = doc.getIn(["decontaminate", "files"], true);
  if (isSeq(files)) for (const file of files.items) rewrite(file);
  if (edits.length === 0) return text;
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.value + out.slice(edit.end);
  return out.trimStart().startsWith("{") ? out : NOTE + out;
}
