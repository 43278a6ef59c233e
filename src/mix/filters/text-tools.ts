/**
 * @module mix/filters/text-tools — the text functions the mixing filters use (required-length
 * extraction, language detection), gathered in one seam so tests can substitute them.
 */
import { extractRequiredLengthDetailed } from "../../text/required-length.js";

export interface TextTools {
  /**
   * The explicit length a prompt asks for (words / CJK characters): null when it states none, "ambiguous"
   * when it states several different ones (evalscope keeps a prompt only with exactly one).
   */
  requiredLength(prompt: string): number | null | "ambiguous";
  /** Language code of a text ("en", "zh", ...). */
  detectLanguage(text: string): string;
}

export const defaultTextTools: TextTools = {
  requiredLength: (prompt) => {
    const details = extractRequiredLengthDetailed(prompt);
    return details.ambiguous ? "ambiguous" : details.length;
  },
  detectLanguage: (text) => scriptLanguage(text),
};

/**
 * Language by script, enough for LongWriter's en/zh data: "zh" when CJK ideographs make up at least a
 * fifth of the letters, "ja"/"ko" for kana/hangul, "en" for mostly ASCII letters, else "other".
 */
export function scriptLanguage(text: string): string {
  let han = 0;
  let kana = 0;
  let hangul = 0;
  let latin = 0;
  let other = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if ((code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf)) han++;
    else if (code >= 0x3040 && code <= 0x30ff) kana++;
    else if (code >= 0xac00 && code <= 0xd7af) hangul++;
    else if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) latin++;
    else if (/\p{L}/u.test(char)) other++;
  }
  const letters = han + kana + hangul + latin + other;
  if (letters === 0) return "other";
  if (kana > 0 && kana + han >= letters * 0.2) return "ja";
  if (hangul >= letters * 0.2) return "ko";
  // A CJK character carries about as much as an English word of ~4.5 letters.
  if (han * 4 >= (latin + other) * 0.8 && han > 0) return "zh";
  if (latin >= letters * 0.6) return "en";
  return "other";
}
