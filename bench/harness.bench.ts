/**
 * @module bench/harness.bench — sanity check of the measuring harness itself: a Node job that allocates
 * 200 MB must show a peak RSS above that, and Node's start-up is the anchor the others are read against.
 */
import { measureCommand, measureNode, pythonExecutable } from "./lib/measure.js";
import { formatMb, formatMs, markdownTable, ratio } from "./lib/markdown.js";
import type { BenchSection } from "./run.js";

export default async function harnessBench(): Promise<BenchSection> {
  const idle = await measureNode({ script: "bench/jobs/noop.ts", args: ["0"] });
  const alloc = await measureNode({ script: "bench/jobs/noop.ts", args: ["200"] });
  const python = await measureCommand({ command: pythonExecutable(), args: ["-c", "x = bytearray(200 * 1024 * 1024); print(len(x))"] });
  const rows = [
    ["node + tsx, idle (anchor)", formatMs(idle.wallMs), formatMs(idle.cpuMs), formatMb(idle.peakRssMb), "1.00×"],
    ["node + tsx, 200 MB allocated", formatMs(alloc.wallMs), formatMs(alloc.cpuMs), formatMb(alloc.peakRssMb), ratio(alloc.wallMs, idle.wallMs)],
    ["python3, 200 MB allocated", formatMs(python.wallMs), formatMs(python.cpuMs), formatMb(python.peakRssMb), ratio(python.wallMs, idle.wallMs)],
  ];
  if (alloc.peakRssMb < 200 || python.peakRssMb < 200) throw new Error("harness: peak RSS below the 200 MB allocated");
  return {
    title: "Harness self-check",
    markdown: `Start-up cost of a measured job, and proof that peak RSS sees a 200 MB allocation.\n\n${markdownTable(
      ["job", "wall", "CPU", "peak RSS", "wall vs anchor"],
      rows,
      ["l", "r", "r", "r", "r"],
    )}`,
  };
}
