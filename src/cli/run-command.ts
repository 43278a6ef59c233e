/**
 * @module cli/run-command — wraps a command handler: prints toolkit errors as one clear line (no stack
 * unless LONGWRITER_DEBUG=1) and sets the exit code (1 failure, 2 usage).
 */
import { ToolkitError } from "../errors.js";

export function reportError(error: unknown): number {
  const debug = process.env.LONGWRITER_DEBUG === "1";
  if (ToolkitError.isInstance(error)) {
    process.stderr.write(`error: ${error.message}\n`);
    if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message}\n`);
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return 1;
}

/** Returns a yargs handler that runs `body` and turns thrown errors into an exit code. */
export function runCommand<A>(body: (args: A) => Promise<void | number>): (args: A) => Promise<void> {
  return async (args: A) => {
    try {
      const code = await body(args);
      if (typeof code === "number") process.exitCode = code;
    } catch (error) {
      process.exitCode = reportError(error);
    }
  };
}
