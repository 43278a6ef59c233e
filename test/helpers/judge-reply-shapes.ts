/**
 * @module test/helpers/judge-reply-shapes — 13 common shapes of LongBench-Write judge replies (standard
 * fence, bare JSON after prose, 4.5, fence closed on the JSON line, two fenced blocks, numeric strings,
 * lower-case keys, garbage then valid, a dimension missing three times then valid, out-of-range values,
 * trailing comma, "Breadth & Depth", upper-case "JSON" fence), as a pure function of item and call.
 */
export const DIMS = ["Relevance", "Accuracy", "Coherence", "Clarity", "Breadth and Depth", "Reading Experience"] as const;
export type Dim = (typeof DIMS)[number];

export const scoresFor = (i: number): Record<Dim, number> => Object.fromEntries(DIMS.map((d, k) => [d, 1 + ((i * 7 + 3 * k) % 5)])) as Record<Dim, number>;
export const fenced = (json: string): string => `The response is focused.\n\`\`\`json\n${json}\n\`\`\``;
export const pairs = (s: Record<string, unknown>): string =>
  Object.entries(s)
    .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(", ");

/** The judge's reply to item i on its `call`-th request (0-based): shape i % 13. */
export function reply(i: number, call: number): string {
  const s = scoresFor(i);
  switch (i % 13) {
    case 0: // standard fence, a raw newline inside the analysis string
      return fenced(`{"Analysis": "Solid work.\nSecond line.", ${pairs(s)}}`);
    case 1: // bare JSON after prose
      return `Here is my evaluation of the response.\n${JSON.stringify({ Analysis: "ok", ...s })}`;
    case 2: // a 4.5
      return fenced(JSON.stringify({ Analysis: "ok", ...s, Clarity: 4.5 }));
    case 3: // fence closed on the JSON line
      return `Verdict:\n\`\`\`json\n${JSON.stringify({ Analysis: "ok", ...s })}\`\`\``;
    case 4: // two fenced blocks: an example first
      return `Format:\n\`\`\`json\n${JSON.stringify(Object.fromEntries(DIMS.map((d) => [d, 3])))}\n\`\`\`\nMy verdict:\n\`\`\`json\n${JSON.stringify({ Analysis: "ok", ...s })}\n\`\`\``;
    case 5: // numeric strings (one with a leading space)
      return fenced(JSON.stringify({ Analysis: "ok", ...Object.fromEntries(DIMS.map((d) => [d, d === "Accuracy" ? ` ${s[d]}` : String(s[d])])) }));
    case 6: // lower-case keys
      return fenced(JSON.stringify({ analysis: "ok", ...Object.fromEntries(DIMS.map((d) => [d.toLowerCase(), s[d]])) }));
    case 7: // garbage, then valid
      return call === 0 ? "I cannot decide yet." : fenced(JSON.stringify({ Analysis: "ok", ...s }));
    case 8: {
      // a dimension missing three times, then valid
      const missing: Dim = Math.floor(i / 13) % 2 === 0 ? "Reading Experience" : "Clarity";
      const partial = Object.fromEntries(DIMS.filter((d) => d !== missing).map((d) => [d, s[d]]));
      return fenced(JSON.stringify({ Analysis: "ok", ...(call < 3 ? partial : s) }));
    }
    case 9: // out-of-range values
      return fenced(JSON.stringify({ Analysis: "ok", ...s, Relevance: 0, Accuracy: 6, Coherence: 7 }));
    case 10: // trailing comma
      return fenced(`{"Analysis": "ok", ${pairs(s)},}`);
    case 11: // "Breadth & Depth"
      return fenced(JSON.stringify({ Analysis: "ok", ...Object.fromEntries(DIMS.map((d) => [d === "Breadth and Depth" ? "Breadth & Depth" : d, s[d]])) }));
    default: // 12: upper-case "JSON" fence
      return `Evaluation:\n\`\`\`JSON\n${JSON.stringify({ Analysis: "ok", ...s })}\n\`\`\``;
  }
}
