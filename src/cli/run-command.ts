/**
 * @module cli/run-command — the run lifecycle every command shares: Ctrl-C/SIGTERM turned into an
 * AbortSignal (for commands that declare how to resume), progress displays stopped before anything else
 * is printed, toolkit errors printed as one clear line (no stack unless LONGWRITER_DEBUG=1) and the exit
 * code set (1 failure, 2 usage, 130 interrupted).
 */
import { ToolkitError } from "../errors.js";
import { itemProgress, type ItemProgress } from "./item-progress.js";

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

/** What a command body gets besides its arguments. */
export interface CommandRun {
  /** Aborted on Ctrl-C or SIGTERM when the command is `interruptible`; never aborted otherwise. */
  readonly signal: AbortSignal;
  /** A progress display on stderr, stopped when the body ends (before results or errors are printed). */
  progress(label: string, total: number): ItemProgress;
  /** Registers a display of the command's own to stop when the body ends. */
  onEnd(stop: () => void): void;
}

export interface RunCommandOptions {
  /**
   * Makes Ctrl-C/SIGTERM abort the run instead of killing the process: the body sees `run.signal`
   * aborted, and when it then fails the command prints `interrupted: <this text>` and exits 130.
   */
  interruptible?: string;
}

/** Exit code of a run stopped by Ctrl-C/SIGTERM (128 + SIGINT). */
export const INTERRUPTED_EXIT_CODE = 130;

/** Returns a yargs handler that runs `body` in the shared lifecycle and turns thrown errors into an exit code. */
export function runCommand<A>(body: (args: A, run: CommandRun) => Promise<void | number>, options: RunCommandOptions = {}): (args: A) => Promise<void> {
  return async (args: A) => {
    const controller = new AbortController();
    const stops: Array<() => void> = [];
    const run: CommandRun = {
      signal: controller.signal,
      progress(label, total) {
        const progress = itemProgress({ label, total });
        stops.push(() => progress.stop());
        return progress;
      },
      onEnd(stop) {
        stops.push(stop);
      },
    };
    const onSignal = (): void => {
      // The run stops at its next check; a second Ctrl-C (the listener is gone then) ends the process at once.
      process.stderr.write("stopping… (Ctrl-C again to quit at once)\n");
      controller.abort();
    };
    if (options.interruptible !== undefined) {
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
    }
    const stopAll = (): void => {
      for (const stop of stops.splice(0)) stop();
    };
    try {
      let code: void | number;
      try {
        code = await body(args, run);
      } finally {
        stopAll();
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
      if (typeof code === "number") process.exitCode = code;
    } catch (error) {
      if (controller.signal.aborted && options.interruptible !== undefined) {
        process.stderr.write(`interrupted: ${options.interruptible}\n`);
        process.exitCode = INTERRUPTED_EXIT_CODE;
      } else process.exitCode = reportError(error);
    }
  };
}

/** For commands that write their output only once the whole run is done (and remove their temp files when stopped). */
export const NOTHING_WRITTEN: RunCommandOptions = {
  interruptible: "nothing written (an earlier output is left as it was); temp files removed",
};

/** For commands whose finished LLM calls are in a journal beside the output. */
export const RESUME_FROM_JOURNAL: RunCommandOptions = {
  interruptible: "no output written; finished calls are in the journal, run the same command to resume",
};

/** For commands whose finished verdicts are in a judge cache. */
export const RESUME_FROM_CACHE: RunCommandOptions = {
  interruptible: "no output written; finished verdicts are in the judge cache, run the same command to resume",
};
