/** @module util/process-alive — whether a process id on this machine still runs. */

/** True while `pid` runs (EPERM means it runs under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
