/**
 * @module io/start-worker — starts a worker thread from a module of the toolkit, built or not. Built, the
 * module is a `.js` file in dist; under the TypeScript sources (tests, `tsx`) it is a `.ts` file, and a tiny
 * bootstrap registers tsx's loader in the worker first (tsx is a dev dependency, used only there).
 */
import { Worker } from "node:worker_threads";

/**
 * The URL of the toolkit module `name` (relative, without extension) next to the module at `base`
 * (`import.meta.url`): its `.ts` file under the sources, its `.js` file when built.
 *
 * @example moduleUrl(import.meta.url, "./row-group-worker")
 */
export function moduleUrl(base: string, name: string): string {
  const fromSource = /\.[cm]?ts$/.test(new URL(base).pathname);
  return new URL(`${name}${fromSource ? ".ts" : ".js"}`, base).href;
}

/**
 * Starts the worker module at `url` (see `moduleUrl`) with `workerData`.
 *
 * @example startWorker(moduleUrl(import.meta.url, "./row-group-worker"), { columns, schema })
 */
export function startWorker(url: string, workerData: unknown): Worker {
  if (!url.endsWith(".ts")) return new Worker(new URL(url), { workerData, execArgv: withoutPreloads(process.execArgv) });
  const bootstrap = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

const PRELOAD_FLAGS = new Set(["--import", "--require", "-r", "--loader", "--experimental-loader"]);

/**
 * The process's Node flags without module preloads and loaders (`--import tsx`, `--require …`): a built
 * worker is plain JavaScript and needs none, and a worker inheriting them loads them again at start
 * (tsx: ~0.5 s CPU per worker). Other flags (heap size, profiling) are kept.
 */
export function withoutPreloads(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i]!;
    const name = flag.split("=", 1)[0]!;
    if (!PRELOAD_FLAGS.has(name)) kept.push(flag);
    else if (!flag.includes("=")) i += 1; // the value is the next argument
  }
  return kept;
}
