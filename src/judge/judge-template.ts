/**
 * @module judge/judge-template — the judge prompt template: the bundled `prompts/judge.md` (ours, used by
 * `judge`), LongBench-Write's own `evaluation/judge.txt` (downloaded at the pinned commit; the default of
 * `eval longbench-write`), or a user's file. Each is hashed so every verdict records which template made
 * it. Ours fills `{{prompt}}`/`{{response}}` in one pass; upstream's `$INST$`/`$RESPONSE$` are replaced
 * one after the other, as upstream's script does.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { ConfigError } from "../errors.js";
import { replaceInOrder } from "../upstream/python-text.js";
import { UPSTREAM_FILES, readUpstreamText, type ResolveUpstreamFileOptions } from "../upstream/upstream-files.js";
import { sha256Hex } from "./sha256-hex.js";

/** A judge prompt template. */
export interface JudgeTemplate {
  text: string;
  /** sha256 hex of `text`; recorded in each judgement as `promptHash`. */
  hash: string;
  /** Where it came from (a path, "builtin:judge.md", or the upstream URL / local copy). */
  source: string;
  /** "toolkit": `{{prompt}}` and `{{response}}`; "upstream": `$INST$` and `$RESPONSE$`. @default "toolkit" */
  placeholders?: "toolkit" | "upstream";
  /** "builtin" (ours), "upstream" (LongBench-Write's judge.txt, sha256-checked) or "file" (the user's). */
  origin?: "builtin" | "upstream" | "file";
}

/** Path of the bundled template (LongBench-Write's rubric in our own words). */
export const DEFAULT_JUDGE_TEMPLATE_PATH = fileURLToPath(new URL("./prompts/judge.md", import.meta.url));

const TOOLKIT_PLACEHOLDERS = ["{{prompt}}", "{{response}}"] as const;
const UPSTREAM_PLACEHOLDERS = ["$INST$", "$RESPONSE$"] as const;

/**
 * Makes a template from text. Upstream's placeholders (`$INST$` and `$RESPONSE$`) or ours
 * (`{{prompt}}` and `{{response}}`) must both be there; upstream's win when a text has both sets.
 */
export function judgeTemplateFromText(text: string, source = "inline", origin: JudgeTemplate["origin"] = "file"): JudgeTemplate {
  const hasAll = (names: readonly string[]) => names.every((name) => text.includes(name));
  let placeholders: JudgeTemplate["placeholders"];
  if (hasAll(UPSTREAM_PLACEHOLDERS)) placeholders = "upstream";
  else if (hasAll(TOOLKIT_PLACEHOLDERS)) placeholders = "toolkit";
  else {
    const upstreamish = UPSTREAM_PLACEHOLDERS.some((name) => text.includes(name));
    const missing = (upstreamish ? UPSTREAM_PLACEHOLDERS : TOOLKIT_PLACEHOLDERS).filter((name) => !text.includes(name));
    throw new ConfigError(
      `judge template has no ${missing.join(" or ")} placeholder (it needs {{prompt}} and {{response}}, or upstream's $INST$ and $RESPONSE$)`,
      { file: source },
    );
  }
  return { text, hash: sha256Hex(text), source, placeholders, origin };
}

/** Loads a judge template from `path` (origin "file"), or the bundled one when `path` is undefined. */
export async function loadJudgeTemplate(path?: string): Promise<JudgeTemplate> {
  const file = path ?? DEFAULT_JUDGE_TEMPLATE_PATH;
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    throw new ConfigError(`cannot read judge template: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { file, cause });
  }
  return judgeTemplateFromText(text, path ?? "builtin:judge.md", path === undefined ? "builtin" : "file");
}

/** LongBench-Write's judge.txt at the pinned commit (local copy, cache or download; sha256-checked). */
export async function loadUpstreamJudgeTemplate(options: Omit<ResolveUpstreamFileOptions, "name"> = {}): Promise<JudgeTemplate> {
  const file = await readUpstreamText({ ...options, name: "judge.txt" });
  return judgeTemplateFromText(file.text, file.from === "local" ? file.path : file.url, "upstream");
}

/** Whether a template's text is byte-identical to upstream's judge.txt. */
export function isUpstreamJudgeTemplate(template: JudgeTemplate): boolean {
  return template.hash === UPSTREAM_FILES["judge.txt"].sha256;
}

/**
 * Fills a template. Ours: both placeholders in one pass, so a prompt that itself contains
 * "{{response}}" stays literal. Upstream's: `$INST$` then `$RESPONSE$`, as Python's chained replace.
 */
export function renderJudgePrompt(template: JudgeTemplate, values: { prompt: string; response: string }): string {
  if (template.placeholders === "upstream") {
    return replaceInOrder(template.text, [
      ["$INST$", values.prompt],
      ["$RESPONSE$", values.response],
    ]);
  }
  return template.text.replace(/\{\{(prompt|response)\}\}/g, (_, name: "prompt" | "response") => values[name]);
}
