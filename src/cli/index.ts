#!/usr/bin/env node
/** @module cli — the `longwriter` command line: a thin layer over the library. */
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { ToolkitError } from "../errors.js";
import { TOOL_VERSION } from "../version.js";
import { loadCommands } from "./commands/index.js";

// `longwriter stats x | head` closes stdout early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

async function main(argv: string[]): Promise<void> {
  let parser = yargs(argv)
    .scriptName("longwriter")
    .usage("$0 <command> [options]\n\nThe data side of LongWriter: long-output SFT data, mixtures, DPO pairs, Hub datasets, evaluation.")
    .version(TOOL_VERSION)
    .strict()
    .demandCommand(1, "Name a command; see --help.")
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((message, error) => {
      // Errors reaching here come from argument parsing and `.check()`: usage errors (exit 2) unless a
      // toolkit error says otherwise. Command handlers report their own errors (runCommand).
      const code = error && ToolkitError.isInstance(error) ? error.exitCode : 2;
      process.stderr.write(`error: ${error ? error.message : message}\n${code === 2 ? "\nRun 'longwriter --help' for usage.\n" : ""}`);
      process.exit(code);
    });
  for (const command of await loadCommands(argv)) parser = parser.command(command);
  await parser.help().alias("h", "help").parseAsync();
}

main(hideBin(process.argv)).catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
