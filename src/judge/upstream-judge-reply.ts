/**
 * @module judge/upstream-judge-reply — LongBench-Write's own rules for reading a judge reply
 * (`evaluation/eval_quality.py`), reimplemented from their behaviour so S_q matches upstream's numbers:
 * - if the reply contains "```json", keep the first match of ```json\n(.*?)\n``` (dot matches newline);
 *   no match is a failed try;
 * - delete every "\n", then parse as JSON (Python's json.loads: also NaN / Infinity);
 * - each of the six dimension names must be a member of the result. In upstream's loop the first missing
 *   name costs one try and sets the result to None, after which the next membership test raises and
 *   costs another: a reply lacking only "Reading Experience" (the last) costs 1 try, any other miss 2;
 * - values are not checked at this point (4.5, "4", 0 and 6 all pass); they are read later with
 *   Python's float().
 */
import { JUDGE_DIMENSIONS, type JudgeDimension } from "../schemas/judgement.js";
import { pythonStrip } from "../upstream/python-text.js";

/** Scores as upstream keeps them: any of the six dimensions, as numbers (float()). */
export type UpstreamScores = Partial<Record<JudgeDimension, number>>;

export type UpstreamReplyParse =
  | { ok: true; scores: UpstreamScores }
  | { ok: false; /** Tries this reply costs in upstream's loop. */ cost: 1 | 2; reason: string };

const FENCE = /```json\n([\s\S]*?)\n```/;

/**
 * Reads one reply the way upstream does. A reply upstream would accept but whose values float() cannot
 * read (upstream then crashes while aggregating) is refused here at the cost of one try.
 */
export function parseUpstreamJudgeReply(reply: string): UpstreamReplyParse {
  let output = reply;
  if (output.includes("```json")) {
    const match = FENCE.exec(output);
    if (!match) return { ok: false, cost: 1, reason: 'a "```json" fence without a closing "\\n```"' };
    output = match[1]!;
  }
  output = output.split("\n").join("");
  let value: unknown;
  try {
    value = parsePythonJson(output);
  } catch {
    return { ok: false, cost: 1, reason: "not JSON once newlines are removed" };
  }
  for (const [i, dimension] of JUDGE_DIMENSIONS.entries()) {
    const member = pythonContains(value, dimension);
    if (member === undefined) return { ok: false, cost: 1, reason: `JSON of type ${describe(value)} (membership test fails)` };
    if (!member) {
      const missing = JUDGE_DIMENSIONS.filter((d) => pythonContains(value, d) === false);
      return { ok: false, cost: i === JUDGE_DIMENSIONS.length - 1 ? 1 : 2, reason: `missing ${missing.map((d) => JSON.stringify(d)).join(", ")}` };
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, cost: 1, reason: `JSON of type ${describe(value)} holds no scores` };
  }
  const scores: UpstreamScores = {};
  for (const dimension of JUDGE_DIMENSIONS) {
    const number = pythonFloat((value as Record<string, unknown>)[dimension]);
    if (number === undefined) {
      return { ok: false, cost: 1, reason: `${dimension} is ${JSON.stringify((value as Record<string, unknown>)[dimension])}, which float() cannot read` };
    }
    scores[dimension] = number;
  }
  return { ok: true, scores };
}

/**
 * Python's `float(x)` for values that come out of JSON: numbers, booleans (1.0 / 0.0) and numeric
 * strings (surrounding whitespace allowed, "inf", "nan"); undefined where float() raises.
 */
export function pythonFloat(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value !== "string") return undefined;
  const text = pythonStrip(value).replace(/(?<=\d)_(?=\d)/g, "");
  if (/^[+-]?(?:\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)$/i.test(text)) return Number(text);
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(text);
  if (special) return special[2]!.toLowerCase() === "nan" ? NaN : special[1] === "-" ? -Infinity : Infinity;
  return undefined;
}

/** Python's `name in value` for a JSON value: undefined where Python raises TypeError. */
function pythonContains(value: unknown, name: string): boolean | undefined {
  if (typeof value === "string") return value.includes(name);
  if (Array.isArray(value)) return value.some((v) => v === name);
  if (typeof value === "object" && value !== null) return Object.hasOwn(value, name);
  return undefined;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** json.loads: JSON.parse plus Python's NaN, Infinity and -Infinity literals outside strings. */
function parsePythonJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!/NaN|Infinity/.test(text)) throw error;
  }
  // Replace the bare literals (outside strings) with sentinels JSON can carry, then map them back.
  const marker = `\u0000py${Math.random().toString(36).slice(2)}:`;
  let out = "";
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      continue;
    }
    const rest = text.slice(i);
    const literal = /^(-?Infinity|NaN)/.exec(rest);
    if (literal) {
      out += JSON.stringify(`${marker}${literal[1]}`);
      i += literal[1]!.length - 1;
      continue;
    }
    out += c;
  }
  return JSON.parse(out, (_key, v: unknown) =>
    typeof v === "string" && v.startsWith(marker) ? ({ NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity } as Record<string, number>)[v.slice(marker.length)] : v,
  );
}
