/**
 * @module judge/parse-judge-reply — reads the six LongBench-Write scores out of a judge's free-form reply.
 * Tolerant of fenced or bare JSON, prose around it, trailing commas, raw newlines inside strings and key
 * spelling ("breadth_and_depth"), but strict about values: whole numbers 1–5 or the reply is rejected.
 * A reply that cannot be read gives `{ error }`, never a guessed score.
 */
import { JUDGE_DIMENSIONS, type JudgeDimension, type JudgeScores } from "../schemas/judgement.js";

/** What a judge reply parses to: the scores (and the judge's analysis), or why it could not be read. */
export type JudgeReplyParse = { scores: JudgeScores; analysis?: string } | { error: string };

const normaliseKey = (key: string): string =>
  key
    .toLowerCase()
    .replace(/&/g, "and")
    .replace(/[^a-z]/g, "");
const DIMENSION_BY_KEY = new Map<string, JudgeDimension>(JUDGE_DIMENSIONS.map((d) => [normaliseKey(d), d]));

/**
 * Parses a judge reply. Tries, in order: each fenced code block (last first), each balanced `{…}` object
 * in the text (last first), then `Dimension: N` lines. The first candidate that names any dimension
 * decides the outcome: all six whole numbers in 1–5 → scores; anything else → an error saying what was wrong.
 *
 * @example parseJudgeReply('Solid.\n```json\n{"Relevance": 4, ...}\n```') // { scores: {...}, analysis: "Solid." }
 */
export function parseJudgeReply(text: string): JudgeReplyParse {
  if (text.trim() === "") return { error: "empty reply" };
  let sawJson = false;
  for (const candidate of jsonCandidates(text)) {
    const value = parseLenientJson(candidate.text);
    if (value === undefined) continue;
    sawJson = true;
    if (typeof value !== "object" || value === null || Array.isArray(value)) continue;
    const result = scoresFromObject(value as Record<string, unknown>);
    if (result === undefined) continue;
    if ("error" in result) return result;
    const analysis = result.analysis ?? proseBefore(text, candidate.start);
    return analysis ? { scores: result.scores, analysis } : { scores: result.scores };
  }
  const fromLines = scoresFromLines(text);
  if (fromLines) return fromLines;
  return { error: sawJson ? "reply has JSON but none of it names the six dimensions" : "no JSON object with scores in the reply" };
}

/** LongBench-Write's per-item quality: (mean of the six scores − 1) × 25, so 1–5 maps onto 0–100. */
export function qualityFromScores(scores: JudgeScores): number {
  let sum = 0;
  for (const dimension of JUDGE_DIMENSIONS) sum += scores[dimension];
  return (sum / JUDGE_DIMENSIONS.length - 1) * 25;
}

interface Candidate {
  text: string;
  /** Offset in the reply where the candidate starts (for taking the prose before it as analysis). */
  start: number;
}

function* jsonCandidates(text: string): Generator<Candidate> {
  const fences: Candidate[] = [];
  const fence = /```[ \t]*([A-Za-z0-9_-]*)[ \t]*\r?\n?([\s\S]*?)```/g;
  for (let m = fence.exec(text); m !== null; m = fence.exec(text)) {
    fences.push({ text: m[2] ?? "", start: m.index });
  }
  for (let i = fences.length - 1; i >= 0; i--) yield fences[i]!;
  // An unclosed fence (reply cut off, or the judge forgot the closing ```): take what follows it.
  const open = text.lastIndexOf("```");
  if (fences.length === 0 && open !== -1) yield { text: text.slice(open + 3).replace(/^[A-Za-z]*\s*/, ""), start: open };
  const objects = balancedObjects(text);
  for (let i = objects.length - 1; i >= 0; i--) yield objects[i]!;
}

/** Every outermost balanced `{…}` span in `text`, respecting JSON string quoting. */
function balancedObjects(text: string): Candidate[] {
  const found: Candidate[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"' && depth > 0) inString = true;
    else if (c === "{") {
      if (depth === 0) start = i;
      depth++;
    } else if (c === "}" && depth > 0) {
      depth--;
      if (depth === 0) found.push({ text: text.slice(start, i + 1), start });
    }
  }
  return found;
}

/** JSON.parse, then again after light repairs (raw control characters in strings, trailing commas). */
function parseLenientJson(source: string): unknown {
  const trimmed = source.trim();
  if (!trimmed.startsWith("{")) {
    const brace = trimmed.indexOf("{");
    if (brace === -1) return undefined;
    return parseLenientJson(trimmed.slice(brace));
  }
  try {
    return JSON.parse(trimmed);
  } catch {
    // fall through to repairs
  }
  const repaired = removeTrailingCommas(escapeControlCharsInStrings(trimmed));
  try {
    return JSON.parse(repaired);
  } catch {
    const last = repaired.lastIndexOf("}");
    if (last > 0 && last < repaired.length - 1) {
      try {
        return JSON.parse(repaired.slice(0, last + 1));
      } catch {
        return undefined;
      }
    }
    return undefined;
  }
}

function escapeControlCharsInStrings(text: string): string {
  let out = "";
  let inString = false;
  let escaped = false;
  for (const c of text) {
    if (inString) {
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === '"') inString = false;
      else if (c === "\n") {
        out += "\\n";
        continue;
      } else if (c === "\r") continue;
      else if (c === "\t") {
        out += "\\t";
        continue;
      }
    } else if (c === '"') inString = true;
    out += c;
  }
  return out;
}

function removeTrailingCommas(text: string): string {
  let out = "";
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ",") {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      if (text[j] === "}" || text[j] === "]") continue;
    }
    out += c;
  }
  return out;
}

type ObjectResult = { scores: JudgeScores; analysis?: string } | { error: string };

/** undefined when the object names no dimension at all (so it is not the verdict). */
function scoresFromObject(object: Record<string, unknown>): ObjectResult | undefined {
  const values = new Map<JudgeDimension, unknown>();
  let analysis: string | undefined;
  for (const [key, value] of Object.entries(object)) {
    const normalised = normaliseKey(key);
    const dimension = DIMENSION_BY_KEY.get(normalised);
    if (dimension) values.set(dimension, value);
    else if ((normalised === "analysis" || normalised === "explanation") && typeof value === "string") analysis = value.trim();
  }
  if (values.size === 0) return undefined;
  return buildScores(values, analysis);
}

function buildScores(values: Map<JudgeDimension, unknown>, analysis: string | undefined): ObjectResult {
  const missing = JUDGE_DIMENSIONS.filter((d) => !values.has(d));
  if (missing.length > 0) return { error: `missing dimension${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}` };
  const scores = {} as Record<JudgeDimension, number>;
  for (const dimension of JUDGE_DIMENSIONS) {
    const raw = values.get(dimension);
    const number = typeof raw === "number" ? raw : typeof raw === "string" && /^\s*\d+(\.0+)?\s*$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(number) || number < 1 || number > 5) {
      return { error: `${dimension} is ${JSON.stringify(raw)}, expected a whole number from 1 to 5` };
    }
    scores[dimension] = number;
  }
  return analysis ? { scores: scores as JudgeScores, analysis } : { scores: scores as JudgeScores };
}

/** Last resort: lines such as `**Coherence**: 4` or `- Clarity = 3/5`, all six required. */
function scoresFromLines(text: string): JudgeReplyParse | undefined {
  const values = new Map<JudgeDimension, unknown>();
  const line = /^[\s*#>\-•]*([A-Za-z][A-Za-z &_]*?)[\s*"]*[:=][\s*]*(\d+(?:\.\d+)?)(?:\s*\/\s*5)?[\s*]*$/gm;
  let firstIndex = -1;
  for (let m = line.exec(text); m !== null; m = line.exec(text)) {
    const dimension = DIMENSION_BY_KEY.get(normaliseKey(m[1] ?? ""));
    if (!dimension) continue;
    if (firstIndex === -1) firstIndex = m.index;
    values.set(dimension, Number(m[2]));
  }
  if (values.size === 0) return undefined;
  const result = buildScores(values, undefined);
  if ("error" in result) return result;
  const analysis = proseBefore(text, firstIndex);
  return analysis ? { scores: result.scores, analysis } : { scores: result.scores };
}

function proseBefore(text: string, offset: number): string | undefined {
  const prose = text.slice(0, Math.max(0, offset)).trim();
  return prose === "" ? undefined : prose;
}
