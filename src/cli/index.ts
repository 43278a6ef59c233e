#!/usr/bin/env node
/**
 * @module cli — the `longwriter` command line: a thin layer over the library. `--version` and plain help
 * requests are answered from the help the build rendered (cli/prerendered-help.ts) without loading yargs;
 * everything else is parsed by yargs (cli/build-parser.ts), which loads only the command being run.
 */
import { TOOL_VERSION } from "../version.js";
import { helpWidth } from "./help-width.js";
import { prerenderedOutput, readPrerenderedHelp } from "./prerendered-help.js";

// `longwriter stats x | head` closes stdout early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

async function main(): Promise<void> {
  const [{ buildParser }, { hideBin }] = await Promise.all([import("./build-parser.js"), import("yargs/helpers")]);
  await (await buildParser(hideBin(process.argv))).parseAsync();
}

// Plain Node puts the arguments after the script (yargs' hideBin, above, also knows Electron's layout).
const quick = prerenderedOutput(process.argv.slice(2), { width: helpWidth(), env: process.env, version: TOOL_VERSION, table: () => readPrerenderedHelp() });
if (quick !== undefined) process.stdout.write(quick);
else
  main().catch((error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
