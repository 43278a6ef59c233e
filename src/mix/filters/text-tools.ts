/**
 * @module mix/filters/text-tools — the text functions the mixing filters use (required-length
 * extraction, language detection), gathered in one seam so tests can substitute them.
 */
import { detectLanguage } from "../../text/language.js";
import { extractRequiredLengthDetailed } from "../../text/required-length.js";

export interface TextTools {
  /**
   * The explicit length a prompt asks for (words / CJK characters): null when it states none, "ambiguous"
   * when it states several different ones (evalscope keeps a prompt only with exactly one).
   */
  requiredLength(prompt: string): number | null | "ambiguous";
  /** Language of a text by script: "en", "zh" or "other" (see text/language). */
  detectLanguage(text: string): string;
}

export const defaultTextTools: TextTools = {
  requiredLength: (prompt) => {
    const details = extractRequiredLengthDetailed(prompt);
    return details.ambiguous ? "ambiguous" : details.length;
  },
  detectLanguage: (text) => detectLanguage(text),
};
