/**
 * @module bench/jobs/worker-ready — how long a built row-group worker (its bundle, dist/bundle/io-row-group-worker.js) takes from
 * `new Worker` until its module has loaded and set up its compressors (ready for its first row group): one
 * worker alone, `runs` times, and two started together. Args: [runs=5] [codec=SNAPPY]. Prints
 * { aloneMs: number[], pairMs: number[][] } (wall ms, in-process).
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { PROJECT_ROOT } from "../lib/measure.js";

const runs = Number(process.argv[2] ?? "5");
const codec = process.argv[3] ?? "SNAPPY";
const url = pathToFileURL(join(PROJECT_ROOT, "dist", "bundle", "io-row-group-worker.js")).href;
// The worker module's top level awaits its compressors; the wrapper reports once that import has settled.
const wrapper = `import(${JSON.stringify(url)}).then(() => require("node:worker_threads").parentPort.postMessage("ready"));`;

function ready(): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const worker = new Worker(wrapper, { eval: true, workerData: { columns: [], schema: [], codec, codecOptions: {}, pageBytes: 1 << 20 } });
    worker.once("error", reject);
    worker.once("message", () => {
      resolve(performance.now() - started);
      void worker.terminate();
    });
  });
}

const aloneMs: number[] = [];
const pairMs: number[][] = [];
for (let i = 0; i < runs; i++) aloneMs.push(await ready());
for (let i = 0; i < runs; i++) pairMs.push(await Promise.all([ready(), ready()]));
console.log(JSON.stringify({ aloneMs, pairMs }));
