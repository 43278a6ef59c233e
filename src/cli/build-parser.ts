/**
 * @module cli/build-parser — the yargs parser of the `longwriter` command line: global options, the
 * usage-error handler and the commands `argv` needs (see commands/index.ts). The entry (cli/index.ts)
 * runs it; the build renders `--help` with it ahead of time (cli/prerendered-help.ts).
 */
import yargs, { type Argv } from "yargs";
import { ToolkitError } from "../errors.js";
import { TOOL_VERSION } from "../version.js";
import { loadCommands } from "./commands/index.js";
import { helpWidth } from "./help-width.js";

/** The parser for `argv` (the arguments after `longwriter`), laying out help in `width` columns. */
export async function buildParser(argv: readonly string[], width: number = helpWidth()): Promise<Argv> {
  let parser = yargs([...argv])
    .scriptName("longwriter")
    .usage("$0 <command> [options]\n\nThe data side of LongWriter: long-output SFT data, mixtures, DPO pairs, Hub datasets, evaluation.")
    .version(TOOL_VERSION)
    .strict()
    .demandCommand(1, "Name a command; see --help.")
    .recommendCommands()
    .wrap(width)
    .fail((message, error) => {
      // Errors reaching here come from argument parsing and `.check()`: usage errors (exit 2) unless a
      // toolkit error says otherwise. Command handlers report their own errors (runCommand).
      const code = error && ToolkitError.isInstance(error) ? error.exitCode : 2;
      process.stderr.write(`error: ${error ? error.message : message}\n${code === 2 ? "\nRun 'longwriter --help' for usage.\n" : ""}`);
      process.exit(code);
    });
  for (const command of await loadCommands(argv)) parser = parser.command(command);
  parser = parser.help().alias("h", "help");
  skipHelpCaching(parser);
  return parser;
}

/** The part of yargs' internals `skipHelpCaching` touches (yargs 18; package.json pins the version). */
interface YargsInternals {
  getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: unknown } };
}

/**
 * yargs lays out a command's whole help each time the command runs (20–30 ms of a start-up, before the command's
 * own work goes on), to have it ready should the handler ask for it; our handlers never do (a usage error points
 * to `--help` instead). That step is replaced by a no-op on the parser's usage object, which the command's parser
 * shares. It is an internal of yargs: if a new version drops it, this does nothing and the build-parser test fails.
 */
export function skipHelpCaching(parser: Argv): void {
  const usage = (parser as unknown as YargsInternals).getInternalMethods?.().getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === "function") usage.cacheHelpMessage = () => undefined;
}
