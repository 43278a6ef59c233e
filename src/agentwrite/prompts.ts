/**
 * @module agentwrite/prompts — the plan/write/replan templates (files in ./prompts, our own words) and
 * `{{name}}` filling. Users can swap the plan or write template for their own file.
 */
import { readFile } from "node:fs/promises";
import { ConfigError } from "../errors.js";

export interface AgentWritePrompts {
  /** Our prompts (the default when absent); upstream's are `UpstreamAgentWritePrompts`. */
  preset?: "toolkit";
  /** Placeholders: {{instruction}}, {{length}}. */
  plan: string;
  /** Placeholders: {{instruction}}, {{plan}}, {{text}}, {{step}}. */
  write: string;
  /** Placeholders: {{problem}}, {{limits}}. */
  replan: string;
}

type TemplateKind = "plan" | "write" | "replan";

const REQUIRED: Record<TemplateKind, string[]> = {
  plan: ["instruction"],
  write: ["instruction", "plan", "text", "step"],
  replan: ["problem"],
};

async function readTemplate(file: string | URL, kind: TemplateKind, userFile: boolean): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    throw new ConfigError(`cannot read the ${kind} prompt (${(cause as NodeJS.ErrnoException).code ?? "error"})`, {
      file: String(file),
      cause,
    });
  }
  for (const name of REQUIRED[kind]) {
    if (!text.includes(`{{${name}}}`)) {
      throw new ConfigError(`the ${kind} prompt lacks the placeholder {{${name}}}`, { file: String(file), exitCode: userFile ? 2 : 1 });
    }
  }
  return text;
}

/** Loads the built-in templates, replacing plan/write with the given files. */
export async function loadAgentWritePrompts(options: { planFile?: string | undefined; writeFile?: string | undefined } = {}): Promise<AgentWritePrompts> {
  const builtIn = (name: string) => new URL(`./prompts/${name}.md`, import.meta.url);
  const [plan, write, replan] = await Promise.all([
    readTemplate(options.planFile ?? builtIn("plan"), "plan", options.planFile !== undefined),
    readTemplate(options.writeFile ?? builtIn("write"), "write", options.writeFile !== undefined),
    readTemplate(builtIn("replan"), "replan", false),
  ]);
  return { preset: "toolkit", plan, write, replan };
}

/** Replaces each `{{name}}` in one pass (values are never re-scanned, so text containing braces is safe). */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{([a-z_]+)\}\}/g, (whole, name: string) => (name in values ? values[name]! : whole));
}
