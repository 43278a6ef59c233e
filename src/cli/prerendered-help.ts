/**
 * @module cli/prerendered-help — `longwriter [<command>] --help` and `longwriter --version` without loading
 * yargs. Laying out help loads yargs, cliui, wrap-ansi and three copies of string-width (each building an
 * `Intl.Segmenter`), which took ~175 ms on top of Node's own start-up. So the build asks the real parser for
 * every command's help at each common width (`npm run build` → `scripts/render-help.mjs` → dist/cli/help.json)
 * and the entry prints the stored text when the request is one it holds. Anything else — another width, a
 * non-English locale, other arguments, a checkout run from source without the file — goes to yargs as before.
 * test/prerendered-help.test.ts holds the two paths to the same output.
 */
import { readFileSync } from "node:fs";
import { commandLoaders } from "./commands/index.js";

/** Help widths rendered ahead of time: a classic 80-column terminal, no terminal (100), wide terminals (110). */
export const PRERENDERED_WIDTHS: readonly number[] = [80, 100, 110];

/** What the build stores: width → command words ("" for the top level, "mix", …) → what yargs prints. */
export interface PrerenderedHelp {
  readonly widths: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** Where the build writes the table: beside this module (dist/cli/help.json). */
export const PRERENDERED_HELP_FILE: URL = new URL("./help.json", import.meta.url);

/**
 * The command words of a plain help request — `[<command>] --help` or `-h` as the last argument and
 * nothing else — or undefined for any other argument list.
 */
export function helpRequest(argv: readonly string[]): string | undefined {
  const last = argv.at(-1);
  if (last !== "--help" && last !== "-h") return undefined;
  const words = argv.slice(0, -1);
  if (words.length > 1 || words.some((word) => word.startsWith("-"))) return undefined;
  return words.join(" ");
}

/**
 * Whether yargs would print help in the English it was rendered in: yargs takes its locale from LC_ALL,
 * LC_MESSAGES, LANG, LANGUAGE (the first one set, cut at "." or ":"), default en_US; "en" and "en_*" read its
 * en.json, and C/POSIX have no translation file (yargs' own strings are used, which read the same in help).
 */
export function yargsLocaleIsEnglish(env: NodeJS.ProcessEnv): boolean {
  const locale = (env.LC_ALL || env.LC_MESSAGES || env.LANG || env.LANGUAGE || "en_US").replace(/[.:].*/, "");
  return locale === "en" || locale.startsWith("en_") || locale === "C" || locale === "POSIX";
}

/** The stored table, or undefined when there is none (a source checkout) or it cannot be read. */
export function readPrerenderedHelp(file: URL = PRERENDERED_HELP_FILE): PrerenderedHelp | undefined {
  try {
    const table = JSON.parse(readFileSync(file, "utf8")) as PrerenderedHelp;
    return typeof table === "object" && table !== null && typeof table.widths === "object" ? table : undefined;
  } catch {
    return undefined;
  }
}

export interface PrerenderedOutputContext {
  /** The help width the parser would use (help-width.ts). */
  width: number;
  env: NodeJS.ProcessEnv;
  /** The version `--version` prints. */
  version: string;
  /** Reads the stored help table (undefined: none); called only for a help request. */
  table: () => PrerenderedHelp | undefined;
}

/**
 * What the CLI prints on stdout for `argv` when it can be told without yargs (then it exits 0), else
 * undefined. Covers `--version` alone and the plain help requests the table holds for this width and locale.
 */
export function prerenderedOutput(argv: readonly string[], context: PrerenderedOutputContext): string | undefined {
  if (argv.length === 1 && argv[0] === "--version") return `${context.version}\n`;
  const words = helpRequest(argv);
  if (words === undefined || !yargsLocaleIsEnglish(context.env)) return undefined;
  const text = context.table()?.widths[String(context.width)]?.[words];
  return typeof text === "string" ? `${text}\n` : undefined;
}

/** The command words the build renders help for: the top level and every command. */
export function prerenderedHelpWords(): string[] {
  return ["", ...commandLoaders.map(([name]) => name)];
}

/** What yargs prints for `[<words>] --help` at `width` (without the final newline), in English. */
export async function renderHelp(words: string, width: number): Promise<string> {
  const { buildParser } = await import("./build-parser.js");
  const argv = [...(words === "" ? [] : words.split(" ")), "--help"];
  const parser = (await buildParser(argv, width)).locale("en");
  return await new Promise<string>((resolve, reject) => {
    parser.parse(argv, {}, (error, _args, output) => (error ? reject(error) : resolve(output)));
  });
}

/** Renders every command's help at every width in PRERENDERED_WIDTHS (what the build stores). */
export async function renderHelpTable(): Promise<PrerenderedHelp> {
  const widths: Record<string, Record<string, string>> = {};
  for (const width of PRERENDERED_WIDTHS) {
    const texts: Record<string, string> = {};
    for (const words of prerenderedHelpWords()) texts[words] = await renderHelp(words, width);
    widths[String(width)] = texts;
  }
  return { widths };
}
