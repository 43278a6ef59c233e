/**
 * @module io/start-worker — starts a worker thread from a module of the toolkit, built or not. Built, the
 * module is a `.js` file in dist; under the TypeScript sources (tests, `tsx`) it is a `.ts` file, and a tiny
 * bootstrap registers tsx's loader in the worker first (tsx is a dev dependency, used only there).
 */
import { Worker, type WorkerOptions } from "node:worker_threads";
import { ToolkitError } from "../errors.js";

/**
 * The URL of the toolkit module `name` (relative, without extension) next to the module at `base`
 * (`import.meta.url`): its `.ts` file under the sources, its `.js` file when built.
 *
 * @example moduleUrl(import.meta.url, "./row-group-worker")
 */
export function moduleUrl(base: string, name: string): string {
  const fromSource = /\.[cm]?ts$/.test(new URL(base).pathname);
  const url = new URL(`${name}${fromSource ? ".ts" : ".js"}`, base).href;
  return typeof LONGWRITER_BUNDLED === "undefined" ? url : bundledModuleUrl(url);
}

/** `true` in dist/bundle, where scripts/bundle.mjs defines it; not declared anywhere else. */
declare const LONGWRITER_BUNDLED: true | undefined;

/**
 * The bundle file (dist/bundle/, see scripts/bundle.mjs) of the built module at `url` in dist/: its path
 * under dist/ with "/" as "-". The bundle makes every module loaded through `moduleUrl` an entry of its own;
 * `import.meta.url` there is each module's own URL in dist/, as here.
 *
 * @example bundledModuleUrl("file:///p/dist/io/row-group-worker.js") // "file:///p/dist/bundle/io-row-group-worker.js"
 */
export function bundledModuleUrl(url: string): string {
  const dist = new URL("../", import.meta.url).href;
  if (!url.startsWith(dist)) throw new ToolkitError(`${url} is not a module of the toolkit's build (${dist})`);
  return new URL(`bundle/${url.slice(dist.length).split("/").join("-")}`, dist).href;
}

/**
 * Starts the worker module at `url` (see `moduleUrl`) with `workerData`.
 *
 * @example startWorker(moduleUrl(import.meta.url, "./row-group-worker"), { columns, schema })
 */
export function startWorker(url: string, workerData: unknown): Worker {
  if (url.endsWith(".ts")) {
    const bootstrap = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); });`;
    return new Worker(bootstrap, { eval: true, workerData });
  }
  const from = process.execArgv;
  let flags = workerFlags(from);
  for (let attempt = 0; ; attempt++) {
    try {
      const worker = new Worker(new URL(url), { workerData, ...flags });
      acceptedFlags = { from, options: flags };
      return worker;
    } catch (error) {
      if ((error as { code?: unknown }).code !== "ERR_WORKER_INVALID_EXEC_ARGV" || attempt === 2) throw error;
      // Flags a worker refuses (V8's, the process's: `node --max-old-space-size=8192 …`, `--trace-gc`) apply
      // process-wide anyway: start without them (without any, if they cannot be told apart), and remember.
      flags = { ...flags, execArgv: attempt === 0 ? withoutRefused(flags.execArgv, (error as Error).message) : [] };
    }
  }
}

type WorkerFlags = Pick<WorkerOptions, "execArgv" | "resourceLimits"> & { execArgv: string[] };

/** The flags workers were last started with, and the process flags they came from. */
let acceptedFlags: { from: readonly string[]; options: WorkerFlags } | undefined;

/**
 * What carries the process's Node flags into a built worker: its flags without preloads (see
 * `withoutPreloads`), less any a worker refused before, and `--max-old-space-size` as the worker's own heap
 * limit (a heap limit is per thread, and the flag itself is one a worker refuses).
 */
export function workerFlags(execArgv: readonly string[]): WorkerFlags {
  if (acceptedFlags?.from === execArgv) return acceptedFlags.options;
  const options: WorkerFlags = { execArgv: withoutPreloads(execArgv) };
  for (const flag of execArgv) {
    const match = /^--max[-_]old[-_]space[-_]size=(\d+)$/.exec(flag);
    if (match) options.resourceLimits = { maxOldGenerationSizeMb: Number(match[1]) };
  }
  return options;
}

/**
 * `execArgv` without the flags Node's "invalid execArgv flags: a, b" error (`message`) names; none at all
 * when the message names none of them (the error's wording changed, say).
 */
export function withoutRefused(execArgv: readonly string[], message: string): string[] {
  const listed = message.slice(message.lastIndexOf(": ") + 2).split(", ");
  const refused = new Set(listed.filter((flag) => execArgv.includes(flag)));
  return refused.size > 0 ? execArgv.filter((flag) => !refused.has(flag)) : [];
}

/**
 * Flags (each with a value) that are about the main script, not the process: module preloads and loaders,
 * and the main script given as text (`node --input-type=module -e "…"`, `-p`).
 */
const PRELOAD_FLAGS = new Set(["--import", "--require", "-r", "--loader", "--experimental-loader", "--input-type", "-e", "--eval", "-p", "--print"]);

/**
 * The process's Node flags without module preloads and loaders (`--import tsx`, `--require …`) and without the
 * flags that give the main script as text (`--input-type`, `-e`, `-p`): a built worker is plain JavaScript and
 * needs no preload, and a worker inheriting them loads them again at start (tsx: ~0.5 s CPU per worker), while
 * a worker module started from a file refuses `--input-type` (ERR_INPUT_TYPE_NOT_ALLOWED). Other flags (heap
 * size, profiling) are kept.
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
