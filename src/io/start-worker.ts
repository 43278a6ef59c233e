/**
 * @module io/start-worker — starts a worker thread from a module beside this one, built or not. Built, the
 * worker is `<name>.js` in dist; under the TypeScript sources (tests, `tsx`) it is `<name>.ts`, and a tiny
 * bootstrap registers tsx's loader in the worker first (tsx is a dev dependency, used only there).
 */
import { Worker } from "node:worker_threads";

const HERE = import.meta.url;
const FROM_SOURCE = /\.[cm]?ts$/.test(new URL(HERE).pathname);

/**
 * Starts the worker module `name` (a file of src/io, without extension) with `workerData`.
 *
 * @example startWorker("row-group-worker", { columns, schema })
 */
export function startWorker(name: string, workerData: unknown): Worker {
  if (!FROM_SOURCE) return new Worker(new URL(`./${name}.js`, HERE), { workerData });
  const source = new URL(`./${name}.ts`, HERE).href;
  const bootstrap = `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
