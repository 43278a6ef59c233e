/**
 * @module judge/judge-template — the judge prompt template: loaded from `prompts/judge.md` (or a user's
 * file), hashed so every judgement records which template produced it, and filled in one pass.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../errors.js";
import { sha256Hex } from "../util/sha256.js";

/** A judge prompt template with `{{prompt}}` and `{{response}}` placeholders. */
export interface JudgeTemplate {
  text: string;
  /** sha256 hex of `text`; recorded in each judgement as `promptHash`. */
  hash: string;
  /** Where it came from (a path, or "builtin:judge.md"). */
  source: string;
}

/** Path of the bundled template (LongBench-Write's rubric in our own words). */
export const DEFAULT_JUDGE_TEMPLATE_PATH = fileURLToPath(new URL("./prompts/judge.md", import.meta.url));

const PLACEHOLDERS = ["{{prompt}}", "{{response}}"] as const;

/** Makes a template from text, checking it has both placeholders. */
export function judgeTemplateFromText(text: string, source = "inline"): JudgeTemplate {
  for (const placeholder of PLACEHOLDERS) {
    if (!text.includes(placeholder)) {
      throw new ConfigError(`judge template has no ${placeholder} placeholder (it needs {{prompt}} and {{response}})`, { file: source });
    }
  }
  return { text, hash: sha256Hex(text), source };
}

/** Loads a judge template from `path`, or the bundled one when `path` is undefined. */
export async function loadJudgeTemplate(path?: string): Promise<JudgeTemplate> {
  const file = path ?? DEFAULT_JUDGE_TEMPLATE_PATH;
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    throw new ConfigError(`cannot read judge template: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { file, cause });
  }
  return judgeTemplateFromText(text, path ?? "builtin:judge.md");
}

/** Fills both placeholders in one pass, so a prompt that itself contains "{{response}}" stays literal. */
export function renderJudgePrompt(template: JudgeTemplate, values: { prompt: string; response: string }): string {
  return template.text.replace(/\{\{(prompt|response)\}\}/g, (_, name: "prompt" | "response") => values[name]);
}
