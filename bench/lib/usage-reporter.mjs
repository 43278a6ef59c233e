/**
 * @module bench/lib/usage-reporter — preloaded into benchmark child processes (`node --import`): at exit it
 * writes the process's own CPU time (user and system), peak RSS and minor page faults as JSON to the file named by BENCH_USAGE_OUT.
 */
// Plain JavaScript so that jobs run without tsx (`.mjs` jobs, see lib/measure) can preload it too.
import { writeFileSync } from "node:fs";

const target = process.env.BENCH_USAGE_OUT;
if (target) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    const report = {
      cpuUserMs: usage.userCPUTime / 1000,
      cpuSystemMs: usage.systemCPUTime / 1000,
      // resourceUsage().maxRSS is in kilobytes.
      maxRssMb: usage.maxRSS / 1024,
      minorFaults: usage.minorPageFault,
    };
    writeFileSync(target, JSON.stringify(report));
  });
}
