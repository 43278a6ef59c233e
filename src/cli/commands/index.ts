/**
 * @module cli/commands — every CLI command, in pipeline order (the order `--help` lists them). Each is
 * loaded on demand: running one command imports only that command's part of the library, which keeps
 * start-up short; the top-level `--help` (or an unknown name) loads them all.
 */
import type { CommandModule } from "yargs";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
// biome-ignore lint/suspicious/noExplicitAny: one list holds commands whose argument types differ
type AnyCommand = CommandModule<any, any>;

/** Command name (the first word of its `command` string) → loader of its module. */
export const commandLoaders: ReadonlyArray<readonly [string, () => Promise<AnyCommand>]> = [
  // read and describe data
  ["convert", async () => (await import("./convert.js")).convertCommand as AnyCommand],
  ["stats", async () => (await import("./stats.js")).statsCommand as AnyCommand],
  // long-output SFT data
  ["select", async () => (await import("./select.js")).selectCommand as AnyCommand],
  ["agentwrite", async () => (await import("./agentwrite.js")).agentwriteCommand as AnyCommand],
  ["filter", async () => (await import("./filter.js")).filterCommand as AnyCommand],
  // mixtures
  ["mix", async () => (await import("./mix.js")).mixCommand as AnyCommand],
  // DPO
  ["sample", async () => (await import("./sample.js")).sampleCommand as AnyCommand],
  ["judge", async () => (await import("./judge.js")).judgeCommand as AnyCommand],
  ["pairs", async () => (await import("./pairs.js")).pairsCommand as AnyCommand],
  ["export", async () => (await import("./export.js")).exportCommand as AnyCommand],
  // the Hub
  ["publish", async () => (await import("./publish.js")).publishCommand as AnyCommand],
  ["pull", async () => (await import("./pull.js")).pullCommand as AnyCommand],
  // evaluation
  ["eval", async () => (await import("./eval.js")).evalCommandModule as AnyCommand],
  ["report", async () => (await import("./report.js")).reportCommand as AnyCommand],
];

/**
 * The command modules to register for `argv`: just the named command when the first non-option word
 * names one, else all of them (for `--help`, a typo's suggestion, or no command at all).
 */
export async function loadCommands(argv: readonly string[]): Promise<AnyCommand[]> {
  const name = argv.find((arg) => !arg.startsWith("-"));
  const named = commandLoaders.find(([command]) => command === name);
  if (named) return [await named[1]()];
  // `longwriter --version` needs no command at all.
  if (name === undefined && argv.includes("--version") && !argv.includes("--help") && !argv.includes("-h")) return [];
  return Promise.all(commandLoaders.map(([, load]) => load()));
}
