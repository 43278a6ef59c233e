/**
 * @module agentwrite/strip-section-label — removes the label a model puts at the top of a section
 * ("Paragraph 3", "**Paragraph 3:**", "Section 3 -", "段落3：", "第三段", "### Paragraph 3: Title"),
 * keeping any real subtitle after it. Only the first non-empty line is touched.
 */

const ZH_NUM = "零〇一二两三四五六七八九十百\\d";
const LABEL = new RegExp(
  [
    "^(?<heading>#{1,6}\\s*)?",
    "(?<open>\\*\\*|__|\\*)?\\s*",
    "(?:(?:paragraph|section|part|segment)\\s*#?\\s*\\d+|段落\\s*\\d+|第\\s*[" + ZH_NUM + "]+\\s*(?:段|部分|节))",
    "\\s*(?:[（(][^)）]{0,40}?(?:words?|字)[)）])?",
    "\\s*(?<close1>\\*\\*|__|\\*)?",
    "\\s*(?:[:：.\\-–—|]\\s*)?",
    "(?<close2>\\*\\*|__|\\*)?\\s*",
  ].join(""),
  "iu",
);
const STEP_ECHO = /^(?:about\s*)?\d[\d,]*\s*words?\s*\|/i;

/**
 * Returns `text` without a leading section label. A label alone on its line removes the line; a label
 * followed by a subtitle keeps the subtitle (and its heading/bold markup).
 * @example stripSectionLabel("**Paragraph 2:** The Storm\n\nRain fell…") // "The Storm\n\nRain fell…"
 */
export function stripSectionLabel(text: string): string {
  const lines = text.split("\n");
  const first = lines.findIndex((line) => line.trim() !== "");
  if (first === -1) return text.trim();
  const line = lines[first]!.trim();
  const match = LABEL.exec(line);
  if (!match || match[0].trim() === "") return text.trim();
  const groups = match.groups ?? {};
  let rest = line.slice(match[0].length).trim();
  const open = groups.open;
  const closed = Boolean(groups.close1 || groups.close2);
  if (open && !closed && rest.endsWith(open)) rest = `${open}${rest}`;
  if (STEP_ECHO.test(rest) || rest === "" || /^(\*\*|__|\*)$/.test(rest)) {
    lines.splice(first, 1);
  } else {
    lines[first] = `${groups.heading ?? ""}${rest}`;
  }
  return lines.join("\n").trim();
}
